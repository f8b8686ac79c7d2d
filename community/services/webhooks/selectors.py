"""Reads for the maintainers' deliveries page."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from community.models import Delivery, DeliveryStatus

RECENT_LIMIT = 200


def deliveries_recent(
    *, status: str | None = None, limit: int = RECENT_LIMIT
) -> QuerySet[Delivery]:
    deliveries = Delivery.objects.defer("body", "headers").order_by("-received_at")
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries[:limit]


def delivery_status_counts() -> dict[str, int]:
    counts = dict.fromkeys(DeliveryStatus.values, 0)
    rows = Delivery.objects.order_by().values("status").annotate(n=Count("pk"))
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
