"""Which unit a duration reads in: one rule for the charts and the digests.

Durations are stored in hours (release gaps in days). A reader compares values within one chart
or one row, so all values shown together share one unit: days when their typical value (the
median of the values) is above 48 hours, hours otherwise. "2,500 hours" reads as "104 days",
and "30 h → 2.1 d" never happens.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

DAYS_ABOVE_HOURS = 48.0


@dataclass(frozen=True)
class DurationUnit:
    name: str  # "hours", axis titles
    short: str  # "h", values
    hours: float  # how many hours one unit is

    def of(self, hours: float | None) -> float | None:
        """`hours` in this unit, rounded for display (None stays None)."""
        return None if hours is None else round(hours / self.hours, 2)

    def text(self, hours: float | None) -> str:
        """ "3.2 h" or "12.5 d"; "—" when unknown."""
        return "—" if hours is None else f"{hours / self.hours:,.1f} {self.short}"


HOURS = DurationUnit("hours", "h", 1.0)
DAYS = DurationUnit("days", "d", 24.0)


def duration_unit(hours: Iterable[float | None], *, at_least: DurationUnit = HOURS) -> DurationUnit:
    """Days when the median of the known `hours` is above 48 h (or `at_least` is DAYS), else
    hours. No known value: `at_least`."""
    known = [value for value in hours if value is not None]
    if at_least is DAYS:
        return DAYS
    if known and statistics.median(known) > DAYS_ABOVE_HOURS:
        return DAYS
    return HOURS
