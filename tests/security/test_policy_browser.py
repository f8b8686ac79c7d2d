"""The Content-Security-Policy in a real browser: the overview dashboard, a model page and the
triage queue run their scripts, draw their charts and post their forms without a single
`securitypolicyviolation`, and the policy does block what it should (an injected inline script)."""

from __future__ import annotations

import pytest

from analytics.services.rollups import rollups_fill
from tests.browser import ARTIFACTS, launched_chromium, needs_chromium
from tests.models_hub.scenarios.hub import build_hub

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]

# Runs before the page's own scripts, in every document: records what the policy blocked.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""
INKED_PIXELS = """(id) => {
  const canvas = document.getElementById(id);
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) inked++; }
  return inked;
}"""
INJECT_INLINE_SCRIPT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.injectedRan = true";
  document.body.appendChild(script);
}"""


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the live server does the DB work
    with launched_chromium() as browser:
        yield browser


class WatchedPage:
    """A page whose policy violations are recorded, by event and in the console."""

    def __init__(self, browser) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 1800})
        self.console: list[str] = []
        self.errors: list[str] = []
        self.page.add_init_script(RECORD_VIOLATIONS)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def violations(self) -> list[str]:
        return self.page.evaluate("window.cspViolations") + self.console


def test_the_overview_dashboard_draws_its_charts_under_the_policy(community, live_server, browser):
    rollups_fill(now=community.now)
    watched = WatchedPage(browser)
    page = watched.page

    page.goto(f"{live_server.url}/dashboards/?period=month&start=2024-01-01&end=2024-06-30")
    page.wait_for_function("window.stewardCharts && window.stewardCharts.length > 0")

    assert watched.violations() == [] and watched.errors == []
    assert (
        page.evaluate("window.stewardCharts.length") == page.locator("canvas[data-chart]").count()
    )
    assert page.evaluate(INKED_PIXELS, "chart-0") > 500
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "csp-overview.png"))

    # The policy is enforced, and the recorder sees it: an injected inline script never runs.
    page.evaluate(INJECT_INLINE_SCRIPT)
    page.wait_for_function("window.cspViolations.length > 0")
    assert page.evaluate("window.injectedRan === undefined")
    assert watched.page.evaluate("window.cspViolations")[0].startswith("script-src")
    page.wait_for_timeout(200)
    assert any("inline script" in text for text in watched.console), watched.console


def test_a_model_page_draws_its_charts_under_the_policy(
    maintainer, model_store, live_server, browser
):
    hub = build_hub(versions=3)
    watched = WatchedPage(browser)
    page = watched.page

    page.goto(f"{live_server.url}/models/{hub.model.name}/")
    page.wait_for_selector("#metrics-chart[data-drawn=true]", state="attached")

    assert watched.violations() == [] and watched.errors == []
    assert (
        page.evaluate("window.stewardHubCharts.length")
        == page.locator("canvas[data-hub-chart]").count()
    )
    assert page.evaluate(INKED_PIXELS, "metrics-chart") > 2000


def test_the_triage_queue_signs_in_and_decides_under_the_policy(
    maintainer, queue_scenario, live_server, browser
):
    expect = pytest.importorskip("playwright.sync_api").expect
    watched = WatchedPage(browser)
    page = watched.page

    page.goto(f"{live_server.url}/admin/login/?next=/triage/")
    page.get_by_label("Username").fill("maintainer")
    page.get_by_label("Password").fill("triage-pw")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/triage/")
    row = page.locator("li.triage-row", has_text="Crash when the config file is empty")
    expect(page.locator("#triage-keys")).to_be_visible()  # triage.js ran
    # Posted by triage.js with fetch (connect-src), the row updated in place.
    row.get_by_role("button", name="Accept label bug").click()
    expect(row.locator(f"#row-suggestion-{queue_scenario.label.pk} .row-decision")).to_have_text(
        "Accepted"
    )

    assert watched.violations() == [] and watched.errors == []
