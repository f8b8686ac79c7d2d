"""Calendar periods and duration summaries shared by every metric.

Periods are computed in UTC: a timestamp is converted to UTC first, then floored to the Monday
that starts its ISO week (`week`) or to the first day of its month (`month`). Period starts are
naive UTC timestamps (midnight).
"""

from __future__ import annotations

import pandas as pd

PERIODS = ("week", "month")
KEYS = ["repository_id", "period_start"]


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


def period_starts(start: pd.Timestamp, end: pd.Timestamp, period: str) -> list[pd.Timestamp]:
    """Every period start from the period containing `start` to the one containing `end`."""
    first, last = period_floor(pd.Series([start, end]), period)
    freq = "W-MON" if period == "week" else "MS"
    return list(pd.date_range(first, last, freq=freq))


def hours_between(start: pd.Series, end: pd.Series) -> pd.Series:
    return (to_utc(end) - to_utc(start)).dt.total_seconds() / 3600.0


def summarize(frame: pd.DataFrame, value: str, keys: list[str] = KEYS) -> pd.DataFrame:
    """count, median and p90 (linear interpolation) of `value` per `keys` group."""
    grouped = frame.groupby(keys)[value]
    out = pd.DataFrame(
        {
            "count": grouped.size(),
            "median": grouped.median(),
            "p90": grouped.quantile(0.9),
        }
    )
    return out.reset_index()


def empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
