"""Store a verified delivery, then queue it once the row is committed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction

from community.models import Delivery

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IncomingDelivery:
    """What the receiver verified: GitHub's headers, the raw body and its parsed JSON."""

    delivery_id: str
    event: str
    hook_id: int | None
    headers: dict[str, str]
    body: bytes
    payload: dict[str, Any]


def _delivery_fields(incoming: IncomingDelivery) -> dict[str, Any]:
    payload = incoming.payload
    repository = payload.get("repository") if isinstance(payload.get("repository"), dict) else {}
    installation = payload.get("installation") or {}
    action = payload.get("action")
    return {
        "delivery_id": incoming.delivery_id,
        "event": incoming.event,
        "action": action[:64] if isinstance(action, str) else "",
        "hook_id": incoming.hook_id or github_id(payload.get("hook_id")),
        "installation_id": github_id(installation.get("id"))
        if isinstance(installation, dict)
        else None,
        "repository_github_id": github_id(repository.get("id")),
        "repository_full_name": str(repository.get("full_name") or "")[:201],
        "headers": incoming.headers,
        "body": incoming.body,
    }


def github_id(value: Any) -> int | None:
    """An id as stored (64-bit signed), or None for anything else a sender may put there."""
    try:
        number = int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
    return number if number is not None and 0 <= number < 2**63 else None


def delivery_enqueue(delivery_pk: int, *, countdown: float | None = None) -> bool:
    """Publish the processing task. A broker outage is logged, not raised: the row is stored
    and pending, and the sweeper queues it again once the broker answers."""
    from community.tasks.webhooks import process_delivery

    try:
        # No publish retries: the request must answer fast, and the sweeper is the retry.
        process_delivery.apply_async(args=[delivery_pk], countdown=countdown, retry=False)
    except Exception:
        logger.exception("could not queue webhook delivery %s; the sweeper will", delivery_pk)
        return False
    return True


def delivery_receive(*, incoming: IncomingDelivery) -> tuple[Delivery, bool]:
    """Store the delivery; return it and whether it is new (False: GitHub redelivered it).

    Processing is queued only after the row is committed, so a worker always finds it.
    """
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(**_delivery_fields(incoming))
            transaction.on_commit(partial(delivery_enqueue, delivery.pk))
    except IntegrityError:
        existing = Delivery.objects.filter(delivery_id=incoming.delivery_id).first()
        if existing is None:  # the constraint that failed was not the delivery id
            raise
        return existing, False
    return delivery, True
