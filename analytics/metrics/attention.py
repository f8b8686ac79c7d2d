"""Items needing a maintainer, for the attention tables of the dashboards.

Inputs are open items (the `items` frame of `analytics.metrics.responsiveness`, with `number`,
`title`, `updated_at`, `draft` and `contributor_id`), their responses and reviews, and the
contributors' `history` (see `analytics.metrics.contributors`).
"""

from __future__ import annotations

import pandas as pd

from analytics.metrics.responsiveness import first_responses, human_reviews
from analytics.periods import to_utc

ATTENTION_LISTS = {
    "unanswered_issues": "Unanswered issues",
    "prs_waiting_review": "PRs waiting longest for review",
    "stale_prs": "Stale PRs",
    "first_timers_waiting": "First-time contributors waiting",
}
COLUMNS = ["list", "kind", "id", "repository_id", "number", "title", "author_id", "waiting_days"]


def _days(since: pd.Series, now: pd.Timestamp) -> pd.Series:
    return (now - to_utc(since)).dt.total_seconds() / 86400.0


def attention_items(
    items: pd.DataFrame,
    responses: pd.DataFrame,
    reviews: pd.DataFrame,
    history: pd.DataFrame,
    *,
    now: pd.Timestamp,
    stale_days: int,
) -> pd.DataFrame:
    """Every open item on each attention list, longest waiting first.

    - unanswered_issues: human-opened open issues with no first response (see `first_responses`);
      waiting since opening.
    - prs_waiting_review: open, non-draft human PRs no other human has reviewed; since opening.
    - stale_prs: open PRs with no activity for more than `stale_days`; since the last activity.
    - first_timers_waiting: open PRs that are their author's first PR to the repository and
      that no other human has reviewed yet; since opening.
    """
    now = to_utc(pd.Series([now])).iloc[0]
    live = items[to_utc(items["closed_at"]).isna()]
    human = live[~live["author_is_bot"].astype(bool)]
    issues = human[human["kind"] == "issue"]
    unanswered = issues[first_responses(issues, responses).isna()]
    prs = human[(human["kind"] == "pr") & ~human["draft"].astype(bool)]
    reviewed = set(human_reviews(prs, reviews)["index"])
    waiting = prs[~prs.index.isin(reviewed)]
    first_prs = waiting.merge(
        history[["contributor_id", "repository_id", "first_pr_at"]],
        on=["contributor_id", "repository_id"],
        how="left",
    )
    first_prs = first_prs[to_utc(first_prs["created_at"]) == to_utc(first_prs["first_pr_at"])]
    all_prs = live[live["kind"] == "pr"]
    stale = all_prs[_days(all_prs["updated_at"], now) > stale_days]
    lists = [
        unanswered.assign(
            list="unanswered_issues", waiting_days=_days(unanswered["created_at"], now)
        ),
        waiting.assign(list="prs_waiting_review", waiting_days=_days(waiting["created_at"], now)),
        stale.assign(list="stale_prs", waiting_days=_days(stale["updated_at"], now)),
        first_prs.assign(
            list="first_timers_waiting", waiting_days=_days(first_prs["created_at"], now)
        ),
    ]
    frames = [frame[COLUMNS] for frame in lists if not frame.empty]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["list", "waiting_days"], ascending=[True, False], ignore_index=True)
