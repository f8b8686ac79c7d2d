"""Stored metrics for dashboards, exports and the API. One indexed query per chart set.

Who sees what follows the site: anonymous and non-staff users read the public aggregate scope
and public repositories only; staff read everything tracked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from analytics import chart_payload
from analytics.charts import CHARTS, COMPARABLE_SERIES, ChartSpec
from analytics.metrics import retention_matrix
from analytics.models import AttentionSnapshot, MetricRollup, Scope
from analytics.models.rollups import Period
from community.models import Repository
from community.selectors import repositories_visible_to, user_sees_private

DEFAULT_SPAN = {"week": 26, "month": 12}


@dataclass(frozen=True)
class MetricRange:
    period: str
    start: dt.date
    end: dt.date


def metric_range_default(*, period: str = Period.MONTH, today: dt.date | None = None):
    today = today or dt.date.today()
    span = dt.timedelta(weeks=DEFAULT_SPAN[period]) if period == "week" else None
    start = today - span if span else (pd.Timestamp(today) - pd.DateOffset(months=12)).date()
    return MetricRange(period=period, start=start, end=today)


def aggregate_scope_for(*, user) -> str:
    return Scope.ALL if user_sees_private(user=user) else Scope.PUBLIC


def rollup_series(
    *, user, repository: Repository | None, metric_range: MetricRange, metrics=None
) -> dict[str, list[dict]]:
    """metric → [{"period_start": "YYYY-MM-DD", **values}, …] in time order, for one scope.

    `repository` None means the aggregate scope the user may see. The caller has checked that
    the user may see `repository`.
    """
    rows = MetricRollup.objects.filter(
        period=metric_range.period,
        period_start__gte=metric_range.start,
        period_start__lte=metric_range.end,
    )
    if repository is None:
        rows = rows.filter(scope=aggregate_scope_for(user=user), repository__isnull=True)
    else:
        rows = rows.filter(scope=Scope.REPOSITORY, repository=repository)
    if metrics is not None:
        rows = rows.filter(metric__in=list(metrics))
    series: dict[str, list[dict]] = {}
    for metric, start, values in rows.order_by("period_start").values_list(
        "metric", "period_start", "values"
    ):
        series.setdefault(metric, []).append({"period_start": start.isoformat(), **values})
    return series


def chart_data(spec: ChartSpec, series: dict[str, list[dict]], *, period: str) -> dict:
    """Chart.js-ready data for one chart, over every period anything in `series` is stored for
    (so every chart of a dashboard shares its x axis)."""
    return chart_payload.chart_data(
        spec, series, periods=chart_payload.chart_periods(series, period), period=period
    )


def charts_build(series: dict[str, list[dict]], *, period: str) -> list[dict]:
    periods = chart_payload.chart_periods(series, period)
    return [
        {
            "id": f"chart-{index}",
            "spec": spec,
            "data": chart_payload.chart_data(spec, series, periods=periods, period=period),
        }
        for index, spec in enumerate(CHARTS)
    ]


def comparison_series(
    *, repositories: list[Repository], metric: str, value: str, metric_range: MetricRange
) -> dict:
    """One dataset per repository for one metric value (already visibility-checked repos)."""
    rows = MetricRollup.objects.filter(
        metric=metric,
        period=metric_range.period,
        period_start__gte=metric_range.start,
        period_start__lte=metric_range.end,
        scope=Scope.REPOSITORY,
        repository__in=repositories,
    ).values_list("repository_id", "period_start", "values")
    by_repository: dict[int, dict[str, dict]] = {}
    for repository_id, start, values in rows:
        row = {"period_start": start.isoformat(), **values}
        by_repository.setdefault(repository_id, {})[start.isoformat()] = row
    stored = {"": [row for found in by_repository.values() for row in found.values()]}
    spec, chosen = COMPARABLE_SERIES[f"{metric}.{value}"]
    return chart_payload.comparison_data(
        spec,
        chosen,
        {repo.full_name: by_repository.get(repo.pk, {}) for repo in repositories},
        periods=chart_payload.chart_periods(stored, metric_range.period),
        period=metric_range.period,
    )


def attention_lists(*, user, repository: Repository | None) -> dict:
    """The stored attention tables for a repository, or for the aggregate scope of the user."""
    if repository is None:
        snapshot = AttentionSnapshot.objects.filter(
            scope=aggregate_scope_for(user=user), repository__isnull=True
        ).first()
    else:
        snapshot = AttentionSnapshot.objects.filter(repository=repository).first()
    return {
        "lists": snapshot.lists if snapshot else {},
        "computed_at": snapshot and snapshot.computed_at,
    }


def retention_rows(series: dict[str, list[dict]]) -> list[dict]:
    """Retention cohort table rows (cohort, size, [% at month 0, 1, …]) from stored cohorts.

    Only offsets some shown cohort can have reached by the last month stored are columns. A
    month a cohort has reached with nobody active is 0.0 (the stored cohorts omit it); a month
    it has not reached yet is None (not yet measurable)."""
    records = [
        {"period_start": point["period_start"], "cohort": cohort, "active": active}
        for point in series.get("contributor_cohorts", [])
        for cohort, active in point.get("cohorts", {}).items()
    ]
    frame = pd.DataFrame(records, columns=["period_start", "cohort", "active"])
    if frame.empty:
        return []
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    frame["cohort"] = pd.to_datetime(frame["cohort"])
    sizes = frame[frame["period_start"] == frame["cohort"]].groupby("cohort")["active"].sum()
    matrix = retention_matrix(frame)
    matrix = matrix[matrix.index.isin(sizes.index)]
    if matrix.empty:
        return []
    last = frame["period_start"].max()

    def reached(cohort: pd.Timestamp) -> int:  # the last offset this cohort has reached
        return (last.year - cohort.year) * 12 + (last.month - cohort.month)

    columns = max(reached(cohort) for cohort in matrix.index) + 1
    rows = []
    for cohort, percents in matrix.iterrows():
        values = percents.reindex(range(columns))
        rows.append(
            {
                "cohort": cohort.date().isoformat(),
                "size": int(sizes[cohort]),
                "percents": [
                    None if offset > reached(cohort) else (0.0 if pd.isna(v) else float(v))
                    for offset, v in enumerate(values.tolist())
                ],
            }
        )
    return rows


def repositories_for_comparison(*, user) -> list[Repository]:
    return list(
        repositories_visible_to(user=user).filter(deleted_at__isnull=True).order_by("full_name")
    )
