"""The model hub in a real browser: the index, a model page whose charts are drawn (from JSON
islands, by static/js/hub.js), and a card whose maintainers wrote a `<script>` and a
`javascript:` link, both rendered inert."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connections

from models_hub.cards import card_section_edit
from models_hub.registry.aliases import alias_move
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium
from tests.factories import ModelVersionFactory, RegisteredModelFactory, RepositoryFactory
from tests.models_hub.scenarios.hub import (
    build_hub,
    evaluated_metrics,
    register_with_files,
    triage_decisions,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]

HOSTILE = (
    "Works on English issues.\n\n<script>alert('card script')</script>\n\n"
    "[Click me](javascript:alert('card link')) and <a href=\"javascript:alert(2)\">this</a>."
)


@pytest.fixture
def hub(maintainer, model_store, tmp_path):
    """v1-v4 (v2 the champion), then v5 with real files made the champion; v1 and v2 were
    used in triage (v2's suggestions were rejected more often than its evaluation promised)."""
    scenario = build_hub(versions=4)
    triage_decisions(scenario.versions[0], accepted=9, rejected=2, abstained=8)
    triage_decisions(scenario.versions[1], accepted=6, rejected=8, abstained=10)
    champion = register_with_files(scenario.model, tmp_path, seed=5, f1=0.66)
    alias_move(version=champion, actor_label="maintainer", reason="real files")
    card_section_edit(model=scenario.model, section_id="limitations", text=HOSTILE)
    return scenario


@pytest.fixture
def browser(monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the live server does the DB work.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()


def _drawn_pixels(page, canvas_id: str) -> int:
    """How many pixels of the canvas are not transparent."""
    return page.evaluate(
        """(id) => {
            const canvas = document.getElementById(id);
            const context = canvas.getContext("2d");
            const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) painted++; }
            return painted;
        }""",
        canvas_id,
    )


def test_index_model_page_charts_and_an_inert_hostile_card(hub, live_server, browser):
    expect = pytest.importorskip("playwright.sync_api").expect
    page = browser.new_page(viewport={"width": 1280, "height": 1600})
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{live_server.url}/models/")
    expect(page.get_by_role("link", name=hub.name)).to_be_visible()
    expect(page.get_by_text(hub.private_model.name)).to_have_count(0)
    expect(page.locator('nav[aria-label="Main"] a[aria-current="page"]')).to_have_text("Models")
    hub_search = page.get_by_role("search", name="Search and filter models")
    hub_search.get_by_role("searchbox", name="Search").fill("widgets-labels")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".model-table caption")).to_contain_text("1 model matching")
    page.screenshot(path=str(ARTIFACTS / "hub-index.png"), full_page=True)

    page.get_by_role("link", name=hub.name).click()
    expect(page.locator("#metrics-chart[data-drawn=true]")).to_have_count(1)
    assert errors == []
    expect(page.locator("#curve-chart[data-drawn=true]")).to_have_count(1)
    assert page.evaluate("window.stewardHubCharts.length") == 2
    labels = page.evaluate("window.stewardHubCharts[0].data.labels")
    assert labels == ["v1", "v2", "v3", "v4", "v5"]
    curve_labels = page.evaluate("window.stewardHubCharts[1].data.datasets.map(d => d.label)")
    assert "v5 (champion) threshold 0.55" in curve_labels
    expect(page.locator("#quality tr.diverges")).to_have_count(1)
    expect(page.locator("#quality tr.diverges")).to_contain_text("Online precision 43%")
    assert _drawn_pixels(page, "metrics-chart") > 2000
    assert _drawn_pixels(page, "curve-chart") > 2000

    page.screenshot(path=str(ARTIFACTS / "hub-model-top.png"))
    card = page.locator("#card .markdown-body")
    expect(card).to_contain_text("Works on English issues.")
    expect(card.locator("script")).to_have_count(0)
    assert page.locator('a[href^="javascript:"]').count() == 0
    card.get_by_text("Click me").click()
    card.get_by_text("this", exact=True).click()
    page.wait_for_timeout(300)
    assert dialogs == []
    page.screenshot(path=str(ARTIFACTS / "hub-model.png"), full_page=True)
    for part in ("card", "versions", "quality", "history"):
        page.locator(f"#{part}").screenshot(path=str(ARTIFACTS / f"hub-model-{part}.png"))
    page.locator(".hub-side").screenshot(path=str(ARTIFACTS / "hub-model-files.png"))
    page.locator("#curve-chart-figure").screenshot(path=str(ARTIFACTS / "hub-curve-chart.png"))
    page.locator("#metrics-chart-figure").screenshot(path=str(ARTIFACTS / "hub-metrics-chart.png"))

    href = page.get_by_role("link", name="model.safetensors").first.get_attribute("href")
    download = page.request.get(f"{live_server.url}{href}")
    assert download.ok
    assert hashlib.sha256(download.body()).hexdigest() == download.headers["x-checksum-sha256"]
    page.goto(f"{live_server.url}/models/{hub.name}/compare/?a=1&b=4")
    expect(page.get_by_role("heading", name="Per-label scores")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "hub-compare.png"), full_page=True)
    page.goto(f"{live_server.url}/models/benchmarks/{hub.benchmark.name}/")
    expect(page.get_by_text("SetFit baseline")).to_be_visible()
    expect(page.get_by_text(hub.private_model.name)).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "hub-leaderboard.png"), full_page=True)
    assert errors == []


