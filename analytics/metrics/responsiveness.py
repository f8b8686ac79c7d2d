"""How fast a community answers: first response, first review, time to close, merge lead time.

Frames (all timestamps UTC or zone-aware):
- items: kind ("issue"/"pr"), id, repository_id, author_id, author_is_bot, created_at,
  closed_at, merged_at (NaT for issues and unmerged PRs), state.
- responses: kind, item_id, actor_id, actor_is_bot, at, source ("comment", "review", or
  "event" for timeline events such as labels and closes): what people did on an item. Only
  `RESPONSE_SOURCES` count as a response (see `first_responses`).
- reviews: item_id (the PR), reviewer_id, reviewer_is_bot, state, submitted_at.

Items opened by bots are left out of these human metrics (they are counted in `item_flow`'s
bot columns). Durations are in hours; median and p90 use linear interpolation.
"""

from __future__ import annotations

import pandas as pd

from analytics.metrics.periods import KEYS, empty, hours_between, summarize
from analytics.periods import period_floor, to_utc

DURATION_COLUMNS = [*KEYS, "count", "median", "p90"]
# What counts as a response: something written to the author (CHAOSS "Time to First Response":
# the time the first response was *posted*). Labels, assignments, review requests, closes and
# reactions are triage, not an answer: an issue labelled and closed in silence was never
# answered (it shows in time to close).
RESPONSE_SOURCES = ("comment", "review")


def _human_items(items: pd.DataFrame, kind: str) -> pd.DataFrame:
    return items[(items["kind"] == kind) & ~items["author_is_bot"].astype(bool)]


def first_responses(items: pd.DataFrame, responses: pd.DataFrame) -> pd.Series:
    """When each item got its first response, indexed like `items` (NaT when none yet).

    A response is a comment (on the conversation or on the diff) or a submitted review (any
    verdict, pending ones excluded) by someone who is neither the item's author nor a bot.
    Labels, assignments, review requests, closing and reactions do not count; neither do the
    author's own comments nor anything a bot does (`Actor.is_bot` or `STEWARD_BOT_LOGINS`).
    This follows CHAOSS "Time to First Response" with its "only count replies from real
    people" filter, and matches github/issue-metrics.
    """
    if items.empty:
        return pd.Series(dtype="datetime64[ns, UTC]")
    keyed = items[["kind", "id", "author_id"]].reset_index()
    merged = keyed.merge(
        responses, left_on=["kind", "id"], right_on=["kind", "item_id"], how="inner"
    )
    human = merged[
        merged["source"].isin(RESPONSE_SOURCES)
        & merged["actor_id"].notna()
        & (merged["actor_id"] != merged["author_id"])
        & ~merged["actor_is_bot"].astype(bool)
    ]
    first = to_utc(human["at"]).groupby(human["index"]).min()
    return first.reindex(items.index)


def time_to_first_response(
    items: pd.DataFrame, responses: pd.DataFrame, *, kind: str, period: str
) -> pd.DataFrame:
    """Time to first response of human-opened items of `kind`, by the period they were opened.

    count: items opened in the period; answered: how many got a response; median/p90: hours from
    opening to first response over the answered items (an unanswered item has no duration yet).
    """
    subset = _human_items(items, kind)
    if subset.empty:
        return empty([*DURATION_COLUMNS, "answered"])
    frame = pd.DataFrame(
        {
            "repository_id": subset["repository_id"],
            "period_start": period_floor(subset["created_at"], period),
            "hours": hours_between(subset["created_at"], first_responses(subset, responses)),
        }
    )
    opened = frame.groupby(KEYS).size().rename("count")
    answered = summarize(frame.dropna(subset=["hours"]), "hours").rename(
        columns={"count": "answered"}
    )
    out = opened.reset_index().merge(answered, on=KEYS, how="left")
    out["answered"] = out["answered"].fillna(0).astype(int)
    return out


def responsiveness(
    items: pd.DataFrame, responses: pd.DataFrame, *, period: str, hours: float = 48
) -> pd.DataFrame:
    """Share of new human-opened issues answered within `hours` (default 48), by opening period.

    opened: issues opened in the period; answered_in_time: those whose first response came at
    most `hours` after opening; percent: 100 * answered_in_time / opened.
    """
    subset = _human_items(items, "issue")
    if subset.empty:
        return empty([*KEYS, "opened", "answered_in_time", "percent"])
    waited = hours_between(subset["created_at"], first_responses(subset, responses))
    frame = pd.DataFrame(
        {
            "repository_id": subset["repository_id"],
            "period_start": period_floor(subset["created_at"], period),
            "in_time": waited.le(hours),
        }
    )
    out = frame.groupby(KEYS)["in_time"].agg(opened="size", answered_in_time="sum").reset_index()
    out["answered_in_time"] = out["answered_in_time"].astype(int)
    out["percent"] = 100.0 * out["answered_in_time"] / out["opened"]
    return out


