"""Contributor metrics and growth metrics on hand-computed data."""

from __future__ import annotations

import pandas as pd

from analytics.metrics import (
    absence_factor,
    active_contributors,
    cohort_activity,
    first_time_funnel,
    forks_over_time,
    period_starts,
    release_cadence,
    retention_matrix,
    stars_over_time,
)
from tests.analytics.frames import contributions, items, row, ts


def _history(frame: pd.DataFrame, first_prs: dict | None = None) -> pd.DataFrame:
    grouped = frame.groupby(["contributor_id", "repository_id"])["at"]
    out = pd.DataFrame({"first_at": grouped.min(), "last_at": grouped.max()}).reset_index()
    out["is_bot"] = out["contributor_id"] >= 900
    out["first_pr_at"] = out["contributor_id"].map(first_prs or {})
    out["first_pr_at"] = pd.to_datetime(out["first_pr_at"], utc=True)
    return out


def test_active_new_and_returning_contributors_with_bots_apart():
    frame = contributions(
        (1, "2024-01-05"),
        (1, "2024-02-05"),
        (2, "2024-02-06"),
        (2, "2024-02-07"),
        (900, "2024-02-08", True),
    )
    monthly = active_contributors(frame, _history(frame), period="month")
    january, february = row(monthly, "2024-01-01"), row(monthly, "2024-02-01")
    assert (january["active"], january["new"], january["returning"]) == (1, 1, 0)
    assert (february["active"], february["new"], february["returning"]) == (2, 1, 1)
    assert february["bot_active"] == 1


def test_retention_cohorts():
    frame = contributions(
        (1, "2024-01-05"),
        (2, "2024-01-06"),
        (3, "2024-01-07"),
        (4, "2024-01-08"),
        (1, "2024-02-05"),
        (2, "2024-02-05"),
        (1, "2024-03-05"),
        (5, "2024-03-05"),
    )
    matrix = retention_matrix(cohort_activity(frame, _history(frame)))
    january = matrix.loc[pd.Timestamp("2024-01-01")]
    assert list(january) == [100.0, 50.0, 25.0]
    assert matrix.loc[pd.Timestamp("2024-03-01"), 0] == 100.0


def test_first_time_contributor_funnel():
    frame = items(
        # 101's first PR is merged and they come back; 102's first PR is closed unmerged.
        {
            "kind": "pr",
            "id": 1,
            "author_id": 101,
            "created_at": "2024-01-03",
            "merged_at": "2024-01-04",
            "closed_at": "2024-01-04",
        },
        {
            "kind": "pr",
            "id": 2,
            "author_id": 102,
            "created_at": "2024-01-05",
            "closed_at": "2024-01-06",
        },
        # 103 had a PR before: this one is not a first PR.
        {"kind": "pr", "id": 3, "author_id": 103, "created_at": "2024-01-07"},
    )
    activity = contributions(
        (101, "2024-01-03"),
        (101, "2024-02-10"),
        (102, "2024-01-05"),
        (103, "2023-05-01"),
        (103, "2024-01-07"),
    )
    history = _history(activity, {101: "2024-01-03", 102: "2024-01-05", 103: "2023-05-01"})
    january = row(first_time_funnel(frame, history, period="month"), "2024-01-01")
    assert (january["first_prs"], january["merged"], january["second_contribution"]) == (2, 1, 1)


def test_absence_factor_is_the_fewest_people_making_half_the_contributions():
    frame = contributions(
        *[(1, "2024-01-02")] * 5,
        *[(2, "2024-01-03")] * 3,
        *[(3, "2024-01-04")] * 2,
        *[(900, "2024-01-04", True)] * 50,
    )
    january = row(absence_factor(frame, period="month"), "2024-01-01")
    assert (january["absence_factor"], january["contributors"], january["contributions"]) == (
        1,
        3,
        10,
    )
    frame = contributions((1, "2024-01-02"), (2, "2024-01-03"), (3, "2024-01-04"))
    assert row(absence_factor(frame, period="month"), "2024-01-01")["absence_factor"] == 2


def test_stars_forks_and_release_cadence():
    stars = pd.DataFrame(
        {
            "repository_id": [1, 1, 1],
            "starred_at": pd.to_datetime(["2024-01-02", "2024-01-03", "2024-03-01"], utc=True),
        }
    )
    out = stars_over_time(
        stars,
        period="month",
        period_starts=period_starts(ts("2024-01-01"), ts("2024-03-31"), "month"),
        total_at_start=pd.DataFrame({"repository_id": [1], "total": [10]}),
    )
    assert list(out["new"]) == [2, 0, 1] and list(out["total"]) == [12, 12, 13]

    snapshots = pd.DataFrame(
        {
            "repository_id": [1, 1, 1],
            "taken_on": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-02-02"]),
            "forks": [3, 4, 6],
            "stars": [10, 11, 12],
        }
    )
    assert list(forks_over_time(snapshots, period="month")["forks"]) == [4, 6]

    releases = pd.DataFrame(
        {
            "repository_id": [1, 1, 1],
            "published_at": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-02-11"], utc=True),
        }
    )
    cadence = release_cadence(releases, period="month")
    february = row(cadence, "2024-02-01")
    assert february["releases"] == 2 and february["median_days_between"] == (31 + 10) / 2
    assert pd.isna(row(cadence, "2024-01-01")["median_days_between"])