def test_a_maintainer_sees_the_promotion_gate_on_a_version_page(hub, live_server, browser):
    expect = pytest.importorskip("playwright.sync_api").expect
    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    page.goto(f"{live_server.url}/admin/login/?next=/models/{hub.name}/v/1/")
    page.get_by_label("Username").fill("maintainer")
    page.get_by_label("Password").fill("triage-pw")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/models/{hub.name}/v/1/")

    expect(page.locator(".gate")).to_contain_text("does not beat")
    page.get_by_label("Reason (required to promote anyway)").fill("v2 misses security bugs")
    page.get_by_role("button", name="Promote anyway").click()
    expect(page.locator(".messages")).to_contain_text("promoted anyway: v2 misses security bugs")
    page.screenshot(path=str(ARTIFACTS / "hub-version.png"), full_page=True)
    page.goto(f"{live_server.url}/models/{hub.name}/#history")
    expect(page.locator("#history tbody tr").first).to_contain_text("v2 misses security bugs")


def _painted(page, canvas_id: str, color: tuple[int, int, int]) -> int:
    """Pixels of `color` (within a little anti-aliasing) inside the chart's plot, 12 px beyond
    its top and right edges included (where a 100% score is drawn), the legend left out."""
    return page.evaluate(
        """([id, color]) => {
            const chart = window.stewardHubCharts.find((c) => c.canvas.id === id);
            const scale = window.devicePixelRatio;
            const area = chart.chartArea;
            const left = Math.floor(area.left * scale), top = Math.floor((area.top - 12) * scale);
            const width = Math.ceil((area.right - area.left + 12) * scale);
            const height = Math.ceil((area.bottom - area.top + 12) * scale);
            const data = chart.ctx.getImageData(left, top, width, height).data;
            let count = 0;
            for (let i = 0; i < data.length; i += 4) {
                const near = [0, 1, 2].every((c) => Math.abs(data[i + c] - color[c]) <= 40);
                if (near && data[i + 3] > 200) count++;
            }
            return count;
        }""",
        [canvas_id, list(color)],
    )


def test_scores_on_the_100_percent_edge_are_drawn_and_equal_lines_stay_visible(
    live_server, browser
):
    """A small, easy repository's classifier scores 1.0 everywhere: its precision-coverage
    curve runs along the top edge (from high coverage down, as curves do) and its three metric
    lines coincide. The curve is drawn, not just its threshold marker, and each metric keeps
    visible pixels of its own colour."""
    repository = RepositoryFactory(name="infra")
    model = RegisteredModelFactory(repository=repository, name="infra-labels")
    curve = [
        {"threshold": t / 20, "coverage": 1.0 if t < 19 else 0.72, "precision": 1.0}
        for t in range(20)
    ]
    perfect = {
        **evaluated_metrics(1.0),
        "accuracy": 1.0,
        "coverage_at_90_precision": 1.0,
        "curve": curve,
        "threshold": 0.5,
    }
    for number in (1, 2):
        ModelVersionFactory(model=model, version=number, metrics=perfect, is_active=number == 2)
    blue, red, green = (37, 99, 235), (220, 38, 38), (22, 163, 74)  # hub.js's palette
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/models/{model.name}/")
    page.wait_for_function("window.stewardHubCharts && window.stewardHubCharts.length === 2")

    # The newest curve's line spans 72-100% coverage (hundreds of pixels); its threshold
    # diamond alone would be about a hundred.
    assert _painted(page, "curve-chart", blue) > 400
    for color in (blue, red, green):
        assert _painted(page, "metrics-chart", color) > 300, color
    page.locator("#quality").screenshot(path=str(ARTIFACTS / "hub-perfect-scores.png"))
