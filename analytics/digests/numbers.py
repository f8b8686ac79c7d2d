"""Numbers that moved: the dashboards' CHAOSS metrics for a period and the one before it.

The values come from the same metric specs the rollups store (`analytics.services.catalog`),
computed on one window of the repository's data, so a digest agrees with the dashboards and does
not depend on a fill having run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from analytics.periods import period_shift
from analytics.services.catalog import METRICS_BY_NAME
from analytics.services.windows import RunContext, window_load


@dataclass(frozen=True)
class NumberSpec:
    key: str
    label: str
    metric: str
    value: str
    unit: str = ""  # "h" for durations in hours
    lower_is_better: bool = False


NUMBERS = (
    NumberSpec("issues_opened", "Issues opened", "issue_flow", "opened"),
    NumberSpec("issues_closed", "Issues closed", "issue_flow", "closed"),
    NumberSpec("open_issues", "Open issues at the end", "issue_flow", "backlog"),
    NumberSpec("prs_opened", "Pull requests opened", "pr_flow", "opened"),
    NumberSpec("prs_merged", "Pull requests merged", "pr_flow", "merged"),
    NumberSpec("open_prs", "Open pull requests at the end", "pr_flow", "backlog"),
    NumberSpec("contributors_active", "Active contributors", "contributors", "active"),
    NumberSpec("contributors_new", "New contributors", "contributors", "new"),
    NumberSpec(
        "issue_first_response_median", "Time to first response on issues (median)",
        "issue_first_response", "median", "h", lower_is_better=True,
    ),
    NumberSpec(
        "issue_time_to_close_median", "Time to close issues (median)",
        "issue_time_to_close", "median", "h", lower_is_better=True,
    ),
    NumberSpec(
        "pr_first_review_median", "Time to first review (median)",
        "pr_first_review", "median", "h", lower_is_better=True,
    ),
    NumberSpec(
        "pr_merge_lead_time_median", "PR merge lead time (median)",
        "pr_merge_lead_time", "median", "h", lower_is_better=True,
    ),
    NumberSpec("stars_new", "New stars", "stars", "new"),
    NumberSpec("stars_total", "Stars at the end", "stars", "total"),
    NumberSpec("releases", "Releases", "releases", "releases"),
)  # fmt: skip


def _value(result: pd.DataFrame, repository_id: int, start: dt.date, column: str):
    """One metric value of one repository and period; None when the metric has none."""
    if result.empty or column not in result:
        return None
    rows = result[
        (result["repository_id"] == repository_id)
        & (pd.to_datetime(result["period_start"]) == pd.Timestamp(start))
    ]
    if rows.empty or pd.isna(rows[column].iloc[0]):
        return None
    value = rows[column].iloc[0]
    return round(float(value), 1) if isinstance(value, float) else int(value)


def _delta(current, previous):
    if current is None or previous is None:
        return None
    return round(current - previous, 1) if isinstance(current, float) else current - previous


def _number(spec: NumberSpec, result: pd.DataFrame, repository_id: int, start, previous) -> dict:
    current = _value(result, repository_id, start, spec.value)
    before = _value(result, repository_id, previous, spec.value)
    if not spec.unit:
        # The metrics leave out a repository with nothing in the window (nothing opened, closed,
        # open or starred): its counts and totals are 0. A median of nothing stays unknown.
        current = 0 if current is None else current
        before = 0 if before is None else before
    return {
        "key": spec.key,
        "label": spec.label,
        "unit": spec.unit,
        "lower_is_better": spec.lower_is_better,
        "current": current,
        "previous": before,
        "delta": _delta(current, before),
    }


def numbers_compute(
    *, context: RunContext, repository_id: int, period: str, starts: list[dt.date]
) -> dict[dt.date, list[dict]]:
    """start → every number of `NUMBERS` for that period and the one before it.

    One window, from the period before the first start to the end of the last, serves them all
    (a backfill of several periods reads and computes once).
    """
    day = period_shift(period=period, start=min(starts), count=-1)
    end = period_shift(period=period, start=max(starts), count=1)
    window_starts = []
    while day < end:
        window_starts.append(pd.Timestamp(day))
        day = period_shift(period=period, start=day, count=1)
    window = window_load(
        context=context, period=period, starts=window_starts, end=pd.Timestamp(end)
    )
    results = {name: METRICS_BY_NAME[name].compute(window) for name in {n.metric for n in NUMBERS}}
    return {
        start: [
            _number(
                spec,
                results[spec.metric],
                repository_id,
                start,
                period_shift(period=period, start=start, count=-1),
            )
            for spec in NUMBERS
        ]
        for start in starts
    }
