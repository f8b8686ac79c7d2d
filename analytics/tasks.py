"""Celery tasks of the analytics app: incremental and full rollups, activity digests.

Rollups refresh on the beat schedule (CELERY_BEAT_SCHEDULE) and, with a real broker, a minute
after a sync or a webhook delivery wrote new data (analytics.receivers: debounced, one refresh
per minute at most). A repository's first sync or webhook queues a fill of its whole history
instead, so a new install or a newly added repository does not wait for the nightly full
recompute.

Like every task module, this one imports the services it calls inside each task (README,
"Development"): services and receivers import it to queue its tasks without closing a cycle.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.core.cache import cache

REFRESH_DELAY_SECONDS = 60
REFRESH_QUEUED_KEY = "analytics:rollups-refresh-queued"
HISTORY_QUEUED_KEY = "analytics:rollups-history-queued:{repository_id}"
# Queued, possibly retried while another fill holds the lock, then run: at most about this long.
HISTORY_QUEUED_SECONDS = 2 * 60 * 60


# A fill of the recent periods takes seconds to a few minutes on a large community.
@shared_task(
    name="analytics.rollups_refresh", acks_late=True, soft_time_limit=15 * 60, time_limit=16 * 60
)
def rollups_refresh(since: str | None = None) -> int:
    """Fill what is missing and redo the recent periods (or everything from `since`, ISO date).

    Safe to run twice and concurrently: fills are idempotent and only one runs at a time.
    """
    from analytics.services.rollups import rollups_fill

    report = rollups_fill(since=dt.date.fromisoformat(since) if since else None)
    return report.periods_written


# The nightly full recompute rereads all history: allowed an hour.
@shared_task(
    name="analytics.rollups_recompute", acks_late=True, soft_time_limit=60 * 60, time_limit=65 * 60
)
def rollups_recompute() -> int:
    from analytics.services.rollups import rollups_fill

    return rollups_fill(full=True).periods_written


# Like the nightly recompute, it may read years of history (of every repository, from the day
# the new one's data starts): allowed an hour. Busy means another fill holds the lock (at most
# the recompute's 65 minutes): try again every minute meanwhile.
@shared_task(
    bind=True,
    name="analytics.rollups_fill_history",
    acks_late=True,
    max_retries=70,
    soft_time_limit=60 * 60,
    time_limit=65 * 60,
)
def rollups_fill_history(self, repository_id: int) -> int:
    """Fill the metrics back to a repository's first data if its rollups do not reach it."""
    from analytics.services.rollups import rollups_fill, rollups_missing_since

    since = rollups_missing_since(repository_id=repository_id)
    if since is None:
        cache.delete(HISTORY_QUEUED_KEY.format(repository_id=repository_id))
        return 0
    report = rollups_fill(since=since)
    if report.skipped_busy:
        raise self.retry(countdown=REFRESH_DELAY_SECONDS)
    cache.delete(HISTORY_QUEUED_KEY.format(repository_id=repository_id))
    return report.periods_written


# Rereads the history of every public repository, like the nightly recompute: allowed an hour.
# Busy means another fill holds the lock: try again every minute (its public rows for a
# repository that left the public scope meanwhile are left out, and wait for this).
@shared_task(
    bind=True,
    name="analytics.rollups_public_recompute",
    acks_late=True,
    max_retries=70,
    soft_time_limit=60 * 60,
    time_limit=65 * 60,
)
def rollups_public_recompute(self) -> int:
    """The public scope's rollups again, after a repository left it (privatized, deleted)."""
    from analytics.services.rollups import public_rollups_recompute

    report = public_rollups_recompute()
    if report.skipped_busy:
        raise self.retry(countdown=REFRESH_DELAY_SECONDS)
    return report.periods_written


# One repository's four digests read one window per period: seconds, minutes on a huge one.
@shared_task(
    name="analytics.digests_generate_repository",
    acks_late=True,
    soft_time_limit=10 * 60,
    time_limit=11 * 60,
)
def digests_generate_repository(repository_id: int) -> int:
    """Refresh the current week's and month's digests; make the just-ended ones final."""
    from analytics.digests import digests_refresh
    from community.models import Repository

    repository = Repository.objects.filter(pk=repository_id, tracked=True).first()
    if repository is None:
        return 0
    return len(digests_refresh(repository=repository))


@shared_task(name="analytics.digests_generate", acks_late=True, time_limit=120)
def digests_generate() -> int:
    """Beat: queue the digests of every tracked repository (one task per repository)."""
    from analytics.services.rollups import tracked_repositories

    repositories = tracked_repositories()
    for repository_id, _ in repositories:
        digests_generate_repository.delay(repository_id)
    return len(repositories)
