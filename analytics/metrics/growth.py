"""Growth and release health: stars and forks over time, release cadence.

Frames: stars (repository_id, starred_at); snapshots (repository_id, taken_on, forks, stars);
releases (repository_id, published_at) — published, non-draft releases.
"""

from __future__ import annotations

import pandas as pd

from analytics.metrics.periods import KEYS, empty
from analytics.periods import period_floor, to_utc


def stars_over_time(
    stars: pd.DataFrame,
    *,
    period: str,
    period_starts: list[pd.Timestamp],
    total_at_start: pd.DataFrame,
) -> pd.DataFrame:
    """New stars per period and the running total at each period's end.

    `stars` holds the stars given within `period_starts`; `total_at_start` (repository_id, total)
    counts those given before. Unstarring is not recorded by GitHub's stargazer list, so `total`
    is stars still standing that were given up to the period's end.
    """
    repositories = sorted(set(stars["repository_id"]) | set(total_at_start["repository_id"]))
    index = pd.MultiIndex.from_product([repositories, period_starts], names=KEYS)
    keys = [
        stars["repository_id"],
        period_floor(stars["starred_at"], period).rename("period_start"),
    ]
    new = stars.groupby(keys).size().reindex(index).fillna(0).astype(int).rename("new")
    out = new.to_frame()
    start = total_at_start.set_index("repository_id")["total"].reindex(repositories).fillna(0)
    out["total"] = new.groupby(level=0).cumsum() + start.reindex(
        out.index.get_level_values(0)
    ).to_numpy().astype(int)
    return out.reset_index()


def forks_over_time(snapshots: pd.DataFrame, *, period: str) -> pd.DataFrame:
    """Forks at the end of each period: the last daily snapshot taken within the period.

    GitHub gives only the current fork count, so history comes from Steward's own snapshots.
    """
    if snapshots.empty:
        return empty([*KEYS, "forks", "stars"])
    frame = snapshots.assign(period_start=period_floor(snapshots["taken_on"], period))
    last = frame.sort_values("taken_on").groupby(KEYS).tail(1)
    return last[[*KEYS, "forks", "stars"]].sort_values(KEYS).reset_index(drop=True)


def release_cadence(releases: pd.DataFrame, *, period: str) -> pd.DataFrame:
    """Releases per period and the days between consecutive releases of a repository.

    releases: how many were published in the period; median_days_between: median gap between
    each release published in the period and the one before it (any earlier period).
    """
    if releases.empty:
        return empty([*KEYS, "releases", "median_days_between"])
    frame = releases.assign(published_at=to_utc(releases["published_at"])).dropna(
        subset=["published_at"]
    )
    frame = frame.sort_values(["repository_id", "published_at"])
    previous = frame.groupby("repository_id")["published_at"].shift()
    frame["gap_days"] = (frame["published_at"] - previous).dt.total_seconds() / 86400.0
    frame["period_start"] = period_floor(frame["published_at"], period)
    return (
        frame.groupby(KEYS)
        .agg(releases=("gap_days", "size"), median_days_between=("gap_days", "median"))
        .reset_index()
    )
