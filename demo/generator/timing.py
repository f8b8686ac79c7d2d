"""When things happen: growth over time, skewed delays, a weekday and working-hour bias."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def growing_moment(
    rng: random.Random, *, start: datetime, end: datetime, growth: float
) -> datetime:
    """A moment in [start, end] whose density grows like t^growth (0 = uniform)."""
    span = (end - start).total_seconds()
    fraction = rng.random() ** (1.0 / (1.0 + growth))
    return _to_second(start + timedelta(seconds=span * fraction))


def skewed_delay(rng: random.Random, *, median: timedelta, spread: float) -> timedelta:
    """A log-normal delay: most are near `median`, a long tail reaches weeks or months."""
    seconds = median.total_seconds() * math.exp(rng.gauss(0.0, spread))
    return timedelta(seconds=max(60.0, seconds))


def working_time(rng: random.Random, moment: datetime) -> datetime:
    """Move `moment` forward (never back) so people mostly act on weekdays, in the daytime (UTC).

    The community is spread over time zones, so a share of actions keeps its odd hour.
    """
    if rng.random() < 0.2:
        return _to_second(moment)
    shifted = moment
    if shifted.weekday() >= 5 and rng.random() < 0.75:
        shifted = _next_weekday(rng, shifted)
    hour = min(max(rng.gauss(14.0, 3.5), 6.0), 22.0)
    candidate = _day_start(shifted) + timedelta(hours=hour)
    if candidate < moment:
        candidate += DAY
        if candidate.weekday() >= 5 and rng.random() < 0.75:
            candidate = _next_weekday(rng, candidate) + (candidate - _day_start(candidate))
    return _to_second(candidate)


def _next_weekday(rng: random.Random, moment: datetime) -> datetime:
    """Monday or Tuesday after a weekend `moment` (the weekend's work spreads over both)."""
    return _day_start(moment) + (7 - moment.weekday() + rng.choice((0, 0, 1))) * DAY


def after(rng: random.Random, moment: datetime, *, median: timedelta, spread: float) -> datetime:
    """A human action some skewed delay after `moment`, at a believable time of the week."""
    return working_time(rng, moment + skewed_delay(rng, median=median, spread=spread))


def _day_start(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _to_second(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)