def _duration_by_end(subset: pd.DataFrame, end: pd.Series, period: str) -> pd.DataFrame:
    done = end.notna()
    if not done.any():
        return empty(DURATION_COLUMNS)
    frame = pd.DataFrame(
        {
            "repository_id": subset.loc[done, "repository_id"],
            "period_start": period_floor(end[done], period),
            "hours": hours_between(subset.loc[done, "created_at"], end[done]),
        }
    )
    return summarize(frame, "hours")


def time_to_close(items: pd.DataFrame, *, kind: str, period: str) -> pd.DataFrame:
    """Hours from opening to closing of human-opened items, by the period they were closed.

    A reopened item counts once, at its last close (`closed_at`); an item open again has none.
    """
    subset = _human_items(items, kind)
    return _duration_by_end(subset, to_utc(subset["closed_at"]), period)


def merge_lead_time(items: pd.DataFrame, *, period: str) -> pd.DataFrame:
    """Hours from opening to merging of human-opened PRs, by the period they were merged.

    PRs closed without merging are not part of this metric.
    """
    subset = _human_items(items, "pr")
    return _duration_by_end(subset, to_utc(subset["merged_at"]), period)


def human_reviews(prs: pd.DataFrame, reviews: pd.DataFrame) -> pd.DataFrame:
    merged = (
        prs[["id", "author_id"]]
        .reset_index()
        .merge(reviews, left_on="id", right_on="item_id", how="inner")
    )
    return merged[
        merged["reviewer_id"].notna()
        & (merged["reviewer_id"] != merged["author_id"])
        & ~merged["reviewer_is_bot"].astype(bool)
        & (merged["state"] != "PENDING")
    ]


def time_to_first_review(
    items: pd.DataFrame, reviews: pd.DataFrame, *, period: str
) -> pd.DataFrame:
    """Hours from opening a human PR to its first review by another human, by opening period.

    count: PRs opened in the period; reviewed: how many got a review; median/p90 over those.
    """
    prs = _human_items(items, "pr")
    if prs.empty:
        return empty([*DURATION_COLUMNS, "reviewed"])
    human = human_reviews(prs, reviews)
    first = to_utc(human["submitted_at"]).groupby(human["index"]).min().reindex(prs.index)
    frame = pd.DataFrame(
        {
            "repository_id": prs["repository_id"],
            "period_start": period_floor(prs["created_at"], period),
            "hours": hours_between(prs["created_at"], first),
        }
    )
    opened = frame.groupby(KEYS).size().rename("count")
    reviewed = summarize(frame.dropna(subset=["hours"]), "hours").rename(
        columns={"count": "reviewed"}
    )
    out = opened.reset_index().merge(reviewed, on=KEYS, how="left")
    out["reviewed"] = out["reviewed"].fillna(0).astype(int)
    return out


def review_rounds(items: pd.DataFrame, reviews: pd.DataFrame, *, period: str) -> pd.DataFrame:
    """Review rounds of human PRs closed (merged or not) in each period.

    A PR's rounds: 0 when no other human reviewed it; otherwise 1 plus one per review that
    requested changes (each change request sends the PR back for another round).
    count/median/p90/mean are over the PRs closed in the period.
    """
    prs = _human_items(items, "pr")
    prs = prs[to_utc(prs["closed_at"]).notna()]
    if prs.empty:
        return empty([*DURATION_COLUMNS, "mean"])
    human = human_reviews(prs, reviews)
    human = human.assign(changes=(human["state"] == "CHANGES_REQUESTED").astype(int))
    per_pr = human.groupby("index").agg(reviews=("changes", "size"), changes=("changes", "sum"))
    per_pr = per_pr.reindex(prs.index).fillna(0)
    rounds = (per_pr["changes"] + 1).where(per_pr["reviews"] > 0, 0)
    frame = pd.DataFrame(
        {
            "repository_id": prs["repository_id"],
            "period_start": period_floor(prs["closed_at"], period),
            "rounds": rounds.astype(float),
        }
    )
    out = summarize(frame, "rounds")
    out["mean"] = frame.groupby(KEYS)["rounds"].mean().to_numpy()
    return out
