"""What analytics does when the community app says its data changed (community.signals)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.dispatch import receiver

from analytics.services.rollups import public_aggregates_withdraw, rollups_missing_since
from analytics.tasks import (
    HISTORY_QUEUED_KEY,
    HISTORY_QUEUED_SECONDS,
    REFRESH_DELAY_SECONDS,
    REFRESH_QUEUED_KEY,
    rollups_fill_history,
    rollups_public_recompute,
    rollups_refresh,
)
from community.signals import community_data_written, repositories_left_public


@receiver(repositories_left_public, dispatch_uid="analytics_withdraw_from_public_aggregates")
def withdraw_from_public_aggregates(sender, repository_ids, **kwargs) -> None:
    """Privatized, deleted or untracked: out of every public aggregate in the same transaction,
    and the public rollups recomputed without it once that transaction commits."""
    public_aggregates_withdraw(repository_ids=list(repository_ids))
    transaction.on_commit(rollups_public_recompute.delay)


@receiver(community_data_written, dispatch_uid="analytics_refresh_after_new_data")
def refresh_after_new_data(sender, repository_ids, kind: str, complete: bool = True, **kwargs):
    """A minute after new data, refresh the recent periods (debounced: one refresh queued per
    minute at most) — or, for a repository whose rollups miss its history (its first sync or
    webhook), fill that history instead. A sync that paused or continues (`complete` False) has
    more to bring: its history fill waits for its end."""
    if _fills_would_run_inline():
        return
    histories = [rid for rid in repository_ids if complete and _history_fill_queued(rid)]
    # The history fill ends at the current period: it does the refresh's work too.
    if histories and len(histories) == len(repository_ids):
        return
    if cache.add(REFRESH_QUEUED_KEY, True, timeout=REFRESH_DELAY_SECONDS):
        rollups_refresh.apply_async(countdown=REFRESH_DELAY_SECONDS)


def _history_fill_queued(repository_id: int) -> bool:
    """Queue the fill of a repository's history when its rollups miss it; True when queued."""
    if rollups_missing_since(repository_id=repository_id) is None:
        return False
    key = HISTORY_QUEUED_KEY.format(repository_id=repository_id)
    if cache.add(key, True, timeout=HISTORY_QUEUED_SECONDS):
        # A minute later, like the refresh: the first webhooks of a repository come in bursts.
        rollups_fill_history.apply_async(args=(repository_id,), countdown=REFRESH_DELAY_SECONDS)
    return True


def _fills_would_run_inline() -> bool:
    # Eager (embedded) mode runs tasks inline: a fill there would run inside every webhook.
    return settings.CELERY_TASK_ALWAYS_EAGER
