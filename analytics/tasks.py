"""Celery tasks of the analytics app: incremental and full rollups.

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

from analytics.services.rollups import rollups_fill

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
