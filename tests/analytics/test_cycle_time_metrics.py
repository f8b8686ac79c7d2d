"""PR cycle time in DevLake's phases, on hand-built frames with hand-checked hours."""

from __future__ import annotations

import math

import pandas as pd

from analytics.metrics.cycle_time import (
    cycle_time_by_period,
    pr_phases,
    reviewer_load,
    waiting_by_phase,
)

T0 = pd.Timestamp("2024-05-01 00:00", tz="UTC")
AUTHOR, REVIEWER, OTHER, BOT = 1, 2, 3, 9


def h(hours: float) -> pd.Timestamp:
    return T0 + pd.Timedelta(hours=hours)


def pr(pr_id, *, created=0.0, merged=None, closed=None, draft=False, author=AUTHOR, bot=False):
    closed = merged if closed is None else closed
    return {
        "id": pr_id, "repository_id": 7, "number": pr_id, "title": f"PR {pr_id}",
        "author_id": author, "author_is_bot": bot, "draft": draft, "created_at": h(created),
        "closed_at": h(closed) if closed is not None else pd.NaT,
        "merged_at": h(merged) if merged is not None else pd.NaT,
    }  # fmt: skip


def review(pr_id, reviewer, state, at, bot=False):
    return {"item_id": pr_id, "reviewer_id": reviewer, "reviewer_is_bot": bot,
            "state": state, "submitted_at": h(at)}  # fmt: skip


PRS = pd.DataFrame(
    [
        pr(1, created=0, merged=26),  # the full path
        pr(2, created=0, merged=10),  # merged without review
        pr(3, created=0, draft=True),  # open draft
        pr(4, created=5),  # open, nobody looked yet
        pr(5, created=0),  # open, approved
        pr(6, created=0),  # open, approved, then changes requested
        pr(7, created=0, closed=30),  # closed unmerged
    ]
)
REVIEWS = pd.DataFrame(
    [
        review(1, AUTHOR, "COMMENTED", 1),  # the author's own: not a review
        review(1, BOT, "APPROVED", 2, bot=True),  # a bot's: not a review
        review(1, REVIEWER, "COMMENTED", 10),
        review(1, OTHER, "CHANGES_REQUESTED", 12),
        review(1, REVIEWER, "APPROVED", 20),
        review(1, OTHER, "PENDING", 21),
        review(1, OTHER, "APPROVED", 30),  # after the merge: not part of its cycle
        review(5, REVIEWER, "APPROVED", 4),
        review(6, REVIEWER, "APPROVED", 3),
        review(6, OTHER, "CHANGES_REQUESTED", 8),
    ]
)
COMMITS = pd.DataFrame({"item_id": [1, 1, 5], "committed_at": [h(-5), h(3), h(2)]})


def phases() -> pd.DataFrame:
    return pr_phases(PRS, REVIEWS, COMMITS).set_index("id")


def test_a_reviewed_merged_pr_goes_through_every_phase():
    row = phases().loc[1]
    assert row["coding_hours"] == 5  # first commit 5 h before opening
    assert row["pickup_hours"] == 10  # first review by someone else, not a bot
    assert row["review_hours"] == 10  # first review (10 h) → approval (20 h)
    assert row["merge_hours"] == 6  # approval → merged at 26 h
    assert bool(row["approved"]) and row["phase_now"] == "merged"


def test_unreviewed_and_unknown_phases_stay_empty():
    table = phases()
    assert table.loc[2, ["pickup_hours", "review_hours", "merge_hours"]].isna().all()
    assert math.isnan(table.loc[2, "coding_hours"])  # no push to its branch known
    assert table.loc[5, "coding_hours"] == 0  # the first push came after opening
    assert table.loc[7, "phase_now"] == "closed"


def test_open_prs_are_in_the_phase_they_wait_in():
    table = phases()
    # coding ends when a PR is opened (as for merged PRs): an open draft nobody reviewed waits
    # for pickup
    assert (table.loc[3, "phase_now"], table.loc[3, "phase_since"]) == ("pickup", h(0))
    assert (table.loc[4, "phase_now"], table.loc[4, "phase_since"]) == ("pickup", h(5))
    assert (table.loc[5, "phase_now"], table.loc[5, "phase_since"]) == ("merge", h(4))
    assert (table.loc[6, "phase_now"], table.loc[6, "phase_since"]) == ("review", h(3))


def test_waiting_by_phase_counts_and_ages():
    waiting = waiting_by_phase(phases().reset_index(), now=h(10)).set_index("phase")
    assert waiting["waiting"].to_dict() == {"coding": 0, "pickup": 2, "review": 1, "merge": 1}
    assert waiting.loc["pickup", "median_hours"] == 7.5  # opened at 0 h and 5 h, now 10 h
    assert waiting.loc["pickup", "oldest_hours"] == 10
    assert waiting.loc["merge", "oldest_hours"] == 6  # approved at 4 h


def test_monthly_medians_and_p75_over_merged_human_prs():
    frame = pd.DataFrame(
        [
            pr(11, created=0, merged=30),
            pr(12, created=0, merged=40),
            pr(13, created=0, merged=50),
            pr(14, created=0, merged=60, author=BOT, bot=True),  # a bot's PR: left out
        ]
    )
    reviews = pd.DataFrame(
        [
            review(11, REVIEWER, "APPROVED", 2),  # pickup 2, review 0, merge 28
            review(12, REVIEWER, "COMMENTED", 4),  # pickup 4, review 6, merge 30
            review(12, REVIEWER, "APPROVED", 10),
            review(14, REVIEWER, "APPROVED", 1),
        ]
    )
    no_commits = pd.DataFrame({"item_id": [], "committed_at": []})
    by_month = cycle_time_by_period(pr_phases(frame, reviews, no_commits))
    row = by_month.iloc[0]
    assert len(by_month) == 1 and str(row["period_start"].date()) == "2024-05-01"
    assert (row["merged"], row["reviewed"]) == (3, 2)
    assert (row["pickup_median"], row["pickup_p75"]) == (3.0, 3.5)
    # review: only PR 12 was reviewed more than once (6 h); PR 11's single approval is not timed
    assert (row["review_median"], row["review_p75"], row["review_known"]) == (6.0, 6.0, 1)
    assert (row["merge_median"], row["merge_p75"]) == (29.0, 29.5)
    assert math.isnan(row["coding_median"])


def test_reviewer_load_counts_open_requests_and_reviews():
    requests = pd.DataFrame(
        {"item_id": [4, 5, 6, 6], "reviewer_id": [REVIEWER, REVIEWER, OTHER, BOT],
         "reviewer_is_bot": [False, False, False, True]}
    )  # fmt: skip
    load = reviewer_load(requests, REVIEWS).set_index("reviewer_id")
    assert BOT not in load.index
    assert load.loc[REVIEWER].to_dict() == {"open_requests": 2, "reviews": 4, "prs_reviewed": 3}
    # OTHER: CHANGES_REQUESTED twice and an APPROVED; the PENDING one does not count.
    assert load.loc[OTHER].to_dict() == {"open_requests": 1, "reviews": 3, "prs_reviewed": 2}
    assert list(load.index) == [REVIEWER, OTHER, AUTHOR]
    with_authors = REVIEWS.assign(author_id=AUTHOR)  # every PR here is AUTHOR's
    assert AUTHOR not in reviewer_load(requests, with_authors)["reviewer_id"].tolist()
