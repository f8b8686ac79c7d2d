"""A visitor types "renderer slow" into the header's search box on the demo community and opens
the result: word order free, the matched words marked, the issue page one click away."""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, launched_chromium, needs_chromium
from tests.community.demo_site import build_demo_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]


def test_search_renderer_slow_on_the_demo_and_open_the_result(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the live server does the DB work
    build_demo_site()
    with launched_chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(f"{live_server.url}/repos/acme/widgets/")
        page.fill("#site-search-q", "renderer slow")
        page.press("#site-search-q", "Enter")
        page.wait_for_url("**/search/?q=renderer+slow")

        results = page.locator(".search-result")
        assert results.count() >= 1
        first = results.first
        marked = [text.lower() for text in first.locator("mark").all_inner_texts()]
        assert "renderer" in marked and "slow" in marked
        assert "acme/infra" not in page.inner_text("main")  # the private repository
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "search-results.png"), full_page=True)

        title = first.locator(".search-result-head a").inner_text()
        first.locator(".search-result-head a").click()
        page.wait_for_url("**/repos/acme/widgets/issues/*/")
        assert page.inner_text("h1").startswith(title)
        assert "becomes very slow" in page.inner_text("main").lower()
