"""Ad-hoc report metrics (github/issue-metrics style) on hand-built frames."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.metrics.reports import author_type_filter, report_items, report_summary

T0 = pd.Timestamp("2024-05-01 00:00", tz="UTC")
BOT = 9


def h(hours: float | None):
    return T0 + pd.Timedelta(hours=hours) if hours is not None else pd.NaT


def item(kind, pk, author, *, created, closed=None, merged=None, first=None, bot=False):
    return {
        "kind": kind, "id": pk, "repository_id": 7, "number": pk, "title": f"item {pk}",
        "author_id": author, "author_is_bot": bot, "created_at": h(created),
        "closed_at": h(closed), "merged_at": h(merged), "author_first_at": h(first),
    }  # fmt: skip


ITEMS = pd.DataFrame(
    [
        item("issue", 1, 1, created=0, closed=48, first=-50),
        item("issue", 2, 2, created=10, first=10),  # bob's very first item
        item("pr", 3, 3, created=0, closed=24, merged=24, first=-100),
        item("issue", 4, BOT, created=0, first=0, bot=True),
    ]
)
RESPONSES = pd.DataFrame(
    [
        ("issue", 1, 1, False, h(1), "comment"),  # the author's own
        ("issue", 1, BOT, True, h(2), "comment"),  # a bot's
        ("issue", 1, 2, False, h(5), "comment"),
        ("issue", 2, 1, False, h(13), "comment"),
        ("pr", 3, 2, False, h(8), "review"),
        ("pr", 3, 1, False, h(9), "comment"),
    ],
    columns=["kind", "item_id", "actor_id", "actor_is_bot", "at", "source"],
)


def test_each_item_has_its_durations():
    table = report_items(ITEMS, RESPONSES).set_index("id")
    assert list(table.index) == [1, 4, 3, 2]  # oldest first (then issues before PRs)
    assert table.loc[1, "time_to_first_response"] == 5
    assert table.loc[2, "time_to_first_response"] == 3
    assert table.loc[3, ["time_to_first_response", "time_to_close", "time_to_merge"]].tolist() == [
        8, 24, 24
    ]  # fmt: skip
    assert table.loc[4, ["time_to_first_response", "time_to_close"]].isna().all()
    assert table["first_time"].to_dict() == {1: False, 3: False, 4: False, 2: True}


def test_the_summary_is_average_median_p90_over_the_items_that_have_one():
    summary = report_summary(report_items(ITEMS, RESPONSES))
    durations = {d["metric"]: d for d in summary["durations"]}
    first = durations["time_to_first_response"]
    assert first["count"] == 3
    assert first["average"] == pytest.approx(16 / 3)
    assert first["median"] == 5
    assert first["p90"] == pytest.approx(7.4)  # 3, 5, 8: linear between 5 and 8
    close = durations["time_to_close"]
    assert (close["count"], close["average"], close["median"]) == (2, 36, 36)
    assert close["p90"] == pytest.approx(45.6)
    assert durations["time_to_merge"]["median"] == 24
    assert summary["counts"] == {"total": 4, "open": 2, "closed": 2, "merged": 1,
                                 "answered": 3, "first_time": 1}  # fmt: skip


@pytest.mark.parametrize(
    ("author_type", "ids"),
    [("any", [1, 2, 3, 4]), ("human", [1, 2, 3]), ("bot", [4]), ("first_time", [2])],
)
def test_author_types(author_type, ids):
    assert author_type_filter(ITEMS, author_type)["id"].tolist() == ids


def test_an_empty_report():
    summary = report_summary(report_items(ITEMS.iloc[0:0], RESPONSES))
    assert summary["counts"]["total"] == 0
    assert all(d["average"] is None and d["count"] == 0 for d in summary["durations"])


EVENTS = pd.DataFrame(
    [
        ("issue", 1, "labeled", "bug", h(2)),
        ("issue", 1, "unlabeled", "Bug", h(6)),  # 4 h
        ("issue", 1, "labeled", "bug", h(40)),  # until closed at 48 h: 8 h more
        ("issue", 2, "labeled", "bug", h(20)),  # still open: until now
        ("issue", 2, "labeled", "triage", h(10)),
        ("issue", 2, "unlabeled", "triage", h(11)),
        ("pr", 3, "ready_for_review", "", h(6)),
        ("pr", 3, "ready_for_review", "", h(9)),  # the first one counts
    ],
    columns=["kind", "item_id", "event", "label", "at"],
)


def test_time_in_draft_and_in_labels():
    table = report_items(ITEMS, RESPONSES, EVENTS, labels=["bug", "triage"], now=h(30))
    table = table.set_index("id")
    assert table.loc[3, "time_in_draft"] == 6
    assert table.loc[[1, 2, 4], "time_in_draft"].isna().all()  # issues; never a draft
    assert table.loc[1, "time_in_label_bug"] == 12
    assert table.loc[2, "time_in_label_bug"] == 10  # labelled at 20 h, still open at 30 h
    assert table.loc[2, "time_in_label_triage"] == 1
    assert table.loc[[3, 4], "time_in_label_bug"].isna().all()  # never labelled
    summary = report_summary(table.reset_index(), labels=["bug", "triage"])
    bug = next(d for d in summary["durations"] if d["metric"] == "time_in_label_bug")
    assert (bug["label"], bug["count"], bug["average"], bug["median"]) == (
        "Time in label bug", 2, 11, 11
    )  # fmt: skip
