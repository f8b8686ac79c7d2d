"""Process stored webhook deliveries again: `replay_deliveries [--failed] [--since …]`."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from community.models import Delivery, DeliveryStatus
from community.services.webhooks import deliveries_replay, delivery_process

UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_since(value: str) -> datetime:
    """An ISO 8601 time (`2026-05-01`, `2026-05-01T12:00Z`) or an age (`30m`, `6h`, `2d`)."""
    value = value.strip()
    if value[:-1].isdigit() and value[-1:] in UNITS:
        return timezone.now() - timedelta(**{UNITS[value[-1]]: int(value[:-1])})
    parsed = parse_datetime(value) or parse_datetime(f"{value}T00:00:00")
    if parsed is None:
        raise CommandError(f"--since: not a time or an age like 6h: {value!r}")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


class Command(BaseCommand):
    help = "Re-run stored GitHub webhook deliveries (all, or only failed ones, since a time)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--failed", action="store_true", help="only failed deliveries")
        parser.add_argument("--since", help="received since: ISO time or an age (30m, 6h, 2d)")
        parser.add_argument("--event", help="only this event (e.g. issues)")
        parser.add_argument(
            "--inline", action="store_true", help="process here instead of queueing to workers"
        )

    def handle(
        self, *args, failed: bool, since: str | None, event: str | None, inline: bool, **options
    ) -> None:
        deliveries = Delivery.objects.all()
        if failed:
            deliveries = deliveries.filter(status=DeliveryStatus.FAILED)
        if since:
            deliveries = deliveries.filter(received_at__gte=parse_since(since))
        if event:
            deliveries = deliveries.filter(event=event)
        pks = deliveries_replay(deliveries=deliveries, queue=not inline)
        if not inline:
            self.stdout.write(f"{len(pks)} deliveries queued again.")
            return
        statuses = [delivery_process(delivery_pk=pk).status for pk in pks]
        self.stdout.write(f"{len(pks)} deliveries processed: {_summary(statuses)}")


def _summary(statuses: list[str]) -> str:
    return ", ".join(f"{s}={statuses.count(s)}" for s in sorted(set(statuses))) or "none"
