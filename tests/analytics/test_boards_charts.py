"""The contributor board's and cycle-time page's charts follow the dashboards' chart rules: counts
and durations on separate titled axes, one duration unit per chart (analytics.units), a sentence
per point saying what it is, a count of nothing is 0 and a median of nothing is a gap — and
they are drawn by the dashboards' own script."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.charts import COUNT, DURATIONS
from analytics.metrics.cycle_time import PHASES
from analytics.models import Affiliation
from analytics.selectors.board_charts import cycle_time_chart, diversity_chart, waiting_chart
from analytics.units import duration_unit
from community.models import Actor
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium

FIRST_TOOLTIP = """(id) => {
  const chart = window.stewardCharts.find(c => c.canvas.id === id);
  chart.tooltip.setActiveElements(
    chart.data.datasets.map((d, i) => ({datasetIndex: i, index: 0})), {x: 0, y: 0});
  chart.update();
  return chart.tooltip.body.flatMap(b => b.lines).concat(chart.tooltip.footer);
}"""
MONTHS = [pd.Timestamp(f"2026-0{m}-01", tz="UTC") for m in (1, 2, 3)]


def month_row(month: str, merged: int, reviewed: int, **medians: float) -> dict:
    """One row of `cycle_time_by_period`: `pickup=5.1` is a median over the reviewed PRs."""
    row = {"repository_id": 1, "period_start": pd.Timestamp(month, tz="UTC"), "merged": merged,
           "reviewed": reviewed}  # fmt: skip
    for phase in PHASES:
        known = medians.get(phase)
        count = 0 if known is None else (merged if phase == "coding" else reviewed)
        row |= {f"{phase}_median": known, f"{phase}_p75": known, f"{phase}_known": count}
    return row


def by_month(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def axis_of(dataset: dict) -> str:
    return dataset.get("yAxisID") or dataset["xAxisID"]


def test_cycle_time_counts_and_durations_have_their_own_titled_axes():
    data = cycle_time_chart(
        by_month(month_row("2026-01-01", 11, 9, pickup=5.1, review=8.0, merge=2.0)), MONTHS
    )
    axes = {axis["id"]: axis for axis in data["axes"]}
    assert axes["y"]["title"] == "median time in phase (hours)" and not axes["y"]["integer"]
    assert axes["y2"]["title"] == "pull requests merged per month" and axes["y2"]["integer"]
    for axis in axes:
        measures = {d["measure"] in DURATIONS for d in data["datasets"] if axis_of(d) == axis}
        assert len(measures) == 1, axis  # never a count beside a duration
    merged = next(d for d in data["datasets"] if d["measure"] == COUNT)
    assert merged["yAxisID"] == "y2" and merged["type"] == "line"


def test_cycle_time_points_say_what_they_are():
    data = cycle_time_chart(
        by_month(month_row("2026-03-01", 11, 9, pickup=5.1, review=8.0, merge=2.0)),
        [pd.Timestamp("2026-03-01", tz="UTC")],
    )
    points = {d["label"]: d["points"][0] for d in data["datasets"]}
    assert points["pickup (median)"] == (
        "Median pickup time of 9 of the 11 PRs merged in Mar 2026, the ones reviewed: 5.1 h"
    )
    assert points["PRs merged"] == "11 PRs merged in Mar 2026 (bots' PRs left out): 11"
    every = [text for d in data["datasets"] for text in d["points"]]
    assert len(every) == sum(len(d["data"]) for d in data["datasets"]) and all(every)


def test_cycle_time_months_without_merges_are_zero_merged_and_gaps_in_medians():
    data = cycle_time_chart(
        by_month(
            month_row("2026-01-01", 4, 4, pickup=3.0, review=6.0, merge=1.0),
            month_row("2026-03-01", 1, 0),  # merged without a review
        ),
        MONTHS,
    )
    datasets = {d["label"]: d for d in data["datasets"]}
    assert datasets["PRs merged"]["data"] == [4, 0, 1]
    assert datasets["PRs merged"]["points"][1] == "0 PRs merged in Feb 2026 (bots' PRs left out): 0"
    pickup = datasets["pickup (median)"]
    assert pickup["data"] == [3.0, None, None]
    assert pickup["points"][1] == "No pull request merged in Feb 2026 (no pickup median)"
    assert pickup["points"][2] == "The PR merged in Mar 2026 was not reviewed (no pickup median)"
    assert "coding (median)" not in datasets  # no push known in any month: nothing to draw


def test_cycle_time_uses_one_duration_unit_chosen_by_the_units_rule():
    long = by_month(
        month_row("2026-01-01", 5, 5, pickup=30.0, review=100.0, merge=72.0),
        month_row("2026-02-01", 5, 5, pickup=60.0, review=200.0, merge=12.0),
    )
    data = cycle_time_chart(long, MONTHS[:2])
    values = [30.0, 100.0, 72.0, 60.0, 200.0, 12.0]
    assert duration_unit(values).name == "days" == data["unit"]
    assert data["axes"][0]["title"] == "median time in phase (days)"
    pickup = next(d for d in data["datasets"] if d["label"] == "pickup (median)")
    assert pickup["data"] == [1.25, 2.5]
    assert pickup["points"][0].endswith(": 1.2 d") and all(" h" not in p for p in pickup["points"])


def test_nothing_merged_draws_no_cycle_time_chart():
    assert cycle_time_chart(by_month(month_row("2026-01-01", 0, 0)), MONTHS) is None


def test_waiting_phases_without_open_prs_are_zero():
    waiting = pd.DataFrame({"phase": list(PHASES), "waiting": [0, 3, 1, 0],
                            "median_hours": [None, 60.0, 70.0, None],
                            "oldest_hours": [None, 90.0, 70.0, None]})  # fmt: skip
    data = waiting_chart(waiting)
    (dataset,) = data["datasets"]
    assert dataset["data"] == [0, 3, 1, 0] and data["axes"][0]["integer"]
    assert data["axes"][0]["title"] == "open pull requests"
    assert dataset["points"][0] == "No open PR is waiting in coding now: 0"
    assert dataset["points"][1] == "3 open PRs waiting in pickup now (median wait so far 2.5 d): 3"


def test_diversity_shares_say_whose_contributions_they_are():
    diversity = pd.DataFrame(
        {"organisation": ["acme", "globex", ""], "contributors": [2, 1, 4],
         "contributions": [30, 10, 20], "share": [0.75, 0.25, 0.33]}
    )  # fmt: skip
    data = diversity_chart(diversity, window="Last 90 days")
    assert data["horizontal"] and data["labels"] == ["acme", "globex"]  # unknown is not a bar
    assert data["axes"] == [{"id": "x", "title": "% of affiliated contributions",
                             "position": "left", "integer": False, "max": 100}]  # fmt: skip
    (dataset,) = data["datasets"]
    assert dataset["data"] == [75.0, 25.0] and dataset["xAxisID"] == "x"
    assert dataset["points"][1] == (
        "globex: 1 person made 10 contributions of the 40 contributions by people with a known "
        "organisation (Last 90 days): 25%"
    )
    assert diversity_chart(diversity[diversity["organisation"] == ""], window="All time") is None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@needs_chromium
def test_the_dashboards_script_draws_the_boards(community, live_server, monkeypatch):
    """The same script as the dashboards: titled axes and the points' sentences in tooltips."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    Affiliation.objects.create(
        actor=Actor.objects.get(login="alice"), organisation="acme", source="maintainer"
    )
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    seen = {}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            for path, chart in (
                ("/dashboards/repos/acme/widgets/cycle-time/?start=2024-05-01&end=2024-06-30",
                 "chart-cycle"),
                ("/dashboards/contributors/?start=2024-05-01&end=2024-06-30", "chart-diversity"),
            ):  # fmt: skip
                page.goto(f"{live_server.url}{path}")
                page.wait_for_function("window.stewardCharts && window.stewardCharts.length")
                seen[chart] = page.evaluate(
                    """(id) => {
                      const c = window.stewardCharts.find(c => c.canvas.id === id);
                      return Object.values(c.scales).filter(s => s.type === 'linear')
                        .map(s => s.options.title.text);
                    }""",
                    chart,
                )
                seen[f"{chart}-tooltip"] = " ".join(page.evaluate(FIRST_TOOLTIP, chart))
                page.screenshot(path=str(ARTIFACTS / f"boards-{chart}.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert seen["chart-cycle"] == ["median time in phase (hours)", "pull requests merged per month"]
    tooltip = seen["chart-cycle-tooltip"]
    assert "Median pickup time of " in tooltip and " merged in May 2024" in tooltip
    assert seen["chart-diversity"] == ["% of affiliated contributions"]
    assert "acme: 1 person made" in seen["chart-diversity-tooltip"]
