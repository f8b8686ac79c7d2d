"""Claim a stored delivery, apply it once, record the outcome; sweep and replay.

A delivery moves pending → processing → processed | ignored | failed. The claim is one conditional
UPDATE, so two workers (a redelivered message, a sweeper re-queue, a replay) never apply it twice;
the changes and the final status commit together, so a crash leaves nothing half-applied.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from community.github.payloads import PayloadError
from community.models import Delivery, DeliveryStatus
from community.services.webhooks.handlers import delivery_apply
from community.services.webhooks.receiving import delivery_enqueue, payload_read

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 10
# A pending delivery older than this was not queued (broker down) or its message was lost.
SWEEP_AFTER = timedelta(minutes=1)
# Longer than the task's hard time limit: a delivery still "processing" after this was left by a
# worker that died, and may be claimed again.
STALE_PROCESSING = timedelta(minutes=10)
SWEEP_BATCH = 1000
# Only errors that may pass on their own are retried; anything else fails at once for a
# maintainer to see (and replay once the cause is fixed).
# A soft time limit counts as transient: a database that is slow now may not be later.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, SoftTimeLimitExceeded)


@dataclass(frozen=True, slots=True)
class ProcessOutcome:
    status: str
    retry_in: float | None = None


def _claim(delivery_pk: int) -> bool:
    now = timezone.now()
    claimable = Q(status=DeliveryStatus.PENDING) | Q(
        status=DeliveryStatus.PROCESSING, started_at__lt=now - STALE_PROCESSING
    )
    claimed = Delivery.objects.filter(claimable, pk=delivery_pk).update(
        status=DeliveryStatus.PROCESSING, started_at=now, attempts=F("attempts") + 1
    )
    return claimed == 1


def _finish(delivery: Delivery, *, status: str, note: str = "", error: str = "", **extra) -> None:
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        **extra,
        status=status,
        note=note[:500],
        error=error,
        processed_at=now if status != DeliveryStatus.PENDING else None,
        latency=now - delivery.received_at if status != DeliveryStatus.PENDING else None,
    )


def retry_delay(attempts: int) -> float:
    """Exponential backoff with jitter: ~10 s, 20 s, 40 s, 80 s."""
    base = RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return base + random.uniform(0, base / 2)


def delivery_process(*, delivery_pk: int) -> ProcessOutcome:
    """Apply one delivery if nobody else has; safe to call any number of times."""
    if not _claim(delivery_pk):
        return ProcessOutcome(status="skipped")
    delivery = Delivery.objects.get(pk=delivery_pk)
    try:
        payload = payload_read(delivery.raw_body)
        # All or nothing: a payload error found halfway rolls back what the handler wrote.
        with transaction.atomic():
            status, note = delivery_apply(delivery=delivery, payload=payload)
            _finish(delivery, status=status, note=note)
        return ProcessOutcome(status=status)
    except TRANSIENT_ERRORS as exc:
        return _record_failure(delivery, exc, transient=True)
    except Exception as exc:
        return _record_failure(delivery, exc, transient=False)


def _record_failure(delivery: Delivery, exc: Exception, *, transient: bool) -> ProcessOutcome:
    error = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, PayloadError):  # the sender's data, not Steward's code: no traceback
        logger.warning(
            "webhook delivery %s (%s) refused: %s", delivery.delivery_id, delivery.event, exc
        )
    else:
        logger.exception("webhook delivery %s (%s) failed", delivery.delivery_id, delivery.event)
    if transient and delivery.attempts < MAX_ATTEMPTS:
        delay = retry_delay(delivery.attempts)
        # due_at: the sweeper must not queue it again before the backoff is over.
        due_at = timezone.now() + timedelta(seconds=delay)
        _finish(delivery, status=DeliveryStatus.PENDING, error=error, due_at=due_at)
        return ProcessOutcome(status=DeliveryStatus.PENDING, retry_in=delay)
    _finish(delivery, status=DeliveryStatus.FAILED, error=error)
    return ProcessOutcome(status=DeliveryStatus.FAILED)


def deliveries_sweep(*, batch: int = SWEEP_BATCH) -> int:
    """Queue again what is stuck: pending past its due time, or held by a dead worker."""
    now = timezone.now()
    stuck = Q(status=DeliveryStatus.PENDING, due_at__lt=now - SWEEP_AFTER) | Q(
        status=DeliveryStatus.PROCESSING, started_at__lt=now - STALE_PROCESSING
    )
    pks = list(
        Delivery.objects.filter(stuck).order_by("received_at").values_list("pk", flat=True)[:batch]
    )
    queued = sum(1 for pk in pks if delivery_enqueue(pk))
    if pks:
        logger.info("webhook sweeper queued %s of %s stuck deliveries", queued, len(pks))
    return queued


def deliveries_replay(*, deliveries: QuerySet[Delivery], queue: bool = True) -> list[int]:
    """Make the given deliveries pending again, attempts reset, and queue them (unless the
    caller processes them itself); returns their pks. One being processed right now is left."""
    # Locked while they are reset: a worker cannot claim one between the read and the update
    # (it would be reset under it, and processed twice).
    with transaction.atomic():
        pks = list(
            deliveries.exclude(status=DeliveryStatus.PROCESSING)
            .select_for_update()
            .order_by("received_at")
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=pks).exclude(status=DeliveryStatus.PROCESSING).update(
            status=DeliveryStatus.PENDING, attempts=0, error="", note="", due_at=timezone.now()
        )
    if queue:
        for pk in pks:
            transaction.on_commit(partial(delivery_enqueue, pk))
    return pks
