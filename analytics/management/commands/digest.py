"""`python manage.py digest [--repo OWNER/NAME] [--period week|month] [--start YYYY-MM-DD]`."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics.digests import digest_generate, digests_refresh, period_bounds
from analytics.models.rollups import Period
from community.models import Repository


class Command(BaseCommand):
    help = (
        "Generate activity digests. Without --start: the current and the just-ended week and "
        "month of every tracked repository (what the daily schedule does). With --start: the "
        "period containing that day (both kinds unless --period). Final digests are kept "
        "unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repo", help="OWNER/NAME (default: every tracked repository)")
        parser.add_argument("--period", choices=Period.values, help="week or month (default: both)")
        parser.add_argument("--start", type=dt.date.fromisoformat, help="a day of the period")
        parser.add_argument("--force", action="store_true", help="regenerate final digests too")

    def handle(self, *args, repo, period, start, force, **options) -> None:
        repositories = Repository.objects.filter(tracked=True, deleted_at__isnull=True)
        if repo:
            repositories = repositories.filter(full_name__iexact=repo)
            if not repositories.exists():
                raise CommandError(f"No tracked repository {repo}")
        periods = [period] if period else Period.values
        written = 0
        for repository in repositories.order_by("full_name"):
            if start is None:
                digests = digests_refresh(repository=repository, force=force, periods=periods)
            else:
                digests = [self._one(repository, kind, start, force) for kind in periods]
            for digest in digests:
                state = "final" if digest.is_final else "in progress"
                self.stdout.write(
                    f"{repository.full_name} {digest.period} {digest.start} ({state})"
                )
            written += len(digests)
        self.stdout.write(self.style.SUCCESS(f"{written} digest(s) up to date."))

    def _one(self, repository: Repository, period: str, day: dt.date, force: bool):
        first, _ = period_bounds(period=period, day=day)
        try:
            return digest_generate(repository=repository, period=period, start=first, force=force)
        except ValueError as error:
            raise CommandError(str(error)) from error
