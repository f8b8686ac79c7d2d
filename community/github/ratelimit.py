"""GitHub's rate-limit headers, read into a budget per credential."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# GitHub asks clients that hit a secondary limit without a Retry-After to wait at least a minute.
SECONDARY_LIMIT_DEFAULT_WAIT = timedelta(seconds=60)


@dataclass(slots=True)
class RateBudget:
    """What one credential may still spend before `reset_at`. Unknown until a response says."""

    remaining: int | None = None
    limit: int | None = None
    reset_at: datetime | None = None

    def update(self, headers: Mapping[str, str]) -> None:
        remaining = headers.get("x-ratelimit-remaining")
        if remaining is not None:
            self.remaining = int(float(remaining))
        limit = headers.get("x-ratelimit-limit")
        if limit is not None:
            self.limit = int(float(limit))
        reset = headers.get("x-ratelimit-reset")
        if reset is not None:
            self.reset_at = datetime.fromtimestamp(int(float(reset)), tz=UTC)

    def is_low(self, *, reserve: int, now: datetime) -> bool:
        """Below the reserve and not yet reset."""
        if self.remaining is None or self.remaining > reserve:
            return False
        return self.reset_at is None or self.reset_at > now

    def exhaust(self, *, reset_at: datetime) -> None:
        self.remaining = 0
        self.reset_at = reset_at


def retry_after(headers: Mapping[str, str], *, now: datetime) -> datetime | None:
    """The moment a `Retry-After` header (seconds) points at, if the response carries one."""
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return now + timedelta(seconds=max(0, int(float(value))))
    except ValueError:
        return None


def primary_reset(headers: Mapping[str, str], *, now: datetime) -> datetime | None:
    """When an exhausted primary limit resets, if the response says it is exhausted."""
    if headers.get("x-ratelimit-remaining") not in ("0", "0.0"):
        return None
    reset = headers.get("x-ratelimit-reset")
    if reset is None:
        return now + SECONDARY_LIMIT_DEFAULT_WAIT
    return max(now, datetime.fromtimestamp(int(float(reset)), tz=UTC))
