"""Celery tasks of the analytics app: incremental and full rollups."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import transaction

from analytics.services.rollups import rollups_fill


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
    """Queue a refresh once the current transaction commits (call it after writing new data)."""
    transaction.on_commit(lambda: rollups_refresh.delay(since.isoformat() if since else None))
