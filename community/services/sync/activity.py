"""Conversation comments, review comments and timeline events of a repository.

These arrive repository-wide, so one can name an issue/PR the issue list has not stored yet
(opened after that list was read). Its parent is fetched and stored first, so nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

from community.github.errors import NotFound
from community.github.payloads import (
    GitHubComment,
    GitHubIssue,
    GitHubIssueEvent,
    GitHubPullRequest,
    Json,
    parse_time,
)
from community.models import SyncCursor
from community.services import upserts
from community.services.sync.context import SyncContext
from community.services.sync.cursors import pending_add
from community.services.sync.issues import PR_DETAILS
from community.services.sync.paging import sync_newest_first, sync_updated_since
from community.services.upserts.activity import parents_by_number


def parents_ensure(ctx: SyncContext, numbers: Iterable[int | None]) -> None:
    """Store the issues/PRs among `numbers` that are not stored yet."""
    wanted = {n for n in numbers if n is not None}
    missing = wanted - set(parents_by_number(repository=ctx.repository, numbers=wanted))
    for number in sorted(missing):
        try:
            data = ctx.client.get(ctx.path(f"/issues/{number}")).data
            if "pull_request" in data:
                pull = ctx.client.get(ctx.path(f"/pulls/{number}")).data
                upserts.pull_request_upsert(
                    repository=ctx.repository, payload=GitHubPullRequest.from_json(pull)
                )
                pending_add(repository=ctx.repository, resource=PR_DETAILS, numbers=[number])
            else:
                upserts.issue_upsert(repository=ctx.repository, payload=GitHubIssue.from_json(data))
        except NotFound:
            continue  # deleted issue: its comments and events have no home


def _comment_writer(ctx: SyncContext):
    def write(items: list[Json]) -> None:
        payloads = [GitHubComment.from_json(i) for i in items]
        parents_ensure(ctx, (c.parent_number for c in payloads))
        upserts.comments_bulk_upsert(repository=ctx.repository, payloads=payloads)

    return write


def sync_issue_comments(ctx: SyncContext, cursor: SyncCursor) -> None:
    sync_updated_since(
        ctx, cursor, ctx.path("/issues/comments"), params={}, write=_comment_writer(ctx)
    )


def sync_review_comments(ctx: SyncContext, cursor: SyncCursor) -> None:
    sync_updated_since(
        ctx, cursor, ctx.path("/pulls/comments"), params={}, write=_comment_writer(ctx)
    )


def sync_issue_events(ctx: SyncContext, cursor: SyncCursor) -> None:
    """The timeline events response-time metrics need (labeled, closed, reopened, merged…)."""

    def write(items: list[Json]) -> None:
        payloads = [GitHubIssueEvent.from_json(i) for i in items]
        parents_ensure(ctx, (e.issue_number for e in payloads))
        upserts.issue_events_bulk_upsert(repository=ctx.repository, payloads=payloads)

    sync_newest_first(
        ctx,
        cursor,
        ctx.path("/issues/events"),
        params={},
        key=lambda item: parse_time(item["created_at"]),
        write=write,
    )
