"""On a phone (390 px wide) no main page scrolls sideways: wide tables scroll inside their own
box, grids fall to one column. Chromium renders each page from demo data, as a maintainer, and
checks the document's width, that every image loaded, and that nothing was requested from
another site (avatars included). Screenshots go to test-artifacts/narrow-*.png."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from analytics.services.rollups import rollups_fill
from tests.browser import ARTIFACTS, launched_chromium, needs_chromium
from tests.community.demo_site import build_demo_site
from tests.models_hub.scenarios.hub import build_hub

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]

PHONE = {"width": 390, "height": 844}
# Images that are in the page but did not load (a broken image icon).
BROKEN_IMAGES = "[...document.images].filter(i => i.complete && i.naturalWidth === 0)"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("maintainer", password="narrow-pw", is_staff=True)


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the live server does the DB work.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with launched_chromium() as browser:
        yield browser


def _phone_page(browser, base_url: str):
    """A phone-sized page signed in as the maintainer, recording requests to other sites."""
    page = browser.new_page(viewport=PHONE)
    page.elsewhere = []
    host = urlsplit(base_url).netloc

    def record(request) -> None:
        if urlsplit(request.url).netloc not in ("", host):  # "": data: URLs
            page.elsewhere.append(request.url)

    page.on("request", record)
    page.goto(f"{base_url}/admin/login/?next=/")
    page.get_by_label("Username").fill("maintainer")
    page.get_by_label("Password").fill("narrow-pw")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")
    return page


def _visit(page, base_url: str, pages: dict[str, str]) -> dict[str, object]:
    """Per page, what is wrong with it on a phone (nothing: absent)."""
    ARTIFACTS.mkdir(exist_ok=True)
    problems: dict[str, object] = {}
    for name, path in pages.items():
        response = page.goto(f"{base_url}{path}")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        broken = page.evaluate(f"{BROKEN_IMAGES}.map(i => i.src)")
        page.screenshot(path=str(ARTIFACTS / f"narrow-{name.replace(' ', '-')}.png"))
        if response.status != 200 or width > PHONE["width"] or broken or page.elsewhere:
            problems[name] = {
                "status": response.status,
                "scrollWidth": width,
                "broken images": broken,
                "other sites": list(page.elsewhere),
            }
        page.elsewhere.clear()
    return problems


def test_the_community_dashboard_and_triage_pages_fit_a_phone(staff, live_server, browser):
    pages = build_demo_site(until=timezone.now().date())
    rollups_fill()  # the dashboards' charts and "needs attention" tables
    page = _phone_page(browser, live_server.url)

    assert _visit(page, live_server.url, pages) == {}


def test_the_model_hub_pages_fit_a_phone(staff, live_server, browser):
    hub = build_hub(versions=3)
    pages = {
        "models": "/models/",
        "model": f"/models/{hub.name}/",
        "benchmarks": "/models/benchmarks/",
        "leaderboard": f"/models/benchmarks/{hub.benchmark.name}/",
    }
    page = _phone_page(browser, live_server.url)

    assert _visit(page, live_server.url, pages) == {}
