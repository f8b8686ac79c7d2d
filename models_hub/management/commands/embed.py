"""`manage.py embed [--repo OWNER/NAME] [--batch-size N]`: backfill issue and PR embeddings.

Runs the encoder in this process (like the embeddings worker). Texts whose stored vector already
matches are skipped, so an interrupted backfill resumes where it stopped.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from community.models import Issue, PullRequest, Repository
from models_hub.embeddings.store import EmbedResult, issues_embed, pull_requests_embed


class Command(BaseCommand):
    help = "Encode issues and pull requests whose embedding is missing or stale."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repo", help="only this repository (OWNER/NAME)")
        parser.add_argument(
            "--batch-size", type=int, default=256, help="issues read and encoded per step"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, repo: str | None, batch_size: int, no_progress: bool, **options):
        from models_hub.embeddings.encoder import get_encoder

        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        repositories = Repository.objects.filter(deleted_at__isnull=True)
        if repo:
            repositories = repositories.filter(full_name__iexact=repo)
            if not repositories.exists():
                raise CommandError(f"unknown repository {repo}")
        encoder = get_encoder()
        self.stdout.write(f"model {encoder.model_id} on {encoder.device}")
        total = EmbedResult(0, 0)
        steps = (
            (Issue, "issues", lambda ids: issues_embed(issue_ids=ids, encoder=encoder)),
            (
                PullRequest,
                "pull requests",
                lambda ids: pull_requests_embed(pull_request_ids=ids, encoder=encoder),
            ),
        )
        for model, label, embed in steps:
            ids = list(
                model.objects.filter(repository__in=repositories, deleted_at__isnull=True)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            with tqdm(
                total=len(ids), desc=label, unit="item", disable=no_progress, file=sys.stderr
            ) as bar:
                for start in range(0, len(ids), batch_size):
                    chunk = ids[start : start + batch_size]
                    total += embed(chunk)
                    bar.update(len(chunk))
        self.stdout.write(
            self.style.SUCCESS(f"encoded {total.encoded}, unchanged {total.unchanged}")
        )
