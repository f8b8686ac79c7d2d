"""A maintainer triages in a real browser: signs in, reads the suggestions and their evidence,
accepts a label, rejects a duplicate, reloads, and marks the issue triaged."""

from __future__ import annotations

import os
import re

import pytest
from django.db import connections

from models_hub.models import SuggestionFeedback, TriageResult, TriageSettings
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]


@pytest.fixture
def scenario(maintainer, queue_scenario):
    # Write-back on, in dry run: the accepted label shows the request it would have sent.
    TriageSettings.objects.create(repository=queue_scenario.repository, write_back_enabled=True)
    return queue_scenario


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
            # Queries made while Playwright's loop runs get their own connection (Django keys
            # connections by async context); close it, or it outlives the test database.
            connections.close_all()


def _sign_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/triage/")
    assert "/admin/login/" in page.url  # anonymous visitors are sent to sign in first
    page.get_by_label("Username").fill("maintainer")
    page.get_by_label("Password").fill("triage-pw")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/triage/")


def test_a_maintainer_triages_an_issue(scenario, live_server, browser):
    expect = pytest.importorskip("playwright.sync_api").expect
    page = browser.new_page(viewport={"width": 1280, "height": 1800})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, live_server.url)

    card = page.locator("article", has_text="Crash when the config file is empty")
    expect(card.get_by_role("heading", name="Labels")).to_be_visible()
    expect(card.get_by_role("heading", name="Possible duplicates")).to_be_visible()
    duplicate = card.locator(f"#suggestion-{scenario.duplicate.pk}")
    expect(duplicate).to_contain_text("#1 App crashes on start with an empty config (closed) bug")
    label = card.locator(f"#suggestion-{scenario.label.pk}")
    label.get_by_text("Why").click()  # the labelled neighbours behind the label
    expect(label.get_by_text("87% similar")).to_be_visible()
    expect(page.get_by_text("No confident label: best guess docs at 41%.")).to_be_visible()

    card.get_by_role("button", name="Accept label bug").click()
    expect(label.locator(".decision-state")).to_contain_text("Accepted by maintainer")
    expect(label.locator(".decision-state")).to_contain_text("Dry run (logged only)")
    card.get_by_role("button", name="Reject duplicate of #1").click()
    expect(duplicate.locator(".decision-state")).to_contain_text("Rejected by maintainer")
    expect(page.locator("#triage-status")).to_have_text("Rejected: duplicate of #1.")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "triage-queue.png"), full_page=True)

    page.reload()
    expect(label.locator(".decision-state")).to_contain_text("Accepted by maintainer")
    expect(duplicate.locator(".decision-state")).to_contain_text("Rejected by maintainer")
    decisions = dict(SuggestionFeedback.objects.values_list("suggestion_id", "decision"))
    assert decisions == {scenario.label.pk: "accepted", scenario.duplicate.pk: "rejected"}
    assert SuggestionFeedback.objects.get(decision="accepted").write_back_detail.startswith(
        "Dry run, not sent:\nPOST /repos/acme/widgets/issues/7/labels"
    )

    card.get_by_role("button", name="Mark triaged: #7").click()
    expect(card).to_have_count(0)
    expect(page.locator("#queue-count")).to_contain_text("2 issues to triage")
    page.reload()
    expect(page.locator("article", has_text="Crash when the config file is empty")).to_have_count(0)
    reviewed = TriageResult.objects.get(pk=scenario.crash_result.pk)
    assert reviewed.reviewed_by.username == "maintainer"

    # The issue's own triage page keeps the decisions and the earlier, replaced run.
    page.goto(f"{live_server.url}/triage/acme/widgets/issues/7/")
    expect(page.get_by_text("triaged by maintainer")).to_be_visible()
    expect(page.get_by_text("replaced by a newer run")).to_be_visible()
    expect(page.locator(f"#suggestion-{scenario.label.pk} .decision-state")).to_contain_text(
        "Accepted by maintainer"
    )
    page.screenshot(path=str(ARTIFACTS / "triage-issue.png"), full_page=True)
    assert errors == []
    assert os.path.getsize(ARTIFACTS / "triage-queue.png") > 10_000


def test_the_forms_work_without_javascript(scenario, live_server, browser):
    expect = pytest.importorskip("playwright.sync_api").expect
    page = browser.new_context(java_script_enabled=False).new_page()
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/triage/?kind=label")
    page.get_by_role("button", name="Reject label bug").click()
    expect(page.get_by_role("status").filter(has_text="Rejected: label bug.")).to_have_count(1)
    assert re.search(r"/triage/\?kind=label$", page.url)
    label = page.locator(f"#suggestion-{scenario.label.pk}")
    expect(label.locator(".decision-state")).to_contain_text("Rejected by maintainer")
    page.get_by_role("button", name="Mark triaged: #7").click()
    expect(page.get_by_text("Issue #7 is triaged.")).to_be_visible()
    expect(page.locator("article")).to_have_count(0)
