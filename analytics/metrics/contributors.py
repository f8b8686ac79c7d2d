"""Who contributes: active/new/returning people, retention cohorts, first-timer funnel, absence.

Frames:
- contributions: contributor_id, repository_id, at, is_bot, kind ("issue", "pr", "comment",
  "review"). One row per contribution; `contributor_id` is the merged identity of the account.
- history: contributor_id, repository_id, first_at, last_at, first_pr_at — each contributor's
  whole history in a repository (first and last contribution ever, first PR opened, NaT if none).
- items: as in `analytics.metrics.responsiveness`, plus `contributor_id` of the author.

Bots are left out of everything but `bot_active`.
"""

from __future__ import annotations

import pandas as pd

from analytics.metrics.periods import KEYS, empty
from analytics.periods import period_floor, to_utc


def _human(frame: pd.DataFrame, flag: str = "is_bot") -> pd.DataFrame:
    return frame[~frame[flag].astype(bool)]


def active_contributors(
    contributions: pd.DataFrame, history: pd.DataFrame, *, period: str
) -> pd.DataFrame:
    """Distinct people contributing in each period: active = new + returning.

    new: people whose first contribution ever (to that repository) falls in the period;
    returning: active people who had contributed before the period; bot_active: distinct bots.
    """
    if contributions.empty:
        return empty([*KEYS, "active", "new", "returning", "bot_active"])
    frame = contributions.assign(period_start=period_floor(contributions["at"], period))
    bots = frame["is_bot"].astype(bool)
    active = frame[~bots].groupby(KEYS)["contributor_id"].nunique().rename("active")
    bot_active = frame[bots].groupby(KEYS)["contributor_id"].nunique().rename("bot_active")
    people = _human(history) if "is_bot" in history else history
    first = people.assign(period_start=period_floor(people["first_at"], period))
    new = first.groupby(KEYS)["contributor_id"].nunique().rename("new")
    out = pd.concat([active, bot_active], axis=1)
    out = out.join(new, how="left").fillna(0).astype(int)
    out["new"] = out[["new", "active"]].min(axis=1)
    out["returning"] = out["active"] - out["new"]
    return out.reset_index()[[*KEYS, "active", "new", "returning", "bot_active"]]


def cohort_activity(contributions: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """People active in each month, by cohort (the month of their first contribution ever).

    Returns repository_id, period_start (the activity month), cohort (a month), active.
    """
    people = _human(contributions)
    if people.empty:
        return empty([*KEYS, "cohort", "active"])
    cohorts = history[["contributor_id", "repository_id", "first_at"]].assign(
        cohort=lambda h: period_floor(h["first_at"], "month")
    )
    frame = people.assign(period_start=period_floor(people["at"], "month")).merge(
        cohorts[["contributor_id", "repository_id", "cohort"]],
        on=["contributor_id", "repository_id"],
        how="inner",
    )
    grouped = frame.groupby([*KEYS, "cohort"])["contributor_id"].nunique()
    return grouped.rename("active").reset_index()


def retention_matrix(cohorts: pd.DataFrame) -> pd.DataFrame:
    """Monthly retention cohorts: % of each cohort active N months after its first month.

    `cohorts` is `cohort_activity` output for one repository (or the whole community). Rows are
    cohort months, columns month offsets 0, 1, 2…; offset 0 is 100 by definition (everyone in a
    cohort contributed in its first month).
    """
    if cohorts.empty:
        return pd.DataFrame()
    frame = cohorts.copy()
    start = pd.to_datetime(frame["period_start"])
    cohort = pd.to_datetime(frame["cohort"])
    frame["offset"] = (start.dt.year - cohort.dt.year) * 12 + (start.dt.month - cohort.dt.month)
    table = frame.pivot_table(index="cohort", columns="offset", values="active", aggfunc="sum")
    size = table[0] if 0 in table else table.max(axis=1)
    return (100.0 * table.div(size, axis=0)).round(1)


def first_time_funnel(items: pd.DataFrame, history: pd.DataFrame, *, period: str) -> pd.DataFrame:
    """First-time contributor funnel, by the period of each person's first PR to a repository.

    first_prs: people whose first PR ever was opened in the period; merged: of those, whose first
    PR was merged; second_contribution: of those, who contributed again (anything) after it.
    """
    prs = items[(items["kind"] == "pr") & ~items["author_is_bot"].astype(bool)]
    merged = prs.merge(
        history[["contributor_id", "repository_id", "first_pr_at", "last_at"]],
        on=["contributor_id", "repository_id"],
        how="inner",
    )
    first = merged[to_utc(merged["created_at"]) == to_utc(merged["first_pr_at"])]
    first = first.drop_duplicates(["contributor_id", "repository_id"])
    if first.empty:
        return empty([*KEYS, "first_prs", "merged", "second_contribution"])
    frame = pd.DataFrame(
        {
            "repository_id": first["repository_id"],
            "period_start": period_floor(first["created_at"], period),
            "merged": to_utc(first["merged_at"]).notna(),
            "again": to_utc(first["last_at"]) > to_utc(first["created_at"]),
        }
    )
    out = frame.groupby(KEYS).agg(
        first_prs=("merged", "size"), merged=("merged", "sum"), second_contribution=("again", "sum")
    )
    return out.astype(int).reset_index()


def absence_factor(contributions: pd.DataFrame, *, period: str) -> pd.DataFrame:
    """CHAOSS Contributor Absence Factor: the fewest people making 50% of a period's contributions.

    People are ranked by their number of contributions in the period; the factor is how many of
    the top-ranked are needed to reach at least half of all (human) contributions.
    """
    people = _human(contributions)
    if people.empty:
        return empty([*KEYS, "absence_factor", "contributors", "contributions"])
    frame = people.assign(period_start=period_floor(people["at"], period))
    per_person = frame.groupby([*KEYS, "contributor_id"]).size().rename("n").reset_index()
    per_person = per_person.sort_values([*KEYS, "n"], ascending=[True, True, False])
    per_person["running"] = per_person.groupby(KEYS)["n"].cumsum()
    totals = per_person.groupby(KEYS)["n"].transform("sum")
    per_person["below_half"] = per_person["running"] - per_person["n"] < totals / 2.0
    out = per_person.groupby(KEYS).agg(
        absence_factor=("below_half", "sum"),
        contributors=("contributor_id", "size"),
        contributions=("n", "sum"),
    )
    return out.astype(int).reset_index()


def contribution_counts(contributions: pd.DataFrame, *, period: str) -> pd.DataFrame:
    """Contributions per period and kind (issue, pr, comment, review): one person's activity."""
    if contributions.empty:
        return empty(["period_start", "kind", "count"])
    frame = contributions.assign(period_start=period_floor(contributions["at"], period))
    return frame.groupby(["period_start", "kind"]).size().rename("count").reset_index()
