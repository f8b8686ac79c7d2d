"""`manage.py demo`: fill the database with a generated, realistic GitHub community."""

from __future__ import annotations

import time
from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from community.models import Repository
from demo.generator import (
    MAINTAINER_PASSWORD,
    MAINTAINER_USERNAME,
    demo_community_create,
)

# Digests the demo generates per repository: enough history for the pages to browse.
DEMO_DIGEST_WEEKS = 6
DEMO_DIGEST_MONTHS = 3


class Command(BaseCommand):
    help = (
        "Generate a demo GitHub community (org 'acme': widgets, widgets-cli, widgets-docs and the "
        "private infra; ~300 contributors, 3,000+ issues and pull requests over two years) and "
        "write it through the upsert services. Deterministic: the same --seed and --until give "
        "the same data, and running it again changes nothing. If the database has no users, a "
        f"superuser '{MAINTAINER_USERNAME}' with password '{MAINTAINER_PASSWORD}' is created."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="size factor, e.g. 0.1 for a quick run"
        )
        parser.add_argument(
            "--until",
            type=date.fromisoformat,
            default=None,
            help="last day covered, YYYY-MM-DD (default: today, UTC)",
        )
        parser.add_argument(
            "--no-triage",
            action="store_true",
            help="skip embedding the recent issues, training the label classifiers and triaging "
            "the open issues (about a minute on two CPU cores)",
        )
        parser.add_argument(
            "--no-rollups",
            action="store_true",
            help="skip computing the metric rollups the dashboards show (`manage.py rollup "
            "--full` computes them later)",
        )
        parser.add_argument(
            "--no-digests",
            action="store_true",
            help="skip generating the activity digests of the last weeks and months",
        )

    def handle(
        self,
        *args,
        seed: int,
        scale: float,
        until: date | None,
        no_triage: bool,
        no_rollups: bool,
        no_digests: bool,
        **options,
    ) -> None:
        if scale <= 0:
            raise CommandError("--scale must be positive")
        started = time.monotonic()
        result = demo_community_create(
            seed=seed, scale=scale, until=until, progress=options["verbosity"] > 0
        )
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Demo community from {result.since:%Y-%m-%d} to {result.until:%Y-%m-%d} "
            f"(seed {seed}, scale {scale:g}) written in {elapsed:.1f} s."
        )
        width = max(len(label) for label in result.counts)
        for label, count in result.counts.items():
            self.stdout.write(f"  {label:<{width}}  {count:>8,}")
        if not no_rollups:
            self._rollups(until=result.until)
        if not no_triage:
            # What reproduces the versions it trains (on an empty database).
            command = (
                f"python manage.py demo --seed {seed} --scale {scale:g} "
                f"--until {result.until:%Y-%m-%d}"
            )
            self._triage(progress=options["verbosity"] > 0, command=command)
        # Last: digests name their themes from the embeddings the triage step stored.
        if not no_digests:
            self._digests(until=result.until.date())
        if result.maintainer_created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created superuser '{MAINTAINER_USERNAME}' with password "
                    f"'{MAINTAINER_PASSWORD}'."
                )
            )

    def _rollups(self, *, until: datetime) -> None:
        """The dashboards' and the metrics API's content: every period of every metric, and the
        attention lists (as of now, or of the demo's last day when that is later)."""
        from analytics.services.rollups import rollups_fill

        started = time.monotonic()
        report = rollups_fill(full=True, now=max(timezone.now(), until))
        if report.skipped_busy:
            self.stdout.write(
                self.style.WARNING("Rollups: another fill is running; run `manage.py rollup`.")
            )
            return
        self.stdout.write(
            f"Rollups: {report.periods_written} metric periods ({report.rows_written} rows), "
            f"{report.attention_rows} attention items in {time.monotonic() - started:.1f} s."
        )

    def _triage(self, *, progress: bool, command: str) -> None:
        """The triage queue's first content: real suggestions from models trained on the demo."""
        from demo.triage import demo_triage_prepare

        done = demo_triage_prepare(progress=progress, command=command)
        self.stdout.write(
            f"Triage: {done.embedded.encoded} issues embedded, "
            f"{done.triaged.triaged} open issues triaged "
            f"({done.triaged.unchanged} unchanged) in {done.seconds:.1f} s."
        )
        for outcome in done.trained:
            if outcome.version is None:
                self.stdout.write(f"  {outcome.repository.full_name}: {outcome.reason}")
                continue
            metrics = outcome.version.metrics
            f1 = f"macro F1 {metrics['macro_f1']:.2f}" if metrics.get("evaluated") else ""
            self.stdout.write(
                f"  {outcome.repository.full_name}: label classifier v{outcome.version.version} "
                f"({', '.join(outcome.version.metadata['labels'])}) {f1}"
            )

    def _digests(self, *, until: date) -> None:
        """The digest pages' first content: recent weeks and months of every repository."""
        from analytics.digests import digests_backfill

        started = time.monotonic()
        written = 0
        for repository in Repository.objects.filter(tracked=True, deleted_at__isnull=True):
            written += len(
                digests_backfill(
                    repository=repository,
                    weeks=DEMO_DIGEST_WEEKS,
                    months=DEMO_DIGEST_MONTHS,
                    until=until,
                )
            )
        self.stdout.write(
            f"Digests: {written} weekly and monthly digests in {time.monotonic() - started:.1f} s."
        )
