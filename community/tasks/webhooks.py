"""Webhook processing and the sweeper that re-queues deliveries left behind."""

from __future__ import annotations

from celery import shared_task

from community.services.webhooks import deliveries_sweep, delivery_process
from community.services.webhooks.receiving import delivery_enqueue


# A delivery is a handful of upserts; five minutes means something is stuck, and the sweeper's
# stale-claim window (10 min) is longer so a killed task's delivery is claimed again only after.
@shared_task(
    name="community.webhooks.process_delivery",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=240,
    time_limit=300,
)
def process_delivery(delivery_pk: int) -> str:
    """Apply a stored delivery; safe to run twice (the second run finds it claimed or done)."""
    outcome = delivery_process(delivery_pk=delivery_pk)
    if outcome.retry_in is not None:
        delivery_enqueue(delivery_pk, countdown=outcome.retry_in)
    return outcome.status


# Queues at most a batch of ids per run (a few seconds); the next minute's run takes the rest.
@shared_task(
    name="community.webhooks.sweep_deliveries",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=50,
    time_limit=60,
)
def sweep_deliveries() -> int:
    return deliveries_sweep()
