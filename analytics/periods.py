"""Calendar periods: the one definition used by the metrics, the stored rollups and the digests.

A period is an ISO week (starting Monday) or a calendar month, in UTC: a timestamp is converted to
UTC first (a naive one is taken as UTC), then floored to midnight of the Monday that starts its
week or of the first day of its month. Pandas code gets period starts as naive UTC timestamps,
digests as dates; both come from `period_floor`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

PERIODS = ("week", "month")


def to_utc(values: pd.Series) -> pd.Series:
    """Any timestamps (naive = UTC, or aware in any zone) as UTC-aware timestamps."""
    return pd.to_datetime(values, utc=True)


def period_floor(values: pd.Series, period: str) -> pd.Series:
    """The start of the `period` ("week" or "month") each timestamp falls in, in UTC."""
    naive = to_utc(values).dt.tz_convert("UTC").dt.tz_localize(None)
    if period == "week":
        day = naive.dt.normalize()
        return day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    if period == "month":
        return naive.dt.to_period("M").dt.start_time
    raise ValueError(f"unknown period {period!r}")


def period_start(value: dt.date | dt.datetime | pd.Timestamp, period: str) -> pd.Timestamp:
    """The start of the period one moment (or day) falls in, as a naive UTC timestamp."""
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo else stamp
    return period_floor(pd.Series([stamp]), period).iloc[0]


def _offset(period: str, count: int) -> pd.DateOffset:
    if period == "week":
        return pd.DateOffset(weeks=count)
    if period == "month":
        return pd.DateOffset(months=count)
    raise ValueError(f"unknown period {period!r}")


def period_shift(*, period: str, start, count: int):
    """The start of the period `count` periods after (or before, if negative) the period starting
    at `start`: a date for a date, a timestamp for a timestamp."""
    shifted = pd.Timestamp(start) + _offset(period, count)
    return shifted if isinstance(start, pd.Timestamp) else shifted.date()


def period_starts(start: pd.Timestamp, end: pd.Timestamp, period: str) -> list[pd.Timestamp]:
    """Every period start from the period containing `start` to the one containing `end`."""
    first, last = period_floor(pd.Series([start, end]), period)
    freq = "W-MON" if period == "week" else "MS"
    return list(pd.date_range(first, last, freq=freq))


def period_bounds(*, period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """[start, end) of the week (Monday first) or month containing `day`, as dates."""
    start = period_start(day, period).date()
    return start, period_shift(period=period, start=start, count=1)


def period_start_parse(*, period: str, text: str) -> dt.date | None:
    """The date `text` (YYYY-MM-DD) if it starts a `period`, else None (for URLs and forms)."""
    if period not in PERIODS:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    start, _ = period_bounds(period=period, day=day)
    return day if day == start else None


def at_midnight(day: dt.date) -> dt.datetime:
    """The UTC instant a period day begins."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
