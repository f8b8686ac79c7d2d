"""Celery tasks of the analytics app: incremental and full rollups, activity digests.

Rollups refresh on the beat schedule (CELERY_BEAT_SCHEDULE) and, with a real broker, a minute
after a sync or a webhook delivery wrote new data (debounced: one refresh per minute at most).
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from celery.signals import task_success
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from analytics.digests import digests_refresh
from analytics.services.rollups import rollups_fill, tracked_repositories
from community.models import Repository

# Tasks after which new community data may be stored.
DATA_TASKS = frozenset({"community.sync_repository", "community.webhooks.process_delivery"})
REFRESH_DELAY_SECONDS = 60
REFRESH_QUEUED_KEY = "analytics:rollups-refresh-queued"


# A fill of the recent periods takes seconds to a few minutes on a large community.
@shared_task(
    name="analytics.rollups_refresh", acks_late=True, soft_time_limit=15 * 60, time_limit=16 * 60
)
def rollups_refresh(since: str | None = None) -> int:
    """Fill what is missing and redo the recent periods (or everything from `since`, ISO date).

    Safe to run twice and concurrently: fills are idempotent and only one runs at a time.
    """
    report = rollups_fill(since=dt.date.fromisoformat(since) if since else None)
    return report.periods_written


# The nightly full recompute rereads all history: allowed an hour.
@shared_task(
    name="analytics.rollups_recompute", acks_late=True, soft_time_limit=60 * 60, time_limit=65 * 60
)
def rollups_recompute() -> int:
    return rollups_fill(full=True).periods_written


# One repository's four digests read one window per period: seconds, minutes on a huge one.
@shared_task(
    name="analytics.digests_generate_repository",
    acks_late=True,
    soft_time_limit=10 * 60,
    time_limit=11 * 60,
)
def digests_generate_repository(repository_id: int) -> int:
    """Refresh the current week's and month's digests; make the just-ended ones final."""
    repository = Repository.objects.filter(pk=repository_id, tracked=True).first()
    if repository is None:
        return 0
    return len(digests_refresh(repository=repository))


@shared_task(name="analytics.digests_generate", acks_late=True, time_limit=120)
def digests_generate() -> int:
    """Beat: queue the digests of every tracked repository (one task per repository)."""
    repositories = tracked_repositories()
    for repository_id, _ in repositories:
        digests_generate_repository.delay(repository_id)
    return len(repositories)


def rollups_refresh_on_commit(*, since: dt.date | None = None) -> None:
    """Queue a refresh once the current transaction commits (e.g. after a backfill)."""
    transaction.on_commit(lambda: rollups_refresh.delay(since.isoformat() if since else None))


@task_success.connect
def _refresh_after_new_data(sender=None, **kwargs) -> None:
    # Eager (embedded) mode runs tasks inline: a fill there would run inside every webhook.
    if sender is None or sender.name not in DATA_TASKS or settings.CELERY_TASK_ALWAYS_EAGER:
        return
    if cache.add(REFRESH_QUEUED_KEY, True, timeout=REFRESH_DELAY_SECONDS):
        rollups_refresh.apply_async(countdown=REFRESH_DELAY_SECONDS)
