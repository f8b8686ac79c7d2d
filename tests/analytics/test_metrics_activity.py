"""Flow, backlog, closure ratio, staleness, labels and attention lists on hand-computed data."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.metrics import (
    attention_items,
    change_request_closure_ratio,
    item_flow,
    label_distribution,
    period_starts,
    stale_items,
)
from tests.analytics.frames import items, responses, reviews, row, ts

BOT = 900


def test_item_flow_counts_people_and_bots_apart_and_tracks_the_backlog():
    frame = items(
        {"id": 1, "created_at": "2024-01-10", "closed_at": "2024-02-05"},
        {"id": 2, "created_at": "2024-01-12"},
        {"id": 3, "created_at": "2024-02-01", "author_id": BOT, "author_is_bot": True},
        # Opened before the window, closed inside it.
        {"id": 4, "created_at": "2023-11-01", "closed_at": "2024-01-03"},
    )
    starts = period_starts(ts("2024-01-01"), ts("2024-03-01"), "month")
    flow = item_flow(
        frame,
        kind="issue",
        period="month",
        period_starts=starts,
        backlog_at_start=pd.DataFrame({"repository_id": [1], "open": [5]}),
    )
    january, february, march = (row(flow, m) for m in ("2024-01-01", "2024-02-01", "2024-03-01"))
    assert (january["opened"], january["closed"], january["backlog"]) == (2, 1, 6)
    assert (february["opened"], february["bot_opened"], february["closed"]) == (0, 1, 1)
    assert february["backlog"] == 6
    assert (march["opened"], march["closed"], march["backlog"]) == (0, 0, 6)


def test_pr_flow_counts_merges_and_unmerged_closes():
    frame = items(
        {
            "kind": "pr",
            "id": 1,
            "created_at": "2024-01-02",
            "closed_at": "2024-01-03",
            "merged_at": "2024-01-03",
        },
        {"kind": "pr", "id": 2, "created_at": "2024-01-02", "closed_at": "2024-01-04"},
    )
    flow = item_flow(
        frame,
        kind="pr",
        period="month",
        period_starts=[pd.Timestamp("2024-01-01")],
        backlog_at_start=pd.DataFrame({"repository_id": [], "open": []}),
    )
    january = row(flow, "2024-01-01")
    assert (january["opened"], january["closed"], january["merged"], january["backlog"]) == (
        2,
        2,
        1,
        0,
    )


def test_change_request_closure_ratio():
    frame = items(
        {"kind": "pr", "id": 1, "created_at": "2024-01-02", "closed_at": "2024-01-03"},
        {"kind": "pr", "id": 2, "created_at": "2024-01-05"},
        {"kind": "pr", "id": 3, "created_at": "2024-01-06", "closed_at": "2024-02-01"},
        {
            "kind": "pr",
            "id": 4,
            "created_at": "2024-01-06",
            "author_id": BOT,
            "author_is_bot": True,
            "closed_at": "2024-01-07",
        },
    )
    ratio = change_request_closure_ratio(frame, period="month")
    assert row(ratio, "2024-01-01")["ratio"] == pytest.approx(1 / 3)
    february = row(ratio, "2024-02-01")
    assert february["opened"] == 0 and pd.isna(february["ratio"])


def test_stale_items_are_open_and_idle_longer_than_n_days():
    frame = items(
        {"id": 1, "created_at": "2024-01-01", "updated_at": "2024-01-02"},
        {"id": 2, "created_at": "2024-01-01", "updated_at": "2024-03-25"},
        {
            "id": 3,
            "created_at": "2024-01-01",
            "updated_at": "2024-01-02",
            "closed_at": "2024-01-02",
        },
    )
    stale = stale_items(frame, now=ts("2024-04-01"), days=30)
    assert list(stale["id"]) == [1]
    assert stale.iloc[0]["idle_days"] == 90


def test_label_distribution_counts_items_opened_per_label():
    frame = items(
        {"id": 1, "created_at": "2024-01-02"},
        {"id": 2, "created_at": "2024-01-03"},
        {"kind": "pr", "id": 1, "created_at": "2024-01-03"},
    )
    labels = pd.DataFrame(
        {
            "kind": ["issue", "issue", "issue", "pr"],
            "item_id": [1, 1, 2, 1],
            "label": ["bug", "ui", "bug", "bug"],
        }
    )
    out = label_distribution(frame, labels, period="month").set_index("label")["count"]
    assert out.to_dict() == {"bug": 3, "ui": 1}


def test_attention_lists():
    now = ts("2024-06-01")
    frame = items(
        {"id": 1, "number": 1, "created_at": "2024-05-01"},  # unanswered
        {"id": 2, "number": 2, "created_at": "2024-04-01"},  # answered
        {"kind": "pr", "id": 3, "number": 3, "created_at": "2024-05-20", "author_id": 101},
        {
            "kind": "pr",
            "id": 4,
            "number": 4,
            "created_at": "2024-03-01",
            "author_id": 102,
            "updated_at": "2024-04-01",
        },
        {"kind": "pr", "id": 5, "number": 5, "created_at": "2024-05-30", "draft": True},
    )
    answers = responses({"item_id": 2, "actor_id": 7, "at": "2024-04-02"})
    given = reviews({"item_id": 4, "reviewer_id": 7, "submitted_at": "2024-03-05"})
    history = pd.DataFrame(
        {
            "contributor_id": [101, 102],
            "repository_id": [1, 1],
            "first_pr_at": [ts("2024-05-20"), ts("2023-01-01")],
        }
    )
    out = attention_items(frame, answers, given, history, now=now, stale_days=30)
    by_list = out.groupby("list")["number"].apply(list).to_dict()
    assert by_list == {
        "unanswered_issues": [1],
        "prs_waiting_review": [3],
        "stale_prs": [4],
        "first_timers_waiting": [3],
    }
