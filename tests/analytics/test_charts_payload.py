"""What a chart draws from stored rollups: zeros and gaps, one unit per chart, separate axes for
counts and durations, and a sentence per point saying what it is."""

from __future__ import annotations

import pytest

from analytics.chart_payload import chart_data, chart_periods, period_text, point_text
from analytics.charts import CHARTS, CHARTS_BY_SLUG, COUNT, DURATIONS, TOTAL
from analytics.digests.present import numbers_rows
from analytics.units import DAYS, HOURS, duration_unit

MONTHS = ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"]


def _chart(slug: str, series: dict, period: str = "month") -> dict:
    return chart_data(CHARTS_BY_SLUG[slug], series, periods=chart_periods(series, period),
                      period=period)  # fmt: skip


def _dataset(chart: dict, label: str) -> dict:
    return next(d for d in chart["datasets"] if d["label"] == label)


def test_a_month_without_a_release_is_zero_but_its_release_gap_is_a_gap():
    series = {
        "releases": [
            {"period_start": "2026-01-01", "releases": 2, "median_days_between": 20.0},
            {"period_start": "2026-03-01", "releases": 1, "median_days_between": 45.0},
        ],
        "stars": [{"period_start": "2026-04-01", "total": 10, "new": 1}],
    }

    chart = _chart("releases", series)

    assert chart["labels"] == MONTHS
    assert _dataset(chart, "releases")["data"] == [2, 0, 1, 0]
    between = _dataset(chart, "median time between releases")
    assert between["data"] == [20.0, None, 45.0, None]
    assert between["points"][1] == "No release in Feb 2026: no time between releases " \
        "(no median time between releases)"  # fmt: skip
    assert _dataset(chart, "releases")["points"][1] == "Releases published in Feb 2026: 0"


def test_releases_and_their_spacing_have_their_own_axes_with_units():
    series = {"releases": [{"period_start": "2026-01-01", "releases": 2,
                            "median_days_between": 20.0}]}  # fmt: skip

    chart = _chart("releases", series)

    assert [(a["id"], a["title"], a["position"], a["integer"]) for a in chart["axes"]] == [
        ("y", "releases per month", "left", True),
        ("duration", "days between releases", "right", False),
    ]
    assert _dataset(chart, "releases")["yAxisID"] == "y"
    assert _dataset(chart, "median time between releases")["yAxisID"] == "duration"
    assert _dataset(chart, "median time between releases")["type"] == "line"


def test_total_and_new_stars_do_not_share_an_axis():
    series = {"stars": [{"period_start": "2026-01-05", "total": 900, "new": 12}]}

    chart = _chart("stars", series, period="week")

    axes = {a["id"]: a["title"] for a in chart["axes"]}
    assert axes == {"total": "stars (total)", "y": "new stars per week"}
    assert _dataset(chart, "total")["yAxisID"] != _dataset(chart, "new")["yAxisID"]
    assert _dataset(chart, "new")["points"] == ["Stars given in the week of 5 Jan 2026: 12"]


def test_a_duration_with_nothing_measured_is_a_gap_and_the_tooltip_says_why():
    series = {
        "issue_first_response": [
            {"period_start": "2026-01-01", "count": 14, "answered": 12, "median": 3.25,
             "p90": 30.0},
            {"period_start": "2026-02-01", "count": 3, "answered": 0, "median": None,
             "p90": None},
            {"period_start": "2026-04-01", "count": 1, "answered": 1, "median": 1.0, "p90": 1.0},
        ]
    }  # fmt: skip

    median = _dataset(_chart("time-to-first-response-issues", series), "median")

    assert median["data"] == [3.25, None, None, 1.0]
    assert median["points"] == [
        "Median time to first response of the 12 issues answered, of 14 issues opened in "
        "Jan 2026: 3.2 h",
        "3 issues opened in Feb 2026, none answered yet (no median)",
        "No issues opened in Mar 2026 (no median)",
        "Median time to first response of the 1 issue answered, of 1 issue opened in "
        "Apr 2026: 1.0 h",
    ]


def test_the_unit_follows_the_data_and_is_the_same_for_every_series_and_the_axis():
    slow = {
        "pr_first_response": [
            {"period_start": "2026-01-01", "count": 5, "answered": 5, "median": 60.0,
             "p90": 300.0},
            {"period_start": "2026-02-01", "count": 5, "answered": 5, "median": 72.0,
             "p90": 12.0},
        ]
    }  # fmt: skip
    fast = {"pr_first_response": [{**row, "median": 6.0} for row in slow["pr_first_response"]]}

    in_days = _chart("time-to-first-response-pull-requests", slow)
    in_hours = _chart("time-to-first-response-pull-requests", fast)

    assert in_days["unit"] == "days" and in_days["axes"][0]["title"] == "days"
    assert _dataset(in_days, "median")["data"] == [2.5, 3.0]
    assert _dataset(in_days, "p90")["data"] == [12.5, 0.5]  # the p90 follows the medians' unit
    assert _dataset(in_days, "p90")["points"][0].endswith(": 12.5 d")
    assert in_hours["unit"] == "hours" and _dataset(in_hours, "p90")["data"] == [300.0, 12.0]


