"""In a real browser: the cycle-time page stacks its phases and the contributor board draws
organisational diversity, on axes that start at zero and say their unit."""

from __future__ import annotations

import pytest

from analytics.models import Affiliation
from community.models import Actor
from tests.analytics.test_browser import INKED_PIXELS
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]
AXES = """() => window.stewardCharts.map(c => {
  const value = c.options.indexAxis === 'y' ? c.scales.x : c.scales.y;
  return {id: c.canvas.id, stacked: !!c.options.scales[value.axis].stacked, min: value.min,
          unit: value.options.title.text, datasets: c.data.datasets.length};
})"""


def _charts(live_server, path: str, shot: str) -> tuple[list, list, dict]:
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1800})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{live_server.url}{path}")
            page.wait_for_function("window.stewardCharts && window.stewardCharts.length")
            axes = page.evaluate(AXES)
            inked = {a["id"]: page.evaluate(INKED_PIXELS, a["id"]) for a in axes}
            page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
        finally:
            browser.close()
    return errors, axes, inked


def test_cycle_time_stacks_phase_medians(community, live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    path = "/dashboards/repos/acme/widgets/cycle-time/?start=2024-05-01&end=2024-06-30"
    errors, axes, inked = _charts(live_server, path, "analytics-cycle-time.png")
    assert errors == []
    by_id = {a["id"]: a for a in axes}
    assert by_id["chart-cycle"]["stacked"] is True and by_id["chart-cycle"]["min"] == 0
    # pickup 3 h + review 21 h + merge 24 h; no push known, so no coding dataset
    # and the PRs merged per month, on their own axis
    assert by_id["chart-cycle"]["unit"] == "median time in phase (hours)"
    assert by_id["chart-cycle"]["datasets"] == 4
    assert by_id["chart-waiting"]["unit"] == "open pull requests"
    assert min(inked.values()) > 500


def test_contributor_board_draws_organisational_diversity(community, live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    for login, organisation in (("alice", "acme"), ("maintainer", "globex")):
        Affiliation.objects.create(
            actor=Actor.objects.get(login=login), organisation=organisation, source="maintainer"
        )
    path = "/dashboards/contributors/?start=2024-05-01&end=2024-06-30"
    errors, axes, inked = _charts(live_server, path, "analytics-contributors.png")
    assert errors == []
    assert axes == [{"id": "chart-diversity", "stacked": False, "min": 0,
                     "unit": "% of affiliated contributions", "datasets": 1}]  # fmt: skip
    assert inked["chart-diversity"] > 500
