"""Per-resource cursors: started, checkpointed page by page, finished or failed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from django.utils import timezone

from community.models import Repository, SyncCursor, SyncStatus


def cursor_for(*, repository: Repository, resource: str) -> SyncCursor:
    cursor, _ = SyncCursor.objects.get_or_create(repository=repository, resource=resource)
    return cursor


def cursor_start(*, cursor: SyncCursor, full: bool) -> SyncCursor:
    """Begin a run. An interrupted run (still RUNNING) keeps its position and resumes."""
    if full:
        cursor.since = cursor.run_since = None
        cursor.next_url = ""
        cursor.etags = {}
    if cursor.status != SyncStatus.RUNNING or full:
        cursor.items = 0
        cursor.started_at = timezone.now()
    cursor.status = SyncStatus.RUNNING
    cursor.last_error = ""
    cursor.save()
    return cursor


def cursor_finish(*, cursor: SyncCursor) -> None:
    cursor.status = SyncStatus.OK
    cursor.finished_at = timezone.now()
    cursor.save(update_fields=["status", "finished_at"])


def cursor_fail(*, cursor: SyncCursor, error: str, status: str = SyncStatus.FAILED) -> None:
    """Record the error; the position stays where the last checkpoint put it."""
    cursor.status = status
    cursor.last_error = error[:2000]
    cursor.save(update_fields=["status", "last_error"])


def pending_add(*, repository: Repository, resource: str, numbers: Iterable[int]) -> None:
    """Queue issue/PR numbers for a follow-up resource (e.g. PR details after the PR list)."""
    numbers = list(numbers)
    if not numbers:
        return
    cursor = cursor_for(repository=repository, resource=resource)
    cursor.pending = list(dict.fromkeys([*cursor.pending, *numbers]))
    cursor.save(update_fields=["pending"])


def request_key(url: str, params: Mapping[str, Any] | None) -> str:
    """The identity of a request, for remembering its ETag."""
    if not params:
        return url
    return f"{url}?{urlencode(sorted((k, str(v)) for k, v in params.items()))}"
