"""Start tracking a repository, and queue syncs (after the surrounding transaction commits)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from community.github.client import GitHubClient
from community.models import Repository, RepositorySync, SyncStatus
from community.services import upserts
from community.services.sync.orchestrator import sync_state_for
from community.services.sync.repository import repository_fetch


def repositories_queue_sync(*, repository_ids: Iterable[int], full: bool = False) -> int:
    from community.tasks.sync import sync_repository

    ids = list(repository_ids)
    RepositorySync.objects.filter(repository_id__in=ids).exclude(status=SyncStatus.RUNNING).update(
        status=SyncStatus.QUEUED
    )
    for repository_id in ids:
        transaction.on_commit(lambda rid=repository_id: sync_repository.delay(rid, full=full))
    return len(ids)


def repository_track(*, full_name: str, client: GitHubClient | None = None) -> Repository:
    """Read the repository from GitHub (errors reach the maintainer at once), mark it tracked,
    and queue its first full sync."""
    repository = repository_fetch(client=client or GitHubClient(), full_name=full_name.strip())
    with transaction.atomic():
        upserts.repositories_set_tracked(repository_ids=[repository.pk], tracked=True)
        state = sync_state_for(repository=repository)
        if state.status == SyncStatus.GONE:
            RepositorySync.objects.filter(pk=state.pk).update(
                status=SyncStatus.NEVER, last_error=""
            )
        repositories_queue_sync(repository_ids=[repository.pk], full=True)
    repository.refresh_from_db()
    return repository
