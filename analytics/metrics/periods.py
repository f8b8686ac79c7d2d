"""Duration summaries shared by every metric. The calendar periods themselves (ISO weeks and
months, in UTC) are defined once, in `analytics.periods`."""

from __future__ import annotations

import pandas as pd

from analytics.periods import to_utc

KEYS = ["repository_id", "period_start"]


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
