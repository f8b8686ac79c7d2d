"""Repository metadata, labels and milestones."""

from __future__ import annotations

from community.github.client import GitHubClient
from community.github.payloads import GitHubLabel, GitHubMilestone, GitHubRepository, Json
from community.models import Repository, SyncCursor
from community.services import upserts
from community.services.sync.context import SyncContext
from community.services.sync.cursors import request_key
from community.services.sync.paging import sync_all_pages


def repository_fetch(*, client: GitHubClient, full_name: str) -> Repository:
    """Read one repository from GitHub and store it (the first step of tracking it)."""
    response = client.get(f"/repos/{full_name}")
    return upserts.repository_upsert(payload=GitHubRepository.from_json(response.data))


def sync_metadata(ctx: SyncContext, cursor: SyncCursor) -> None:
    """The repository itself; a 304 costs nothing. Renames are followed (GitHub redirects)."""
    path = ctx.path()
    key = request_key(path, None)
    response = ctx.client.get(path, etag=cursor.etags.get(key))
    if not response.not_modified:
        ctx.repository = upserts.repository_upsert(
            payload=GitHubRepository.from_json(response.data)
        )
        cursor.etags = {ctx.path(): response.etag} if response.etag else {}
        cursor.items += 1
        cursor.save()
        ctx.progress.advance(cursor.resource, 1)


def sync_labels(ctx: SyncContext, cursor: SyncCursor) -> None:
    def write(items: list[Json]) -> None:
        upserts.labels_bulk_upsert(
            repository=ctx.repository, payloads=[GitHubLabel.from_json(i) for i in items]
        )

    sync_all_pages(ctx, cursor, ctx.path("/labels"), write=write)


def sync_milestones(ctx: SyncContext, cursor: SyncCursor) -> None:
    def write(items: list[Json]) -> None:
        upserts.milestones_bulk_upsert(
            repository=ctx.repository, payloads=[GitHubMilestone.from_json(i) for i in items]
        )

    sync_all_pages(ctx, cursor, ctx.path("/milestones"), params={"state": "all"}, write=write)
