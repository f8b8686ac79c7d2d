"""`python manage.py rollup [--full] [--since YYYY-MM-DD]`: fill the metric rollups now."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from tqdm import tqdm

from analytics.services.rollups import rollups_fill


class Command(BaseCommand):
    help = "Compute the CHAOSS metric rollups (incrementally, or everything with --full)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="recompute every period")
        parser.add_argument(
            "--since", type=dt.date.fromisoformat, help="also redo periods from this date"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, full: bool, since: dt.date | None, no_progress: bool, **options):
        bar = tqdm(total=0, unit="period", disable=no_progress, file=self.stderr._out)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        report = rollups_fill(full=full, since=since, progress=progress)
        bar.close()
        if report.skipped_busy:
            self.stdout.write(self.style.WARNING("Another fill is running; nothing done."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {report.periods_written} metric periods ({report.rows_written} rows), "
                f"{report.attention_rows} attention items."
            )
        )
