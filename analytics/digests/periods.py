"""Digest periods: ISO weeks (starting Monday) and calendar months, as UTC dates [start, end)."""

from __future__ import annotations

import datetime as dt

from analytics.models.rollups import Period


def period_shift(*, period: str, start: dt.date, count: int) -> dt.date:
    """The start of the period `count` periods after (or before, if negative) `start`."""
    if period == Period.WEEK:
        return start + dt.timedelta(weeks=count)
    if period == Period.MONTH:
        months = start.year * 12 + start.month - 1 + count
        return dt.date(months // 12, months % 12 + 1, 1)
    raise ValueError(f"unknown period {period!r}")


def period_bounds(*, period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """[start, end) of the week (Monday first) or month containing `day`."""
    if period == Period.WEEK:
        start = day - dt.timedelta(days=day.weekday())
    elif period == Period.MONTH:
        start = day.replace(day=1)
    else:
        raise ValueError(f"unknown period {period!r}")
    return start, period_shift(period=period, start=start, count=1)


def period_start_parse(*, period: str, text: str) -> dt.date | None:
    """The date `text` (YYYY-MM-DD) if it starts a `period`, else None (for URLs and forms)."""
    if period not in Period.values:
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
