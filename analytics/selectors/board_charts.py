"""Chart payloads for the contributor board and cycle-time pages, in the dashboards' shape
(`analytics.chart_payload`, drawn by static/js/dashboards.js): one value axis per kind of value
(counts and durations never share one), durations in one unit per chart (`analytics.units`),
and a sentence per point saying what it is — or why it is a gap. A count of nothing is 0; a
median of nothing is a gap."""

from __future__ import annotations

import pandas as pd

from analytics.chart_payload import period_text, point_text
from analytics.charts import COUNT, HOURS_MEASURE, PERCENT
from analytics.metrics.cycle_time import PHASES
from analytics.units import DurationUnit, duration_unit

MAX_ORGANISATIONS = 12

# Which merged PRs have a phase, when not all of them do (see analytics.metrics.cycle_time).
PHASE_HAVING = {
    "coding": "whose pushes were received",
    "pickup": "reviewed",
    "review": "reviewed",
    "merge": "reviewed",
}
# Why a month with merged PRs has no median of a phase: (one PR merged, several merged).
PHASE_MISSING = {
    "coding": ("no push to the branch of the PR merged in {period} was received",
               "no push to the branches of the {merged} PRs merged in {period} was received"),
    "pickup": ("the PR merged in {period} was not reviewed",
               "none of the {merged} PRs merged in {period} was reviewed"),
}  # fmt: skip
PHASE_MISSING["review"] = PHASE_MISSING["merge"] = PHASE_MISSING["pickup"]


def _known(value) -> bool:
    return value is not None and not pd.isna(value)


def _axis(axis_id: str, title: str, *, integer: bool, position: str = "left", **extra) -> dict:
    return {"id": axis_id, "title": title, "position": position, "integer": integer, **extra}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def diversity_chart(diversity: pd.DataFrame, *, window: str) -> dict | None:
    """Each organisation's share of the affiliated contributions, largest first, as horizontal
    bars on a 0 to 100% axis (None: no one is affiliated, so there is nothing honest to draw)."""
    known = diversity[diversity["organisation"] != ""]
    if known.empty:
        return None
    affiliated = int(known["contributions"].sum())
    shown = known.head(MAX_ORGANISATIONS)
    points = [
        point_text(
            "{organisation}: {people:person|people} made {contributions:contribution} of the "
            "{affiliated:contribution} by people with a known organisation ({window})",
            {"organisation": row.organisation, "people": row.contributors,
             "contributions": row.contributions, "affiliated": affiliated, "window": window},
        ) + f": {100 * row.share:.0f}%"
        for row in shown.itertuples()
    ]  # fmt: skip
    return {
        "type": "bar",
        "horizontal": True,
        "unit": "",
        "labels": list(shown["organisation"]),
        "axes": [_axis("x", "% of affiliated contributions", integer=False, max=100)],
        "datasets": [
            {
                "label": "share of affiliated contributions",
                "xAxisID": "x",
                "measure": PERCENT,
                "data": [round(100 * float(s), 1) for s in shown["share"]],
                "points": points,
            },
        ],
    }


def _phase_points(
    phase: str, table: pd.DataFrame, months: list[pd.Timestamp], unit: DurationUnit
) -> tuple[list, list[str]]:
    values, texts = [], []
    for month in months:
        period = period_text(month.date(), "month")
        row = table.loc[month] if month in table.index else None
        merged = int(row["merged"]) if row is not None else 0
        median = row[f"{phase}_median"] if row is not None else None
        context = {"merged": merged, "period": period}
        if not merged:
            values.append(None)
            texts.append(f"No pull request merged in {period} (no {phase} median)")
        elif not _known(median):
            values.append(None)
            why = PHASE_MISSING[phase][0 if merged == 1 else 1].format(**context)
            texts.append(f"{_capital(why)} (no {phase} median)")
        else:
            known = int(row[f"{phase}_known"])
            which = (
                point_text("the {merged:PR} merged in {period}", context)
                if known == merged
                else point_text("{known} of the {merged:PR} merged in {period}", {
                    **context, "known": known}) + f", the ones {PHASE_HAVING[phase]}"
            )  # fmt: skip
            values.append(unit.of(float(median)))
            texts.append(f"Median {phase} time of {which}: {unit.text(float(median))}")
    return values, texts


def cycle_time_chart(by_month: pd.DataFrame, months: list[pd.Timestamp]) -> dict | None:
    """Median of each phase per month of merge, stacked bars on a duration axis, and the PRs
    merged each month as a line on a count axis (None when nothing merged)."""
    if by_month.empty or not by_month["merged"].astype(int).sum():
        return None
    table = by_month.set_index(pd.to_datetime(by_month["period_start"]))
    medians = table[[f"{phase}_median" for phase in PHASES]].stack()
    unit = duration_unit(float(value) for value in medians if _known(value))
    datasets = []
    for phase in PHASES:
        if not table[f"{phase}_median"].notna().any():
            continue  # no PR of the window has this phase: the page's note says why
        data, points = _phase_points(phase, table, months, unit)
        datasets.append({"label": f"{phase} (median)", "data": data, "points": points,
                         "yAxisID": "y", "measure": HOURS_MEASURE, "type": "bar"})  # fmt: skip
    merged = [int(table.loc[m, "merged"]) if m in table.index else 0 for m in months]
    datasets.append(
        {
            "label": "PRs merged",
            "data": merged,
            "points": [
                point_text(
                    "{merged:PR} merged in {period} (bots' PRs left out)",
                    {"merged": n, "period": period_text(m.date(), "month")},
                )
                + f": {n}"
                for n, m in zip(merged, months, strict=True)
            ],
            "yAxisID": "y2",
            "measure": COUNT,
            "type": "line",
        }
    )
    return {
        "type": "bar",
        "unit": unit.name,
        "labels": [month.date().isoformat() for month in months],
        "axes": [
            _axis("y", f"median time in phase ({unit.name})", integer=False, stacked=True),
            _axis("y2", "pull requests merged per month", integer=True, position="right"),
        ],
        "datasets": datasets,
    }


def waiting_chart(waiting: pd.DataFrame) -> dict | None:
    """Open PRs per phase they wait in now (None when no PR is open)."""
    if not int(waiting["waiting"].sum()):
        return None
    unit = duration_unit(float(v) for v in waiting["median_hours"] if _known(v))
    points = []
    for row in waiting.itertuples():
        if row.waiting:
            context = {"n": row.waiting, "phase": row.phase}
            text = point_text("{n:open PR} waiting in {phase} now", context)
            text += f" (median wait so far {unit.text(float(row.median_hours))})"
        else:
            text = f"no open PR is waiting in {row.phase} now"
        points.append(f"{_capital(text)}: {int(row.waiting)}")
    return {
        "type": "bar",
        "unit": "",
        "labels": list(waiting["phase"]),
        "axes": [_axis("y", "open pull requests", integer=True)],
        "datasets": [
            {
                "label": "open PRs waiting",
                "data": [int(n) for n in waiting["waiting"]],
                "points": points,
                "yAxisID": "y",
                "measure": COUNT,
            },
        ],
    }
