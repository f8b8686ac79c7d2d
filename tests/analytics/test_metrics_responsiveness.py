"""Response-time metrics against hand-computed fixtures."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analytics.metrics import (
    first_responses,
    merge_lead_time,
    responsiveness,
    review_rounds,
    time_to_close,
    time_to_first_response,
    time_to_first_review,
)
from tests.analytics.frames import items, responses, reviews, row

MAINTAINER, AUTHOR, BOT = 7, 100, 900


def test_first_response_counts_comments_and_reviews_by_other_people_only():
    frame = items(
        {"id": 1, "created_at": "2024-03-04 00:00"},
        {"id": 2, "created_at": "2024-03-05 00:00"},
        {"id": 3, "created_at": "2024-03-06 00:00"},
        {"id": 4, "created_at": "2024-03-06 00:00"},
        {"id": 5, "kind": "pr", "created_at": "2024-03-07 00:00"},
    )
    answers = responses(
        # 1: the author's own comment and a bot's do not count; the maintainer's does (+10 h).
        {"item_id": 1, "actor_id": AUTHOR, "at": "2024-03-04 01:00"},
        {"item_id": 1, "actor_id": BOT, "actor_is_bot": True, "at": "2024-03-04 02:00"},
        {"item_id": 1, "actor_id": MAINTAINER, "at": "2024-03-04 10:00"},
        # 2: labelled by a maintainer after 1 h (triage, not an answer), answered after 4 h.
        {"item_id": 2, "actor_id": MAINTAINER, "at": "2024-03-05 01:00", "source": "event"},
        {"item_id": 2, "actor_id": MAINTAINER, "at": "2024-03-05 04:00"},
        # 3: labelled, assigned and closed by a maintainer with no word: never answered.
        {"item_id": 3, "actor_id": MAINTAINER, "at": "2024-03-06 06:00", "source": "event"},
        {"item_id": 3, "actor_id": MAINTAINER, "at": "2024-03-07 06:00", "source": "event"},
        # 4: only a PR-side response with the same id: not this issue's.
        {"kind": "pr", "item_id": 4, "actor_id": MAINTAINER, "at": "2024-03-06 01:00"},
        # 5: a PR labelled at once; its first review, after 30 h, is the response.
        {"kind": "pr", "item_id": 5, "actor_id": MAINTAINER, "at": "2024-03-07 00:00",
         "source": "event"},
        {"kind": "pr", "item_id": 5, "actor_id": MAINTAINER, "at": "2024-03-08 06:00",
         "source": "review"},
    )  # fmt: skip
    first = first_responses(frame, answers)
    assert first.iloc[0] == pd.Timestamp("2024-03-04 10:00", tz="UTC")
    assert first.iloc[1] == pd.Timestamp("2024-03-05 04:00", tz="UTC")
    assert pd.isna(first.iloc[2]) and pd.isna(first.iloc[3])
    assert first.iloc[4] == pd.Timestamp("2024-03-08 06:00", tz="UTC")

    weekly = time_to_first_response(frame, answers, kind="issue", period="week")
    week = row(weekly, "2024-03-04")
    assert week["count"] == 4 and week["answered"] == 2
    assert week["median"] == 7.0  # hours: 10 and 4
    assert week["p90"] == pytest.approx(9.4)  # 4 + 0.9 * 6
    prs = time_to_first_response(frame, answers, kind="pr", period="week")
    assert row(prs, "2024-03-04")["median"] == 30.0


def test_bot_opened_items_are_left_out_of_human_metrics():
    frame = items(
        {"id": 1, "created_at": "2024-03-04", "author_id": BOT, "author_is_bot": True},
        {"id": 2, "created_at": "2024-03-04"},
    )
    answers = responses({"item_id": 1, "actor_id": MAINTAINER, "at": "2024-03-04 01:00"})
    week = row(time_to_first_response(frame, answers, kind="issue", period="week"), "2024-03-04")
    assert week["count"] == 1 and week["answered"] == 0 and math.isnan(week["median"])


def test_timezones_are_bucketed_in_utc():
    # 08:00 on Jan 1st in Tokyo is 23:00 on Dec 31st in UTC: a December issue.
    frame = items({"id": 1, "created_at": "2024-01-01 08:00+09:00"})
    answers = responses({"item_id": 1, "actor_id": MAINTAINER, "at": "2024-01-01 01:00+01:00"})
    monthly = time_to_first_response(frame, answers, kind="issue", period="month")
    assert list(monthly["period_start"]) == [pd.Timestamp("2023-12-01")]
    assert monthly.iloc[0]["median"] == 1.0  # 23:00Z → 00:00Z


def test_responsiveness_counts_answers_within_48_hours():
    frame = items(
        {"id": 1, "created_at": "2024-05-01"},
        {"id": 2, "created_at": "2024-05-02"},
        {"id": 3, "created_at": "2024-05-03"},
    )
    answers = responses(
        {"item_id": 1, "actor_id": MAINTAINER, "at": "2024-05-03 00:00"},  # exactly 48 h
        {"item_id": 2, "actor_id": MAINTAINER, "at": "2024-05-04 01:00"},  # 49 h
    )
    month = row(responsiveness(frame, answers, period="month"), "2024-05-01")
    assert (month["opened"], month["answered_in_time"]) == (3, 1)
    assert month["percent"] == pytest.approx(100 / 3)


def test_time_to_close_counts_a_reopened_issue_once_at_its_last_close():
    frame = items(
        # Reopened and closed again: GitHub keeps only the last close.
        {"id": 1, "created_at": "2024-02-01", "closed_at": "2024-02-11"},
        {"id": 2, "created_at": "2024-02-01", "closed_at": "2024-02-03"},
        # Reopened and still open: no close to count.
        {"id": 3, "created_at": "2024-02-01", "closed_at": None},
    )
    month = row(time_to_close(frame, kind="issue", period="month"), "2024-02-01")
    assert month["count"] == 2
    assert month["median"] == pytest.approx((240 + 48) / 2)


def test_merge_lead_time_leaves_out_prs_closed_unmerged():
    frame = items(
        {
            "kind": "pr",
            "id": 1,
            "created_at": "2024-02-01",
            "closed_at": "2024-02-02",
            "merged_at": "2024-02-02",
        },
        {"kind": "pr", "id": 2, "created_at": "2024-02-01", "closed_at": "2024-02-05"},
    )
    month = row(merge_lead_time(frame, period="month"), "2024-02-01")
    assert month["count"] == 1 and month["median"] == 24.0


def test_time_to_first_review_and_review_rounds():
    frame = items(
        {
            "kind": "pr",
            "id": 1,
            "created_at": "2024-04-01",
            "closed_at": "2024-04-10",
            "merged_at": "2024-04-10",
        },
        {"kind": "pr", "id": 2, "created_at": "2024-04-01", "closed_at": "2024-04-12"},
        {"kind": "pr", "id": 3, "created_at": "2024-04-02"},
    )
    given = reviews(
        # PR 1: the author's self-review and a bot's do not count; then two change requests.
        {"item_id": 1, "reviewer_id": AUTHOR, "submitted_at": "2024-04-01 01:00"},
        {
            "item_id": 1,
            "reviewer_id": BOT,
            "reviewer_is_bot": True,
            "submitted_at": "2024-04-01 02:00",
        },
        {
            "item_id": 1,
            "reviewer_id": MAINTAINER,
            "state": "CHANGES_REQUESTED",
            "submitted_at": "2024-04-01 06:00",
        },
        {
            "item_id": 1,
            "reviewer_id": MAINTAINER,
            "state": "CHANGES_REQUESTED",
            "submitted_at": "2024-04-03",
        },
        {
            "item_id": 1,
            "reviewer_id": MAINTAINER,
            "state": "APPROVED",
            "submitted_at": "2024-04-09",
        },
        # PR 3: a pending (unsubmitted) review is no review.
        {
            "item_id": 3,
            "reviewer_id": MAINTAINER,
            "state": "PENDING",
            "submitted_at": "2024-04-02 01:00",
        },
    )
    month = row(time_to_first_review(frame, given, period="month"), "2024-04-01")
    assert (month["count"], month["reviewed"], month["median"]) == (3, 1, 6.0)
    rounds = row(review_rounds(frame, given, period="month"), "2024-04-01")
    # PR 1: 1 + 2 change requests = 3 rounds; PR 2 (closed unmerged, never reviewed): 0.
    assert rounds["count"] == 2 and rounds["median"] == 1.5 and rounds["mean"] == 1.5
