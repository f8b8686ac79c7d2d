"""Chart payloads (Chart.js shapes, drawn by static/js/boards.js) for the contributor board,
cycle-time and report pages. Values are rounded for display only; axes start at zero."""

from __future__ import annotations

import math

import pandas as pd

from analytics.metrics.cycle_time import PHASES

MAX_ORGANISATIONS = 12


def duration_unit(hours: pd.Series) -> tuple[str, float]:
    """("hours", 1) for short durations, ("days", 24) once the largest is over two days."""
    largest = pd.to_numeric(hours, errors="coerce").max()
    if largest is None or (isinstance(largest, float) and math.isnan(largest)):
        return "hours", 1.0
    return ("days", 24.0) if largest > 48 else ("hours", 1.0)


def _number(value, scale: float = 1.0):
    if value is None or pd.isna(value):
        return None
    return round(float(value) / scale, 2)


def diversity_chart(diversity: pd.DataFrame) -> dict | None:
    """Each organisation's share of the affiliated contributions, largest first (None: no one
    is affiliated, so there is nothing honest to draw)."""
    known = diversity[diversity["organisation"] != ""].head(MAX_ORGANISATIONS)
    if known.empty:
        return None
    return {
        "type": "bar",
        "horizontal": True,
        "unit": "% of affiliated contributions",
        "max": 100,
        "labels": list(known["organisation"]),
        "datasets": [
            {"label": "share", "data": [_number(100 * s) for s in known["share"]]},
        ],
    }


def cycle_time_chart(by_month: pd.DataFrame, months: list[pd.Timestamp]) -> dict | None:
    """Median of each phase per month of merge, stacked (None when nothing merged)."""
    if by_month.empty or not by_month["merged"].astype(int).sum():
        return None
    table = by_month.set_index(pd.to_datetime(by_month["period_start"]))
    medians = table[[f"{phase}_median" for phase in PHASES]]
    unit, scale = duration_unit(medians.sum(axis=1))
    datasets = []
    for phase in PHASES:
        column = table[f"{phase}_median"]
        data = [_number(column.get(month), scale) for month in months]
        if any(value is not None for value in data):
            datasets.append({"label": f"{phase} (median)", "data": data})
    return {
        "type": "bar",
        "stacked": True,
        "unit": unit,
        "labels": [month.date().isoformat() for month in months],
        "datasets": datasets,
    }


def waiting_chart(waiting: pd.DataFrame) -> dict | None:
    """Open PRs per phase they wait in (None when no PR is open)."""
    if not int(waiting["waiting"].sum()):
        return None
    return {
        "type": "bar",
        "unit": "open pull requests",
        "labels": list(waiting["phase"]),
        "datasets": [{"label": "waiting", "data": [int(n) for n in waiting["waiting"]]}],
    }
