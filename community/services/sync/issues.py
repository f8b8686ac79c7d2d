"""Issues, pull requests, and the per-PR details the list endpoints leave out (size, merge,
reviews)."""

from __future__ import annotations

from django.db import transaction

from community import signals
from community.github.errors import NotFound
from community.github.payloads import GitHubIssue, GitHubPullRequest, GitHubReview, Json, parse_time
from community.models import SyncCursor
from community.services import upserts
from community.services.sync.context import SyncContext
from community.services.sync.cursors import pending_add
from community.services.sync.paging import sync_newest_first, sync_updated_since

PR_DETAILS = "pull_request_details"
# PR details are fetched one request per PR; they are written (and checkpointed) in chunks.
DETAIL_CHUNK = 25


def sync_issues(ctx: SyncContext, cursor: SyncCursor) -> None:
    """The issues API lists PRs too (issue-shaped); the PR list below owns those."""

    def write(items: list[Json]) -> None:
        payloads = [GitHubIssue.from_json(i) for i in items]
        # New issues and changed titles/bodies are announced (one batch per page): listeners
        # (triage) embed and triage them.
        upserts.issues_bulk_upsert(
            repository=ctx.repository, payloads=payloads, text_reason=signals.SYNCED
        )

    sync_updated_since(ctx, cursor, ctx.path("/issues"), params={"state": "all"}, write=write)


def sync_pull_requests(ctx: SyncContext, cursor: SyncCursor) -> None:
    """The PR list (no `since` on this endpoint): newest update first, down to the cursor.

    Every PR written is queued for its details, which only the single-PR endpoint sends.
    """

    def write(items: list[Json]) -> None:
        payloads = [GitHubPullRequest.from_json(i) for i in items]
        upserts.pull_requests_bulk_upsert(repository=ctx.repository, payloads=payloads)
        pending_add(
            repository=ctx.repository, resource=PR_DETAILS, numbers=[p.number for p in payloads]
        )

    sync_newest_first(
        ctx,
        cursor,
        ctx.path("/pulls"),
        params={"state": "all", "sort": "updated", "direction": "desc"},
        key=lambda item: parse_time(item["updated_at"]),
        write=write,
    )


def sync_pull_request_details(ctx: SyncContext, cursor: SyncCursor) -> None:
    """Merged state, merge author, additions/deletions, commits, and every review, per PR."""
    cursor.refresh_from_db(fields=["pending"])
    while cursor.pending:
        chunk = cursor.pending[:DETAIL_CHUNK]
        details: list[GitHubPullRequest] = []
        reviews: dict[int, list[GitHubReview]] = {}
        for number in chunk:
            try:
                data = ctx.client.get(ctx.path(f"/pulls/{number}")).data
            except NotFound:
                continue  # deleted with its repository's history rewrite, or transferred
            details.append(GitHubPullRequest.from_json(data))
            reviews[int(data["number"])] = _reviews(ctx, number)
        with transaction.atomic():
            upserts.pull_requests_bulk_upsert(repository=ctx.repository, payloads=details)
            upserts.pull_request_reviews_bulk_upsert(
                repository=ctx.repository, reviews_by_number=reviews
            )
            cursor.pending = cursor.pending[len(chunk) :]
            cursor.items += len(details)
            cursor.save(update_fields=["pending", "items"])
        ctx.heartbeat()
        ctx.progress.advance(cursor.resource, len(details))


def _reviews(ctx: SyncContext, number: int) -> list[GitHubReview]:
    found: list[GitHubReview] = []
    url: str | None = ctx.path(f"/pulls/{number}/reviews")
    params: dict | None = {"per_page": ctx.client.per_page}
    while url:
        response = ctx.client.get(url, params=params)
        found += [GitHubReview.from_json(r) for r in response.data or []]
        url, params = response.next_url, None
    return found
