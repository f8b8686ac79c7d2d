"""`push`: the commits it brings, counted per author."""

from __future__ import annotations

from django.db.models import Count, Value
from django.db.models.functions import Coalesce, NullIf

from community.github.payloads import GitHubPushedCommit
from community.models import PushedCommit, Repository
from community.services import upserts
from community.services.webhooks.context import HandlerContext


def handle_push(ctx: HandlerContext) -> str:
    commits = [GitHubPushedCommit.from_json(c.data, at=c.at) for c in ctx.fields.objects("commits")]
    ref = ctx.fields.text("ref")  # cut to its column by the upsert
    repository = ctx.repository()
    upserts.pushed_commits_bulk_upsert(repository=repository, ref=ref, payloads=commits)
    return ""


def pushed_commit_counts(*, repository: Repository) -> dict[str, int]:
    """Commits pushed to a repository per author: the GitHub login, else the git email."""
    rows = (
        PushedCommit.objects.filter(repository=repository)
        .annotate(who=Coalesce(NullIf("author_login", Value("")), "author_email"))
        .values("who")
        .annotate(commits=Count("pk"))
    )
    return {row["who"]: row["commits"] for row in rows}