def test_time_to_close_reads_in_days_even_when_quick():
    series = {"issue_time_to_close": [{"period_start": "2026-01-01", "count": 2,
                                       "median": 12.0, "p90": 20.0}]}  # fmt: skip

    chart = _chart("time-to-close-issues", series)

    assert chart["unit"] == "days" and _dataset(chart, "median")["data"] == [0.5]


def test_duration_unit_rule():
    assert duration_unit([30.0, 40.0, 500.0]) is HOURS  # median 40 h
    assert duration_unit([30.0, 60.0, 500.0]) is DAYS  # median 60 h
    assert duration_unit([None, None]) is HOURS
    assert duration_unit([1.0], at_least=DAYS) is DAYS
    assert DAYS.text(60.0) == "2.5 d" and HOURS.text(2500.0) == "2,500.0 h"


def test_counts_and_durations_never_share_an_axis_in_any_chart():
    for spec in CHARTS:
        measures: dict[str, set[str]] = {}
        for series in spec.series:
            kind = "duration" if series.measure in DURATIONS else series.measure
            measures.setdefault(series.axis, set()).add(kind)
        assert all(len(kinds) == 1 for kinds in measures.values()), spec.title
        assert set(measures) <= set(spec.axes), spec.title  # every axis has a title
        counted = {s.axis for s in spec.series if s.measure in (COUNT, TOTAL)}
        assert not counted & {s.axis for s in spec.series if s.measure in DURATIONS}


def test_every_point_of_every_chart_says_what_it_is():
    """Render each chart over a stored month and a missing one: no point lacks its sentence,
    and no sentence is left with a template field or a bare label."""
    values = {"count": 3, "answered": 2, "reviewed": 2, "median": 5.0, "p90": 9.0, "mean": 1.5,
              "percent": 50.0, "opened": 4, "answered_in_time": 2, "closed": 3, "merged": 1,
              "bot_opened": 1, "backlog": 7, "ratio": 0.75, "active": 5, "new": 2,
              "returning": 3, "bot_active": 1, "first_prs": 2, "second_contribution": 1,
              "absence_factor": 2, "contributors": 5, "contributions": 30, "total": 50,
              "forks": 4, "releases": 1, "median_days_between": 12.0}  # fmt: skip
    for spec in CHARTS:
        series = {spec.metric: [{"period_start": "2026-01-01", **values}],
                  "other": [{"period_start": "2026-02-01"}]}  # fmt: skip
        chart = _chart(spec.slug, series)
        for dataset in chart["datasets"]:
            assert len(dataset["points"]) == len(chart["labels"]) == 2, spec.title
            for text in dataset["points"]:
                assert "{" not in text and ("Jan 2026" in text or "Feb 2026" in text), text
            assert dataset["points"][0].endswith(("h", "d", "%", *"0123456789")), dataset["points"][
                0
            ]


def test_point_text_plurals_and_periods():
    assert point_text("{n:issue} and {m:person|people}", {"n": 1, "m": 3}) == "1 issue and 3 people"
    assert point_text("{missing:pull request}", {}) == "0 pull requests"
    assert period_text("2026-03-01", "month") == "Mar 2026"
    assert period_text("2026-03-02", "week") == "the week of 2 Mar 2026"


@pytest.mark.parametrize(
    ("current", "previous", "texts"),
    [
        (50.4, 30.0, ("50.4 h", "30.0 h", "+20.4 h")),  # not "2.1 d" against "30.0 h"
        (30.0, 80.0, ("1.2 d", "3.3 d", "\u22122.1 d")),
        (3.0, 5.5, ("3.0 h", "5.5 h", "\u22122.5 h")),
    ],
)
def test_the_digest_change_column_is_in_the_unit_of_its_row(current, previous, texts):
    number = {"key": "issue_time_to_close_median", "unit": "h", "lower_is_better": True,
              "current": current, "previous": previous,
              "delta": round(current - previous, 1)}  # fmt: skip

    row = numbers_rows([number])[0]

    units = {text.split()[-1] for text in (row["current_text"], row["previous_text"],
                                           row["delta_text"])}  # fmt: skip
    assert len(units) == 1
    assert (row["current_text"], row["previous_text"], row["delta_text"]) == texts
