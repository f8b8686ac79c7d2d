"""`manage.py sync OWNER/REPO [OWNER/REPO …] [--full]`: sync repositories now, with progress."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from community.github.client import GitHubClient, reset_countdown
from community.github.errors import GitHubError, RateLimited
from community.models import Repository
from community.services.sync import RESOURCES, SyncBusy, repository_fetch, repository_sync


class TqdmProgress:
    """One progress bar per resource, counting items written."""

    def __init__(self, stream, prefix: str):
        self.stream, self.prefix = stream, prefix
        self.bars: dict[str, tqdm] = {}

    def start(self, resource: str) -> None:
        self.bars[resource] = tqdm(
            desc=f"{self.prefix} {resource}", unit=" items", file=self.stream, leave=True
        )

    def advance(self, resource: str, items: int) -> None:
        self.bars[resource].update(items)

    def finish(self, resource: str) -> None:
        self.bars.pop(resource).close()


class Command(BaseCommand):
    help = "Sync GitHub repositories (incremental by default; resumes an interrupted sync)."

    def add_arguments(self, parser):
        parser.add_argument("repositories", nargs="+", metavar="OWNER/REPO")
        parser.add_argument(
            "--full", action="store_true", help="ignore cursors, re-read everything"
        )
        parser.add_argument(
            "--resource", action="append", choices=list(RESOURCES), help="only these (repeatable)"
        )
        parser.add_argument(
            "--wait", action="store_true", help="when rate-limited, sleep until the reset and go on"
        )

    def handle(self, *args, **options):
        client = GitHubClient()
        failed = []
        for full_name in options["repositories"]:
            if full_name.count("/") != 1:
                raise CommandError(f"expected OWNER/REPO, got {full_name!r}")
            if not self._sync_one(client, full_name, options):
                failed.append(full_name)
        if failed:
            raise CommandError(f"not synced: {', '.join(failed)} (see the errors above)")

    def _sync_one(self, client: GitHubClient, full_name: str, options) -> bool:
        full = options["full"]
        while True:
            try:
                repository = Repository.objects.filter(full_name__iexact=full_name).first()
                if repository is None:
                    repository = repository_fetch(client=client, full_name=full_name)
                state = repository_sync(
                    repository=repository,
                    full=full,
                    resources=options["resource"],
                    client=client,
                    progress=TqdmProgress(self.stderr._out, full_name),
                )
            except RateLimited as exc:
                wait = reset_countdown(exc.reset_at)
                self.stderr.write(f"{full_name}: {exc}")
                if not options["wait"]:
                    return False
                self.stderr.write(f"{full_name}: waiting {wait}s, then resuming")
                time.sleep(wait)
                full = False  # resume from the cursors the paused run left
                continue
            except (GitHubError, SyncBusy) as exc:
                self.stderr.write(self.style.ERROR(f"{full_name}: {exc}"))
                return False
            break
        note = f" ({state.last_error})" if state.last_error else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{full_name}: {state.get_status_display()} at {timezone.now():%H:%M:%S}{note}"
            )
        )
        return True
