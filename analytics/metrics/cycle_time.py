"""Pull request cycle time in phases, as Apache DevLake shows it: coding → pickup → review → merge.

Frames (timestamps UTC or zone-aware):
- prs: id, repository_id, number, title, author_id, author_is_bot, draft, created_at,
  closed_at, merged_at (NaT unless merged).
- reviews: item_id (the PR), reviewer_id, reviewer_is_bot, state, submitted_at.
- commits: item_id, committed_at — commits pushed to the PR's head branch, where Steward
  received the pushes (it does not read a PR's commit list, so most PRs have none).
- requests: item_id, reviewer_id — reviews requested and not yet given, on open PRs.

A review counts when someone other than the author, not a bot, submitted it (not PENDING);
for a merged PR only reviews up to the merge count. Durations are in hours.
"""

from __future__ import annotations

import pandas as pd

from analytics.metrics.periods import KEYS, empty, hours_between
from analytics.periods import period_floor, to_utc

PHASES = ("coding", "pickup", "review", "merge")
PHASE_HELP = {
    "coding": "first commit pushed to the PR's branch → PR opened (only where pushes are known)",
    "pickup": "PR opened → first review by someone else",
    "review": "first review → approval (or the last review, when none approved); the monthly "
    "figures are over PRs reviewed more than once (one review that approves takes no time)",
    "merge": "approval (or last review) → merged",
}
PHASE_COLUMNS = [
    "id", "repository_id", "number", "title", "author_id", "author_is_bot", "created_at",
    "merged_at",
    "first_commit_at", "first_review_at", "review_end_at", "approved", "review_rounds",
    *(f"{phase}_hours" for phase in PHASES), "phase_now", "phase_since",
]  # fmt: skip


def _human_reviews(prs: pd.DataFrame, reviews: pd.DataFrame) -> pd.DataFrame:
    merged = prs[["id", "author_id", "merged_at"]].merge(
        reviews, left_on="id", right_on="item_id", how="inner"
    )
    merged["submitted_at"] = to_utc(merged["submitted_at"])
    before_merge = merged["merged_at"].isna() | (merged["submitted_at"] <= merged["merged_at"])
    return merged[
        merged["reviewer_id"].notna()
        & (merged["reviewer_id"] != merged["author_id"])
        & ~merged["reviewer_is_bot"].astype(bool)
        & (merged["state"] != "PENDING")
        & merged["submitted_at"].notna()
        & before_merge
    ]


def _review_marks(prs: pd.DataFrame, reviews: pd.DataFrame) -> pd.DataFrame:
    """Per PR: first review, last review, last approval, last change request (NaT if none)."""
    human = _human_reviews(prs, reviews)
    at = human["submitted_at"]
    by_pr = human.assign(
        approval=at.where(human["state"] == "APPROVED"),
        change=at.where(human["state"] == "CHANGES_REQUESTED"),
    ).groupby("id")
    marks = pd.DataFrame(
        {
            "first_review_at": by_pr["submitted_at"].min(),
            "last_review_at": by_pr["submitted_at"].max(),
            "approved_at": by_pr["approval"].max(),
            "changes_at": by_pr["change"].max(),
            "rounds": by_pr.size(),
        }
    )
    return marks.reindex(prs["id"].to_numpy())


def pr_phases(prs: pd.DataFrame, reviews: pd.DataFrame, commits: pd.DataFrame) -> pd.DataFrame:
    """Each PR's phases (hours) and, for open PRs, the phase it is in now.

    - coding: first commit pushed to the PR's branch → PR opened (0 when the first push came
      after opening; NaN when no push to its branch is known).
    - pickup: opened → first review.
    - review: first review → review end, which is the last approval (or, when nobody approved,
      the last review) before the merge.
    - merge: review end → merged.
    Merged PRs nobody reviewed have no pickup, review or merge phase (NaN): they never waited
    for a reviewer. phase_now: "merged", "closed" (unmerged), or for open PRs "pickup" (no
    review yet, drafts included: coding ends when the PR is opened, as for merged PRs, so an
    open PR is never in it), "merge" (approved after the last change request) or "review";
    phase_since: when that phase began (opened, first review, approval).
    """
    if prs.empty:
        return empty(PHASE_COLUMNS)
    frame = prs.copy().reset_index(drop=True)
    for column in ("created_at", "closed_at", "merged_at"):
        frame[column] = to_utc(frame[column])
    marks = _review_marks(frame, reviews).reset_index(drop=True)
    first_commit = to_utc(commits["committed_at"]).groupby(commits["item_id"]).min()
    looked_up = first_commit.reindex(frame["id"].to_numpy()).to_numpy()
    frame["first_commit_at"] = to_utc(pd.Series(looked_up, index=frame.index))
    frame["first_review_at"] = marks["first_review_at"]
    frame["approved"] = marks["approved_at"].notna()
    frame["review_rounds"] = marks["rounds"].fillna(0).astype(int)
    frame["review_end_at"] = marks["approved_at"].fillna(marks["last_review_at"])
    frame["coding_hours"] = hours_between(frame["first_commit_at"], frame["created_at"]).clip(
        lower=0
    )
    frame["pickup_hours"] = hours_between(frame["created_at"], frame["first_review_at"])
    frame["review_hours"] = hours_between(frame["first_review_at"], frame["review_end_at"])
    frame["merge_hours"] = hours_between(frame["review_end_at"], frame["merged_at"])
    unmerged = frame["merged_at"].isna()
    frame.loc[unmerged, "merge_hours"] = float("nan")
    frame["phase_now"], frame["phase_since"] = _phase_now(frame, marks)
    return frame[PHASE_COLUMNS]


