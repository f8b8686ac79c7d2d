"""Store a verified delivery, then queue it once the row is committed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from community.github.payloads import PayloadError, body_loads
from community.models import Delivery, DeliveryStatus
from community.tasks.webhooks import process_delivery

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IncomingDelivery:
    """What the receiver verified: GitHub's headers, the raw body and its parsed JSON.

    `error` says why the body could not be read (then `payload` is empty): such a delivery is
    stored all the same, already failed, so that nothing a signed sender sent is lost.
    """

    delivery_id: str
    event: str
    hook_id: int | None
    headers: dict[str, str]
    body: bytes
    payload: dict[str, Any]
    error: str = ""


def payload_read(body: bytes) -> dict[str, Any]:
    """A delivery's JSON object; `PayloadError` when the body is not one (or cannot be read)."""
    payload = body_loads(body)
    if not isinstance(payload, dict):
        raise PayloadError("body", "expected a JSON object")
    return payload


def _delivery_fields(incoming: IncomingDelivery) -> dict[str, Any]:
    payload = incoming.payload
    repository = payload.get("repository") if isinstance(payload.get("repository"), dict) else {}
    installation = payload.get("installation") or {}
    action = payload.get("action")
    return {
        "delivery_id": incoming.delivery_id,
        "event": incoming.event,
        "action": stored_text(action, 64) if isinstance(action, str) else "",
        "hook_id": incoming.hook_id or github_id(payload.get("hook_id")),
        "installation_id": github_id(installation.get("id"))
        if isinstance(installation, dict)
        else None,
        "repository_github_id": github_id(repository.get("id")),
        "repository_full_name": stored_text(repository.get("full_name") or "", 201),
        "headers": incoming.headers,
        "body": incoming.body,
        **(_failed_fields(incoming.error) if incoming.error else {}),
    }


def stored_text(value: Any, limit: int) -> str:
    """A sender's value as a column of the deliveries list, storable on every database: NULs
    dropped and lone surrogates replaced (PostgreSQL refuses both). The raw body keeps what was
    sent."""
    text = value if isinstance(value, str) else str(value)
    text = text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    return text[:limit]


def _failed_fields(error: str) -> dict[str, Any]:
    now = timezone.now()
    return {"status": DeliveryStatus.FAILED, "error": error, "processed_at": now, "latency": None}


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
    try:
        # No publish retries: the request must answer fast, and the sweeper is the retry.
        process_delivery.apply_async(args=[delivery_pk], countdown=countdown, retry=False)
    except Exception:
        logger.exception("could not queue webhook delivery %s; the sweeper will", delivery_pk)
        return False
    return True


def delivery_receive(*, incoming: IncomingDelivery) -> tuple[Delivery, bool]:
    """Store the delivery; return it and whether it is new (False: GitHub redelivered it).

    One `INSERT … ON CONFLICT (delivery_id) DO NOTHING RETURNING id` statement, committed on its
    own: a redelivery is told apart without an error, a savepoint or a second round trip, which
    keeps the acknowledge path short under load. Processing is queued only after the row is
    committed, so a worker always finds it.
    """
    delivery = Delivery(**_delivery_fields(incoming))
    # Outside a transaction (a request) the statement commits itself and on_commit runs at once;
    # inside one (a test, a replay) the task waits for the caller's commit.
    pk = _insert_if_new(delivery)
    if pk is not None:
        delivery.pk = pk
        if not incoming.error:  # a body that cannot be read waits for a maintainer, not a worker
            transaction.on_commit(partial(delivery_enqueue, pk))
    if pk is None:
        return Delivery.objects.get(delivery_id=incoming.delivery_id), False
    return delivery, True


def _insert_if_new(delivery: Delivery) -> int | None:
    """Insert the row unless its delivery id is stored; the new primary key, or None."""
    opts = Delivery._meta
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    params = [f.get_db_prep_save(f.pre_save(delivery, add=True), connection) for f in fields]
    sql = (
        f"INSERT INTO {connection.ops.quote_name(opts.db_table)} ({columns}) "
        f"VALUES ({placeholders}) ON CONFLICT ({connection.ops.quote_name('delivery_id')}) "
        f"DO NOTHING RETURNING {connection.ops.quote_name(opts.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None
