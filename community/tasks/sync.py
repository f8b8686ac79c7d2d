"""Celery tasks of the GitHub sync: one task per repository, and the scheduled fan-out."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from community.github.errors import GitHubError, RateLimited, TransientError

logger = logging.getLogger(__name__)


def _continue_later(task, repository_id: int, countdown: int) -> None:
    """Re-queue the repository's sync; it resumes from its cursors (never `full` again).

    A pause is not a failure, so this is a new message rather than `retry()` (which would use
    up retries). Without a broker (eager mode) nothing can wait: the recorded pause is picked up
    by the next scheduled run or `manage.py sync`.
    """
    if task.request.is_eager:
        return
    task.apply_async(args=(repository_id,), kwargs={"full": False}, countdown=countdown)


@shared_task(
    bind=True,
    name="community.sync_repository",
    acks_late=True,
    autoretry_for=(TransientError,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    # A big repository takes longer than this: at the soft limit the task checkpoints (every
    # page already did) and re-queues itself, so no worker is held for hours.
    soft_time_limit=20 * 60,
    time_limit=22 * 60,
)
def sync_repository(self, repository_id: int, full: bool = False) -> str:
    """Sync one repository; then tell listeners (analytics) that its data was written."""
    from community.signals import sync_written_send

    status = _sync(self, repository_id, full)
    sync_written_send(repository_id=repository_id, status=status)
    return status


def _sync(task, repository_id: int, full: bool) -> str:
    from community.github.client import reset_countdown
    from community.models import Repository
    from community.services.sync import SyncBusy, repository_sync, sync_state_for

    repository = Repository.objects.filter(pk=repository_id).first()
    if repository is None:
        return "missing"
    state = sync_state_for(repository=repository)
    if state.is_paused:
        _continue_later(task, repository_id, reset_countdown(state.paused_until))
        return "paused"
    try:
        return repository_sync(repository=repository, full=full).status
    except SyncBusy:
        return "busy"
    except RateLimited as exc:
        _continue_later(task, repository_id, reset_countdown(exc.reset_at))
        return "paused"
    except SoftTimeLimitExceeded:
        _continue_later(task, repository_id, 1)
        return "continued"
    except TransientError:
        raise
    except GitHubError as exc:
        # Recorded on the repository's sync state; not found / bad credentials are not retried.
        logger.warning("sync of %s stopped: %s", repository.full_name, exc)
        return sync_state_for(repository=repository).status


@shared_task(name="community.sync_tracked_repositories", acks_late=True, time_limit=120)
def sync_tracked_repositories() -> int:
    """Beat: queue an incremental sync of every tracked repository that is due."""
    from community.services.sync import repositories_due

    due = repositories_due()
    for repository_id in due:
        sync_repository.delay(repository_id)
    return len(due)
