"""The metrics Steward stores: name → how to compute it from one window of frames.

Each entry calls one pure function of `analytics.metrics`; results are keyed by
`repository_id` (a repository, or `ALL_ID` / `PUBLIC_ID` for the aggregate scopes) and
`period_start`. Long results (labels, cohorts) are nested into one dict per period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analytics import metrics as m

ALL_ID, PUBLIC_ID = 0, -1


@dataclass
class Window:
    """Frames for the periods `starts` (of kind `period`), every scope already included."""

    period: str
    starts: list[pd.Timestamp]
    items: pd.DataFrame
    responses: pd.DataFrame
    reviews: pd.DataFrame
    labels: pd.DataFrame
    contributions: pd.DataFrame
    history: pd.DataFrame
    backlog: pd.DataFrame
    stars: pd.DataFrame
    star_totals: pd.DataFrame
    releases: pd.DataFrame
    snapshots: pd.DataFrame


@dataclass(frozen=True)
class MetricSpec:
    name: str
    title: str
    compute: Callable[[Window], pd.DataFrame]
    periods: tuple[str, ...] = m.PERIODS
    nest: tuple[str, str] | None = None  # (key column, value column) of a long result


def _flow(kind: str) -> Callable[[Window], pd.DataFrame]:
    def compute(w: Window) -> pd.DataFrame:
        backlog = w.backlog[w.backlog["kind"] == kind][["repository_id", "open"]]
        return m.item_flow(
            w.items, kind=kind, period=w.period, period_starts=w.starts, backlog_at_start=backlog
        )

    return compute


METRICS: tuple[MetricSpec, ...] = (
    MetricSpec(
        "issue_first_response",
        "Time to first response on issues (hours)",
        lambda w: m.time_to_first_response(w.items, w.responses, kind="issue", period=w.period),
    ),
    MetricSpec(
        "pr_first_response",
        "Time to first response on PRs (hours)",
        lambda w: m.time_to_first_response(w.items, w.responses, kind="pr", period=w.period),
    ),
    MetricSpec(
        "issue_time_to_close",
        "Time to close issues (hours)",
        lambda w: m.time_to_close(w.items, kind="issue", period=w.period),
    ),
    MetricSpec(
        "pr_merge_lead_time",
        "PR merge lead time (hours)",
        lambda w: m.merge_lead_time(w.items, period=w.period),
    ),
    MetricSpec(
        "pr_first_review",
        "Time to first review (hours)",
        lambda w: m.time_to_first_review(w.items, w.reviews, period=w.period),
    ),
    MetricSpec(
        "pr_review_rounds",
        "Review rounds per closed PR",
        lambda w: m.review_rounds(w.items, w.reviews, period=w.period),
    ),
    MetricSpec("issue_flow", "Issues opened, closed and open backlog", _flow("issue")),
    MetricSpec("pr_flow", "PRs opened, merged, closed and open backlog", _flow("pr")),
    MetricSpec(
        "change_request_closure_ratio",
        "Change request closure ratio",
        lambda w: m.change_request_closure_ratio(w.items, period=w.period),
    ),
    MetricSpec(
        "issue_responsiveness",
        "New issues answered within 48 h (%)",
        lambda w: m.responsiveness(w.items, w.responses, period=w.period),
    ),
    MetricSpec(
        "contributors",
        "Active, new and returning contributors",
        lambda w: m.active_contributors(w.contributions, w.history, period=w.period),
    ),
    MetricSpec(
        "contributor_cohorts",
        "Active contributors by first-contribution month",
        lambda w: m.cohort_activity(w.contributions, w.history),
        periods=("month",),
        nest=("cohort", "active"),
    ),
    MetricSpec(
        "first_time_funnel",
        "First-time contributor funnel",
        lambda w: m.first_time_funnel(w.items, w.history, period=w.period),
    ),
    MetricSpec(
        "absence_factor",
        "Contributor absence factor",
        lambda w: m.absence_factor(w.contributions, period=w.period),
    ),
    MetricSpec(
        "stars",
        "Stars",
        lambda w: m.stars_over_time(
            w.stars, period=w.period, period_starts=w.starts, total_at_start=w.star_totals
        ),
    ),
    MetricSpec("forks", "Forks", lambda w: m.forks_over_time(w.snapshots, period=w.period)),
    MetricSpec("releases", "Releases", lambda w: m.release_cadence(w.releases, period=w.period)),
    MetricSpec(
        "labels",
        "Labels on new issues and PRs",
        lambda w: m.label_distribution(w.items, w.labels, period=w.period),
        nest=("label", "count"),
    ),
)
METRICS_BY_NAME = {spec.name: spec for spec in METRICS}


def with_scopes(frame: pd.DataFrame, public_ids: set[int]) -> pd.DataFrame:
    """Row-level frame plus its copies for the aggregate scopes (all; public repositories)."""
    public = frame[frame["repository_id"].isin(public_ids)]
    return pd.concat(
        [frame, frame.assign(repository_id=ALL_ID), public.assign(repository_id=PUBLIC_ID)],
        ignore_index=True,
    )


def with_scope_totals(
    frame: pd.DataFrame, public_ids: set[int], *, by: list[str], how: dict[str, str]
) -> pd.DataFrame:
    """Aggregated frame plus its totals for the aggregate scopes (grouped by `by`)."""
    parts = [frame]
    for scope_id, rows in (
        (ALL_ID, frame),
        (PUBLIC_ID, frame[frame["repository_id"].isin(public_ids)]),
    ):
        if rows.empty:
            continue
        if by:
            totals = rows.groupby(by, as_index=False).agg(how)
        else:
            totals = pd.DataFrame({column: [rows[column].agg(fn)] for column, fn in how.items()})
        parts.append(totals.assign(repository_id=scope_id))
    return pd.concat(parts, ignore_index=True)
