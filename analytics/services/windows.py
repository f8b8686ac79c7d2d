"""Reads one fill window: every frame a metric needs, for all tracked repositories and scopes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from analytics.selectors import frames as f
from analytics.services.catalog import Window, with_scope_totals, with_scopes


@dataclass
class RunContext:
    """What a fill run reads once: repositories, people, whole-history and small frames."""

    repository_ids: list[int]
    public_ids: set[int]
    people: f.People
    history: pd.DataFrame
    releases: pd.DataFrame
    snapshots: pd.DataFrame


HISTORY_TOTALS = {"first_at": "min", "last_at": "max", "first_pr_at": "min", "is_bot": "max"}


def run_context_load(*, repositories: list[tuple[int, bool]]) -> RunContext:
    ids = [pk for pk, _ in repositories]
    public = {pk for pk, private in repositories if not private}
    people = f.people_load()
    history = f.history_frame(repository_ids=ids, people=people)
    snapshots = f.snapshots_frame(repository_ids=ids)
    return RunContext(
        repository_ids=ids,
        public_ids=public,
        people=people,
        history=with_scope_totals(history, public, by=["contributor_id"], how=HISTORY_TOTALS),
        releases=with_scopes(f.releases_frame(repository_ids=ids), public),
        snapshots=with_scope_totals(
            snapshots, public, by=["taken_on"], how={"forks": "sum", "stars": "sum"}
        ),
    )


def _utc(stamp: pd.Timestamp) -> datetime:
    return stamp.tz_localize("UTC").to_pydatetime()


def window_load(
    *, context: RunContext, period: str, starts: list[pd.Timestamp], end: pd.Timestamp
) -> Window:
    """Frames for periods `starts` (the last one ends at `end`), all repositories at once."""
    start_at, end_at = _utc(starts[0]), _utc(end)
    ids, public = context.repository_ids, context.public_ids
    selection = f.item_selection(repository_ids=ids, start=start_at, end=end_at)
    contributions = f.contributions_frame(
        repository_ids=ids, start=start_at, end=end_at, people=context.people
    )
    return Window(
        period=period,
        starts=starts,
        items=with_scopes(f.items_frame(selection=selection, people=context.people), public),
        responses=f.responses_frame(selection=selection, people=context.people),
        reviews=f.reviews_frame(selection=selection, people=context.people),
        labels=f.labels_frame(selection=selection),
        contributions=with_scopes(contributions, public),
        history=context.history,
        backlog=with_scope_totals(
            f.open_counts_at(repository_ids=ids, at=start_at),
            public,
            by=["kind"],
            how={"open": "sum"},
        ),
        stars=with_scopes(f.stars_frame(repository_ids=ids, start=start_at, end=end_at), public),
        star_totals=with_scope_totals(
            f.star_totals_at(repository_ids=ids, at=start_at), public, by=[], how={"total": "sum"}
        ),
        releases=context.releases,
        snapshots=context.snapshots,
    )
