"""`manage.py triage [--repo OWNER/NAME] [--open] [--issue N] [--force]`: backfill triage.

Without `--open`, closed issues are triaged too (their suggestions can be set against what the
maintainers did); the webhook/sync chain triages open issues only.

Runs in this process (it may load the embedding model for issues without a vector). Issues
already triaged with their current text and model versions are left as they are, so an
interrupted backfill resumes where it stopped.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from community.models import Issue, IssueState, Repository
from models_hub.embeddings.store import issues_embed
from models_hub.triage.batch import TriageCounts, issues_triage

BATCH = 100


class Command(BaseCommand):
    help = "Embed and triage issues (all, one repository's, or one issue)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repo", help="only this repository (OWNER/NAME)")
        parser.add_argument(
            "--open",
            dest="open_only",
            action="store_true",
            help="open issues only (without it, closed issues are triaged too: their results "
            "can be compared with what maintainers did)",
        )
        parser.add_argument("--issue", type=int, help="only this issue number (needs --repo)")
        parser.add_argument(
            "--force", action="store_true", help="triage again even where nothing changed"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, repo, open_only, issue, force, no_progress, **options) -> None:
        from models_hub.embeddings.encoder import get_encoder

        if issue is not None and not repo:
            raise CommandError("--issue needs --repo")
        issues = Issue.objects.filter(deleted_at__isnull=True, repository__tracked=True)
        if open_only:
            issues = issues.filter(state=IssueState.OPEN)
        if repo:
            repository = Repository.objects.filter(full_name__iexact=repo).first()
            if repository is None:
                raise CommandError(f"unknown repository {repo}")
            issues = issues.filter(repository=repository)
        if issue is not None:
            issues = issues.filter(number=issue)
            if not issues.exists():
                raise CommandError(f"no issue #{issue} to triage in {repo}")
        ids = list(issues.order_by("repository_id", "number").values_list("pk", flat=True))
        encoder = get_encoder()
        total = TriageCounts()
        with tqdm(
            total=len(ids), desc="triage", unit="issue", disable=no_progress, file=sys.stderr
        ) as bar:
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                issues_embed(issue_ids=chunk, encoder=encoder)
                total += issues_triage(
                    issue_ids=chunk,
                    force=force,
                    encoder=encoder,
                    progress=bar.update,
                    open_only=False,
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"triaged {total.triaged}, unchanged {total.unchanged}, skipped {total.skipped}"
            )
        )
