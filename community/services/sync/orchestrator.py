"""Sync one repository: every resource in order, each from its own cursor.

The outcome always lands in the repository's `RepositorySync` row (status, last error, pause):
a repository is never silently skipped. Typed GitHub errors are re-raised after being recorded,
so the Celery task can decide to re-schedule (rate limit) or retry (transient).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from django.db.models import Q
from django.utils import timezone

from community.github.client import GitHubClient
from community.github.errors import NotFound, RateLimited
from community.models import Repository, RepositorySync, SyncCursor, SyncStatus
from community.services import upserts
from community.services.sync.activity import (
    sync_issue_comments,
    sync_issue_events,
    sync_review_comments,
)
from community.services.sync.context import LEASE, Progress, SyncBusy, SyncContext
from community.services.sync.cursors import cursor_fail, cursor_finish, cursor_for, cursor_start
from community.services.sync.issues import (
    PR_DETAILS,
    sync_issues,
    sync_pull_request_details,
    sync_pull_requests,
)
from community.services.sync.profiles import sync_profiles
from community.services.sync.releases import sync_releases, sync_stargazers
from community.services.sync.repository import sync_labels, sync_metadata, sync_milestones

logger = logging.getLogger(__name__)

# In order: what a later resource points at (labels, issues, PRs) is stored before it.
RESOURCES: dict[str, Callable[[SyncContext, SyncCursor], None]] = {
    "metadata": sync_metadata,
    "labels": sync_labels,
    "milestones": sync_milestones,
    "issues": sync_issues,
    "pull_requests": sync_pull_requests,
    PR_DETAILS: sync_pull_request_details,
    "issue_comments": sync_issue_comments,
    "review_comments": sync_review_comments,
    "issue_events": sync_issue_events,
    "releases": sync_releases,
    "stargazers": sync_stargazers,
    "profiles": sync_profiles,  # of the people the resources above brought
}


def sync_state_for(*, repository: Repository) -> RepositorySync:
    state, _ = RepositorySync.objects.get_or_create(repository=repository)
    return state


def _claim(repository: Repository) -> RepositorySync:
    """Take the repository's lease, or raise SyncBusy when a live sync holds it."""
    state = sync_state_for(repository=repository)
    now = timezone.now()
    claimed = (
        RepositorySync.objects.filter(pk=state.pk)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + LEASE, status=SyncStatus.RUNNING, started_at=now)
    )
    if not claimed:
        raise SyncBusy(f"{repository.full_name} is being synced by another worker")
    state.refresh_from_db()
    return state


def repository_sync(
    *,
    repository: Repository,
    full: bool = False,
    resources: Sequence[str] | None = None,
    client: GitHubClient | None = None,
    progress: Progress | None = None,
) -> RepositorySync:
    """Sync `resources` (default: all) of one repository; incremental unless `full`."""
    state = _claim(repository)
    client = client or GitHubClient()
    ctx = SyncContext(client=client, repository=repository, full=full)
    if progress is not None:
        ctx.progress = progress
    requests_before = client.requests_made
    try:
        problems = _run_resources(ctx, resources or list(RESOURCES))
    except RateLimited as exc:
        _record(state, SyncStatus.PAUSED, str(exc), paused_until=exc.reset_at)
        raise
    except NotFound as exc:
        upserts.repository_mark_deleted(repository_id=repository.pk, deleted_at=timezone.now())
        _record(
            state,
            SyncStatus.GONE,
            f"Repository not found on GitHub (deleted, renamed away "
            f"or no longer visible to our credentials): {exc}",
        )
        raise
    except Exception as exc:
        _record(state, SyncStatus.FAILED, f"{type(exc).__name__}: {exc}")
        raise
    else:
        _record(state, SyncStatus.OK, "\n".join(problems), succeeded=True)
    finally:
        RepositorySync.objects.filter(pk=state.pk).update(
            lease_until=None, requests_made=client.requests_made - requests_before
        )
        state.refresh_from_db()
    return state


def _run_resources(ctx: SyncContext, names: Sequence[str]) -> list[str]:
    """Run each resource; a missing sub-resource (410: issues disabled) is noted, not fatal."""
    problems: list[str] = []
    for name in names:
        cursor = cursor_start(
            cursor=cursor_for(repository=ctx.repository, resource=name), full=ctx.full
        )
        ctx.progress.start(name)
        try:
            RESOURCES[name](ctx, cursor)
        except NotFound as exc:
            if name == "metadata":
                cursor_fail(cursor=cursor, error=str(exc), status=SyncStatus.GONE)
                raise
            cursor_fail(cursor=cursor, error=str(exc))
            problems.append(f"{name}: {exc}")
            continue
        except RateLimited as exc:
            cursor_fail(cursor=cursor, error=str(exc), status=SyncStatus.PAUSED)
            raise
        except Exception as exc:
            cursor_fail(cursor=cursor, error=f"{type(exc).__name__}: {exc}")
            raise
        finally:
            ctx.progress.finish(name)
        cursor_finish(cursor=cursor)
    return problems


def _record(
    state: RepositorySync,
    status: str,
    error: str,
    *,
    paused_until=None,
    succeeded: bool = False,
) -> None:
    now = timezone.now()
    changes = {
        "status": status,
        "last_error": error[:4000],
        "paused_until": paused_until,
        "finished_at": now,
    }
    if succeeded:
        changes["last_success_at"] = now
    RepositorySync.objects.filter(pk=state.pk).update(**changes)
    log = logger.info if succeeded else logger.warning
    log("sync of %s: %s %s", state.repository_id, status, error)


def repositories_due(*, now=None) -> list[int]:
    """Tracked repositories a scheduled run should sync: not gone, not paused, not running."""
    now = now or timezone.now()
    return list(
        Repository.objects.filter(tracked=True, deleted_at__isnull=True)
        .exclude(sync_state__status=SyncStatus.GONE)
        .exclude(sync_state__paused_until__gt=now)
        .exclude(sync_state__lease_until__gt=now)
        .values_list("pk", flat=True)
    )
