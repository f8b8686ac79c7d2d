"""The four ways GitHub lists change, each read page by page with a checkpoint after each page.

A page is written and its cursor advanced in one transaction, so a crash between pages loses
nothing and redoes nothing but the page in flight (and upserts make that redo harmless).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from django.db import transaction

from community.github.payloads import Json, parse_time
from community.models import SyncCursor
from community.services.sync.context import SyncContext
from community.services.sync.cursors import request_key

Writer = Callable[[list[Json]], None]


def _save_page(ctx: SyncContext, cursor: SyncCursor, items: list[Json], write: Writer) -> None:
    """Write one page and move the cursor, atomically; then report progress."""
    with transaction.atomic():
        if items:
            write(items)
        cursor.items += len(items)
        cursor.save()
    ctx.heartbeat()
    ctx.progress.advance(cursor.resource, len(items))


def sync_updated_since(
    ctx: SyncContext, cursor: SyncCursor, path: str, *, params: Mapping[str, Any], write: Writer
) -> None:
    """Lists that take `since` + `sort=updated&direction=asc` (issues, comments).

    Keyset reading: every request asks for "updated at or after the checkpoint", and the
    checkpoint moves to the newest `updated_at` of each page. Objects edited during the run move
    to the end of the list, where they are read later, so no offset shift can open a gap. Only
    when more than a page shares one timestamp does the cursor follow the `Link: next` page.
    """
    while True:
        if cursor.next_url:
            url, query = cursor.next_url, None
        else:
            url = path
            query = {**params, "sort": "updated", "direction": "asc"}
            query["per_page"] = ctx.client.per_page
            if cursor.since:
                query["since"] = cursor.since.strftime("%Y-%m-%dT%H:%M:%SZ")
        key = request_key(url, query)
        response = ctx.client.get(url, params=query, etag=cursor.etags.get(key))
        if response.not_modified:
            return
        items = response.data or []
        newest = max((parse_time(i["updated_at"]) for i in items), default=None)
        if not response.next_url:
            cursor.next_url = ""
            cursor.since = _later(cursor.since, newest)
            # The next run starts with this very request: remember its validator.
            cursor.etags = (
                {request_key(url, query): response.etag} if response.etag and query else {}
            )
        elif newest is not None and (cursor.since is None or newest > cursor.since):
            cursor.since, cursor.next_url = newest, ""
        else:
            cursor.next_url = response.next_url
        _save_page(ctx, cursor, items, write)
        if not response.next_url:
            return


def sync_newest_first(
    ctx: SyncContext,
    cursor: SyncCursor,
    path: str,
    *,
    params: Mapping[str, Any],
    key: Callable[[Json], datetime],
    write: Writer,
) -> None:
    """Lists sorted newest first with no `since` (pull requests by update, timeline events).

    Reads until it meets what the last complete run already stored. New items push old ones to
    later pages, which can only make a page be read twice, never skipped. The first page is
    requested conditionally: 304 means nothing changed at all.
    """
    first = not cursor.next_url
    url, query = (
        (path, {**params, "per_page": ctx.client.per_page}) if first else (cursor.next_url, None)
    )
    while True:
        first_key = request_key(url, query) if first else None
        response = ctx.client.get(url, params=query, etag=cursor.etags.get(first_key or ""))
        if response.not_modified:
            return
        items = response.data or []
        fresh = [i for i in items if cursor.since is None or key(i) >= cursor.since]
        cursor.run_since = _later(cursor.run_since, max((key(i) for i in items), default=None))
        if first_key and response.etag:
            cursor.etags = {first_key: response.etag}
        done = len(fresh) < len(items) or not response.next_url
        if done:
            cursor.since, cursor.run_since, cursor.next_url = (
                cursor.run_since or cursor.since,
                None,
                "",
            )
        else:
            cursor.next_url = response.next_url
        _save_page(ctx, cursor, fresh, write)
        if done:
            return
        url, query, first = response.next_url, None, False


def sync_all_pages(
    ctx: SyncContext,
    cursor: SyncCursor,
    path: str,
    *,
    params: Mapping[str, Any] | None = None,
    write: Writer,
) -> None:
    """Small lists read whole (labels, milestones, releases); skipped when page one is a 304."""
    first = not cursor.next_url
    url, query = (
        (path, {**(params or {}), "per_page": ctx.client.per_page})
        if first
        else (cursor.next_url, None)
    )
    while True:
        first_key = request_key(url, query) if first else None
        response = ctx.client.get(url, params=query, etag=cursor.etags.get(first_key or ""))
        if response.not_modified:
            return
        if first_key:
            cursor.etags = {first_key: response.etag} if response.etag else {}
        cursor.next_url = response.next_url or ""
        _save_page(ctx, cursor, response.data or [], write)
        if not response.next_url:
            return
        url, query, first = response.next_url, None, False


def sync_appended(
    ctx: SyncContext, cursor: SyncCursor, path: str, *, accept: str, write: Writer
) -> None:
    """Lists that only grow at the end, oldest first (stargazers).

    The cursor keeps the last page read; the next run re-reads it conditionally (304: no new
    entries) and follows `next` from there.
    """
    url = cursor.next_url or path
    query = None if cursor.next_url else {"per_page": ctx.client.per_page}
    while True:
        key = request_key(url, query)
        response = ctx.client.get(url, params=query, etag=cursor.etags.get(key), accept=accept)
        if response.not_modified:
            return
        cursor.next_url = response.next_url or key
        cursor.etags = {} if response.next_url or not response.etag else {key: response.etag}
        _save_page(ctx, cursor, response.data or [], write)
        if not response.next_url:
            return
        url, query = response.next_url, None


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a or b
    return max(a, b)
