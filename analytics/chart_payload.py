"""Chart.js data from stored rollups: every period of the range on the x axis (a count of nothing
is 0, anything else with nothing to measure is a gap), one y axis per kind of value, durations
in one unit per chart (`analytics.units`), and one sentence per point saying what it is.

The payload is what the dashboards draw (`static/js/dashboards.js`) and what the chart's JSON
export returns: {type, unit, labels, axes: [{id, title, position}], datasets: [{label, data,
points, yAxisID, type?, measure}]}.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterable

import pandas as pd

from analytics.charts import (
    COUNT,
    DAYS_MEASURE,
    DURATIONS,
    PERCENT,
    RATIO,
    TOTAL,
    ChartSpec,
    Series,
)
from analytics.metrics import period_starts
from analytics.units import HOURS, DurationUnit, duration_unit


class _PointFormatter(string.Formatter):
    """`{n:issue}` → "1 issue" / "14 issues", `{n:person|people}` for irregular plurals; a value
    the period does not have reads as 0."""

    def get_value(self, key, args, kwargs):
        return kwargs.get(key, 0) if isinstance(key, str) else super().get_value(key, args, kwargs)

    def format_field(self, value, format_spec):
        if format_spec[:1].isalpha():
            one, _, many = format_spec.partition("|")
            number = int(value or 0)
            return f"{number:,} {one if number == 1 else (many or one + 's')}"
        return super().format_field(value, format_spec)


_FORMATTER = _PointFormatter()


def point_text(template: str, values: dict) -> str:
    return _FORMATTER.vformat(template, (), values)


def period_text(start: str | dt.date, period: str) -> str:
    """ "Mar 2026" for a month, "the week of 2 Mar 2026" for a week."""
    day = dt.date.fromisoformat(start) if isinstance(start, str) else start
    if period == "week":
        return f"the week of {day.day} {day:%b %Y}"
    return f"{day:%b %Y}"


def chart_periods(series: dict[str, list[dict]], period: str) -> list[str]:
    """Every period from the first to the last one anything is stored for (ISO dates)."""
    stored = {point["period_start"] for points in series.values() for point in points}
    if not stored:
        return []
    starts = period_starts(pd.Timestamp(min(stored)), pd.Timestamp(max(stored)), period)
    return [start.date().isoformat() for start in starts]


def _hours(series: Series, raw) -> float | None:
    if raw is None:
        return None
    return float(raw) * (24.0 if series.measure == DAYS_MEASURE else 1.0)


def chart_unit(spec_series: Iterable[Series], rows: Iterable[dict], at_least=HOURS):
    """The unit of a chart's durations: from its first duration series' values (its medians)."""
    durations = [s for s in spec_series if s.measure in DURATIONS]
    if not durations:
        return None
    first = durations[0]
    return duration_unit((_hours(first, row.get(first.key)) for row in rows), at_least=at_least)


def _value(series: Series, raw, unit: DurationUnit | None):
    if raw is None:
        return None
    if series.measure in DURATIONS:
        return unit.of(_hours(series, raw))
    return raw


def _value_text(series: Series, value, unit: DurationUnit | None) -> str:
    if series.measure in DURATIONS:
        return f"{value:,.1f} {unit.short}"
    if series.measure == PERCENT:
        return f"{value:.0f}%"
    if series.measure == RATIO:
        return f"{value:.2f}"
    if series.measure in (COUNT, TOTAL):
        return f"{int(value):,}"
    return f"{value:,.1f}".removesuffix(".0")


def series_points(
    series: Series, rows: dict[str, dict], *, periods: list[str], period: str, absent: str,
    unit: DurationUnit | None,
) -> tuple[list, list[str]]:  # fmt: skip
    """(values, what each point is) of one series over `periods` (period start → stored row)."""
    values, texts = [], []
    for start in periods:
        row = rows.get(start)
        raw = row.get(series.key) if row is not None else None
        if row is None and series.zero_when_absent:
            raw = 0
        context = {**(row or {}), "period": period_text(start, period)}
        value = _value(series, raw, unit)
        if value is None:
            why = point_text(series.gap or absent, context) if row is not None else None
            why = why or point_text(absent, context)
            texts.append(f"{why[:1].upper()}{why[1:]} (no {series.label})")
        else:
            texts.append(f"{point_text(series.point, context)}: {_value_text(series, value, unit)}")
        values.append(value)
    return values, texts


def _axes(spec: ChartSpec, unit: DurationUnit | None, period: str) -> list[dict]:
    ids = list(dict.fromkeys(s.axis for s in spec.series))
    return [
        {
            "id": axis,
            "title": spec.axes.get(axis, "").format(
                unit=unit.name if unit else "", per=f"per {period}"
            ),
            "position": "left" if index == 0 else "right",
            "integer": all(s.measure in (COUNT, TOTAL) for s in spec.series if s.axis == axis),
        }
        for index, axis in enumerate(ids)
    ]


def chart_data(
    spec: ChartSpec, series: dict[str, list[dict]], *, periods: list[str], period: str
) -> dict:
    """Chart.js-ready data for one chart over `periods` (see `chart_periods`)."""
    rows = {point["period_start"]: point for point in series.get(spec.metric, [])}
    shown = [rows[start] for start in periods if start in rows]
    unit = chart_unit(spec.series, shown, at_least=spec.at_least)
    datasets = []
    for item in spec.series:
        data, texts = series_points(
            item, rows, periods=periods, period=period, absent=spec.absent, unit=unit
        )
        dataset = {"label": item.label, "data": data, "points": texts, "yAxisID": item.axis,
                   "measure": item.measure}  # fmt: skip
        if item.draw:
            dataset["type"] = item.draw
        datasets.append(dataset)
    only_durations = all(item.measure in DURATIONS for item in spec.series)
    return {
        "type": spec.kind,
        "unit": unit.name if unit and only_durations else "",
        "labels": periods,
        "axes": _axes(spec, unit, period),
        "datasets": datasets,
    }


def comparison_data(
    spec: ChartSpec, series: Series, rows_by_label: dict[str, dict[str, dict]], *,
    periods: list[str], period: str,
) -> dict:  # fmt: skip
    """One dataset per repository (label → period start → stored row) for one series."""
    every_row = [row for rows in rows_by_label.values() for row in rows.values()]
    unit = chart_unit([series], every_row, at_least=spec.at_least)
    datasets = []
    for label, rows in rows_by_label.items():
        data, texts = series_points(
            series, rows, periods=periods, period=period, absent=spec.absent, unit=unit
        )
        texts = [f"{label}: {text}" for text in texts]
        datasets.append({"label": label, "data": data, "points": texts, "yAxisID": "y",
                         "measure": series.measure})  # fmt: skip
    title = spec.axes.get(series.axis, "").format(
        unit=unit.name if unit else "", per=f"per {period}"
    )
    return {
        "type": "line",
        "unit": unit.name if unit else "",
        "labels": periods,
        "axes": [
            {
                "id": "y",
                "title": title,
                "position": "left",
                "integer": series.measure in (COUNT, TOTAL),
            }
        ],
        "datasets": datasets,
    }
