"""A maintainer opens the repository dashboard in a real browser and sees the charts drawn."""

from __future__ import annotations

import os

import pytest

from analytics.services.rollups import rollups_fill
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]

# Counts the canvas pixels that are not transparent: a drawn chart has many.
INKED_PIXELS = """(id) => {
  const canvas = document.getElementById(id);
  const ctx = canvas.getContext('2d');
  const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) inked++; }
  return inked;
}"""


def test_repository_dashboard_draws_its_charts(community, live_server, monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    rollups_fill(now=community.now)
    # Playwright's sync API runs an event loop in this thread; the live server does the DB work.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    query = "period=month&start=2024-01-01&end=2024-06-30"
    url = f"{live_server.url}/dashboards/repos/acme/widgets/?{query}"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 2200})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(url)
            page.wait_for_function("window.stewardCharts && window.stewardCharts.length > 0")
            charts = page.evaluate("window.stewardCharts.length")
            canvases = page.locator("canvas[data-chart]").count()
            inked = page.evaluate(INKED_PIXELS, "chart-0")
            # Straight segments between the points: a spline would draw values never measured.
            tensions = page.evaluate(
                "window.stewardCharts.flatMap(c => c.data.datasets.map(d => d.tension))"
            )
            page.screenshot(
                path=str(ARTIFACTS / "analytics-repository-dashboard.png"), full_page=True
            )
        finally:
            browser.close()
    assert errors == []
    assert charts == canvases >= 10
    assert inked > 500
    assert tensions and set(tensions) == {0}
    assert os.path.getsize(ARTIFACTS / "analytics-repository-dashboard.png") > 10_000