def _phase_now(frame: pd.DataFrame, marks: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    open_ = frame["closed_at"].isna() & frame["merged_at"].isna()
    approved_last = marks["approved_at"].notna() & (
        marks["changes_at"].isna() | (marks["approved_at"] > marks["changes_at"])
    )
    phase = pd.Series("review", index=frame.index, dtype="object")
    since = frame["first_review_at"].copy()
    phase[marks["first_review_at"].isna()] = "pickup"
    since[marks["first_review_at"].isna()] = frame["created_at"]
    phase[approved_last] = "merge"
    since[approved_last] = marks["approved_at"]
    phase[~open_] = "closed"
    phase[frame["merged_at"].notna()] = "merged"
    since[~open_] = pd.NaT
    return phase, to_utc(since)


def cycle_time_by_period(phases: pd.DataFrame, *, period: str = "month") -> pd.DataFrame:
    """Per repository and period of the merge: merged (PRs), reviewed (of those), and the
    median and p75 (linear interpolation) of each phase over the merged PRs that have it
    (`<phase>_known`: how many have it). The review phase is over PRs reviewed more than once:
    a single review is both first and last, so its 0 h says nothing about review time.

    PRs opened by bots are left out. Medians of phases do not add up to the median cycle:
    each is over its own PRs.
    """
    merged = phases[phases["merged_at"].notna() & ~phases["author_is_bot"].astype(bool)]
    columns = [*KEYS, "merged", "reviewed"]
    columns += [f"{p}_{s}" for p in PHASES for s in ("median", "p75", "known")]
    if merged.empty:
        return empty(columns)
    frame = merged.assign(period_start=period_floor(merged["merged_at"], period))
    frame["review_hours"] = frame["review_hours"].where(frame["review_rounds"] > 1)
    grouped = frame.groupby(KEYS)
    out = pd.DataFrame({"merged": grouped.size(), "reviewed": grouped["first_review_at"].count()})
    for phase in PHASES:
        hours = grouped[f"{phase}_hours"]
        out[f"{phase}_median"] = hours.median()
        out[f"{phase}_p75"] = hours.quantile(0.75)
        out[f"{phase}_known"] = hours.count()
    return out.reset_index()[columns]


def waiting_by_phase(phases: pd.DataFrame, *, now: pd.Timestamp) -> pd.DataFrame:
    """Open PRs by the phase they are in now: phase, waiting (PRs), median_hours and
    oldest_hours (time since the phase began), in DevLake's phase order. PRs opened by bots
    are left out, as in the monthly figures."""
    open_ = phases[phases["phase_now"].isin(PHASES) & ~phases["author_is_bot"].astype(bool)]
    waited = to_utc(pd.Series(now, index=open_.index)) - open_["phase_since"]
    frame = pd.DataFrame({"phase": open_["phase_now"], "hours": waited.dt.total_seconds() / 3600.0})
    grouped = frame.groupby("phase")["hours"]
    out = pd.DataFrame(
        {"waiting": grouped.size(), "median_hours": grouped.median(), "oldest_hours": grouped.max()}
    ).reindex(list(PHASES))
    out["waiting"] = out["waiting"].fillna(0).astype(int)
    return out.reset_index().rename(columns={"index": "phase"})


def reviewer_load(requests: pd.DataFrame, reviews: pd.DataFrame) -> pd.DataFrame:
    """Per person: open_requests (open PRs waiting for their requested review), reviews
    (submitted in the window, any state but PENDING) and prs_reviewed (distinct PRs).
    Bots are left out, and so are reviews of one's own PR when `reviews` has the PR's
    `author_id`. Sorted by open requests, then reviews."""
    columns = ["reviewer_id", "open_requests", "reviews", "prs_reviewed"]
    human = reviews[
        ~reviews["reviewer_is_bot"].astype(bool)
        & reviews["reviewer_id"].notna()
        & (reviews["state"] != "PENDING")
    ]
    if "author_id" in human:
        human = human[human["reviewer_id"] != human["author_id"]]
    asked = requests[~requests["reviewer_is_bot"].astype(bool)]
    out = pd.DataFrame(
        {
            "open_requests": asked.groupby("reviewer_id")["item_id"].nunique(),
            "reviews": human.groupby("reviewer_id").size(),
            "prs_reviewed": human.groupby("reviewer_id")["item_id"].nunique(),
        }
    )
    if out.empty:
        return empty(columns)
    out = out.fillna(0).astype(int).rename_axis("reviewer_id").reset_index()
    out = out.sort_values(
        ["open_requests", "reviews", "reviewer_id"], ascending=[False, False, True]
    )
    return out[columns].reset_index(drop=True)
