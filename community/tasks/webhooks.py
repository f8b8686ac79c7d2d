"""Webhook processing and the sweeper that re-queues deliveries left behind."""

from __future__ import annotations

from celery import shared_task


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
    from community.services.webhooks import delivery_process
    from community.services.webhooks.receiving import delivery_enqueue
    from community.signals import delivery_written_send

    outcome = delivery_process(delivery_pk=delivery_pk)
    if outcome.retry_in is not None:
        delivery_enqueue(delivery_pk, countdown=outcome.retry_in)
    delivery_written_send(delivery_pk=delivery_pk)
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
    from community.services.webhooks import deliveries_sweep

    return deliveries_sweep()
