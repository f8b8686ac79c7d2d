"""Pull request cycle time of one repository, in DevLake's phases."""

from __future__ import annotations

import pandas as pd
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from analytics.metrics.cycle_time import PHASE_HELP, PHASES
from analytics.selectors.board_charts import cycle_time_chart, waiting_chart
from analytics.selectors.cycle_time import cycle_time_build
from analytics.units import DurationUnit, duration_unit
from analytics.views.report_forms import PRESETS, CycleTimeForm
from community.selectors import repository_get_visible

RECENT_MERGED = 50
OLDEST_WAITING = 5


def _known(values) -> list[float]:
    return [float(v) for v in values if v is not None and not pd.isna(v)]


def _unit(*columns) -> DurationUnit:
    """One unit for a table column (analytics/units.py): days when its typical value is above
    48 h, else hours, so a column never mixes "45.9 h" and "3.0 d"."""
    return duration_unit([v for column in columns for v in _known(column)])


def _hours_text(hours, unit: DurationUnit) -> str:
    """12.0 h or 3.5 d, in the column's unit ("—" when there is none)."""
    if hours is None or pd.isna(hours):
        return "—"
    return unit.text(float(hours))


def _month_rows(cycle) -> list[dict]:
    table = cycle.by_month.set_index(pd.to_datetime(cycle.by_month["period_start"]))
    units = {p: _unit(cycle.by_month[f"{p}_median"], cycle.by_month[f"{p}_p75"]) for p in PHASES}
    rows = []
    for month in cycle.months:
        if month not in table.index:
            rows.append({"month": month, "merged": 0, "reviewed": 0, "phases": []})
            continue
        row = table.loc[month]
        phases = [
            (_hours_text(row[f"{p}_median"], units[p]), _hours_text(row[f"{p}_p75"], units[p]))
            for p in PHASES
        ]
        rows.append({"month": month, "merged": int(row["merged"]),
                     "reviewed": int(row["reviewed"]), "phases": phases})  # fmt: skip
    return rows


def _pr_rows(frame: pd.DataFrame, logins: dict) -> list[dict]:
    units = {p: _unit(frame[f"{p}_hours"]) for p in PHASES}
    rows = []
    for pr in frame.itertuples():
        rows.append(
            {
                "number": pr.number,
                "title": pr.title,
                "author": logins.get(pr.author_id) if pd.notna(pr.author_id) else None,
                "merged_at": pr.merged_at,
                "phases": [_hours_text(getattr(pr, f"{p}_hours"), units[p]) for p in PHASES],
                "phase_now": pr.phase_now,
                "phase_since": pr.phase_since,
            }
        )
    return rows


def cycle_time(request: HttpRequest, owner: str, name: str) -> HttpResponse:
    repository = repository_get_visible(user=request.user, owner=owner, name=name)
    if repository is None:
        raise Http404("No such repository")
    form = CycleTimeForm(request.GET or None)
    window = form.window()
    cycle = cycle_time_build(
        user=request.user, repository=repository, start=window.start, end=window.end
    )
    phases = cycle.phases
    merged = phases[phases["merged_at"].notna()].sort_values("merged_at", ascending=False)
    waiting = []
    median_unit = _unit(cycle.waiting["median_hours"])
    oldest_unit = _unit(cycle.waiting["oldest_hours"])
    humans = phases[~phases["author_is_bot"].astype(bool)]
    for row in cycle.waiting.itertuples():
        stuck = humans[humans["phase_now"] == row.phase].sort_values("phase_since")
        waiting.append(
            {
                "phase": row.phase,
                "help": PHASE_HELP[row.phase],
                "waiting": row.waiting,
                "median": _hours_text(row.median_hours, median_unit),
                "oldest": _hours_text(row.oldest_hours, oldest_unit),
                "prs": _pr_rows(stuck.head(OLDEST_WAITING), cycle.logins),
            }
        )
    load = [
        {"login": cycle.logins.get(int(r.reviewer_id), ""), "open_requests": r.open_requests,
         "reviews": r.reviews, "prs_reviewed": r.prs_reviewed}
        for r in cycle.load.itertuples()
    ]  # fmt: skip
    return render(
        request,
        "analytics/cycle_time/repository.html",
        {
            "repository": repository,
            "form": form,
            "window": window,
            "presets": PRESETS,
            "phases": [(p, PHASE_HELP[p]) for p in PHASES],
            "chart": cycle_time_chart(cycle.by_month, cycle.months),
            "waiting_chart": waiting_chart(cycle.waiting),
            "months": _month_rows(cycle),
            "merged_count": len(merged),
            "commits_known": cycle.commits_known,
            "recent": _pr_rows(merged.head(RECENT_MERGED), cycle.logins),
            "waiting": waiting,
            "load": load,
        },
    )
