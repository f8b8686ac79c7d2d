"""Releases and stargazers (with the time each star was given)."""

from __future__ import annotations

from community.github.client import STAR_MEDIA_TYPE
from community.github.payloads import GitHubRelease, GitHubStar, Json
from community.models import SyncCursor
from community.services import upserts
from community.services.sync.context import SyncContext
from community.services.sync.paging import sync_all_pages, sync_appended


def sync_releases(ctx: SyncContext, cursor: SyncCursor) -> None:
    def write(items: list[Json]) -> None:
        upserts.releases_bulk_upsert(
            repository=ctx.repository, payloads=[GitHubRelease.from_json(i) for i in items]
        )

    sync_all_pages(ctx, cursor, ctx.path("/releases"), write=write)


def sync_stargazers(ctx: SyncContext, cursor: SyncCursor) -> None:
    def write(items: list[Json]) -> None:
        upserts.star_events_bulk_upsert(
            repository=ctx.repository, payloads=[GitHubStar.from_json(i) for i in items]
        )

    sync_appended(ctx, cursor, ctx.path("/stargazers"), accept=STAR_MEDIA_TYPE, write=write)
