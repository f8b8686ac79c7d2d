"""A maintainer triages in a real browser: signs in, scans the rows, opens the evidence, accepts
a label, rejects a duplicate, reloads, and marks the issue triaged; with the mouse, with the
keyboard shortcuts, and without JavaScript."""

from __future__ import annotations

import os
import re

import pytest
from django.db import connections

from models_hub.models import SuggestionFeedback, TriageResult, TriageSettings
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium
from tests.models_hub.scenarios.queue import queue_rows_add

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
    assert "/accounts/login/" in page.url  # anonymous visitors are sent to sign in first
    page.get_by_label("Username").fill("maintainer")
    page.get_by_label("Password").fill("triage-pw")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/triage/")


def _row(page, title: str):
    return page.locator("li.triage-row", has_text=title)


def test_a_maintainer_triages_an_issue(scenario, live_server, browser):
    expect = pytest.importorskip("playwright.sync_api").expect
    page = browser.new_page(viewport={"width": 1280, "height": 1800})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, live_server.url)

    row = _row(page, "Crash when the config file is empty")
    expect(row.locator(".row-suggestions")).to_have_text(
        re.compile(r"bug\s+91%\s+duplicate of #1\s+87%\s+@carol\s+60%\s+High priority\s+70%")
    )
    expect(row.get_by_role("heading", name="Possible duplicates")).to_be_hidden()
    row.locator("summary", has_text="Evidence").click()  # one click: all behind the suggestions
    expect(row.get_by_role("heading", name="Possible duplicates")).to_be_visible()
    expect(row.get_by_role("heading", name="Why bug")).to_be_visible()
    expect(row.locator(".triage-group-label").get_by_text("87% similar")).to_be_visible()
    duplicate = row.locator(f"#suggestion-{scenario.duplicate.pk}")
    expect(duplicate).to_contain_text("#1 App crashes on start with an empty config (closed) bug")
    expect(page.get_by_text("no confident label (docs 41%)")).to_be_visible()

    row.get_by_role("button", name="Accept label bug").click()
    label = row.locator(f"#row-suggestion-{scenario.label.pk}")
    expect(label.locator(".row-decision")).to_have_text("Accepted")
    expect(label.locator(".row-decision")).to_have_attribute(
        "title", "Accepted by maintainer: Dry run (logged only)"
    )
    row.get_by_role("button", name="Reject duplicate of #1").click()
    expect(duplicate.locator(".decision-state")).to_contain_text("Rejected by maintainer")
    expect(page.locator("#triage-status")).to_have_text("Rejected: duplicate of #1.")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "triage-queue.png"), full_page=True)

    page.reload()
    expect(label.locator(".row-decision")).to_have_text("Accepted")
    row.locator("summary", has_text="Evidence").click()
    expect(duplicate.locator(".decision-state")).to_contain_text("Rejected by maintainer")
    decisions = dict(SuggestionFeedback.objects.values_list("suggestion_id", "decision"))
    assert decisions == {scenario.label.pk: "accepted", scenario.duplicate.pk: "rejected"}
    assert SuggestionFeedback.objects.get(decision="accepted").write_back_detail.startswith(
        "Dry run, not sent:\nPOST /repos/acme/widgets/issues/7/labels"
    )

    row.get_by_role("button", name="Mark triaged: #7").click()
    expect(row).to_have_count(0)
    expect(page.locator("#queue-count")).to_contain_text("2 issues to triage")
    page.reload()
    expect(_row(page, "Crash when the config file is empty")).to_have_count(0)
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


def test_a_full_page_of_the_queue_is_a_list_to_scan(scenario, live_server, browser):
    """Twenty issues, each with a suggestion of every kind, fit in a few screens."""
    expect = pytest.importorskip("playwright.sync_api").expect
    queue_rows_add(scenario, count=20)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(page, live_server.url)
    expect(page.locator("li.triage-row")).to_have_count(20)
    height = page.evaluate("document.documentElement.scrollHeight")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "triage-queue-full-page.png"), full_page=True)
    assert height < 4000, f"20 rows are {height} px tall"


def test_keyboard_triage(scenario, live_server, browser):
    expect = pytest.importorskip("playwright.sync_api").expect
    queue_rows_add(scenario, count=2)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, live_server.url)
    expect(page.locator("#triage-keys")).to_be_visible()
    first = _row(page, "Crash when the config file is empty")

    page.keyboard.press("j")
    expect(first).to_be_focused()
    page.keyboard.press("a")
    expect(first.locator(".row-decision")).to_have_text("Accepted")
    assert SuggestionFeedback.objects.get(suggestion=scenario.label).decision == "accepted"
    expect(first).to_be_focused()  # the next key acts on the same row

    page.keyboard.press("o")
    expect(first.get_by_role("heading", name="Why bug")).to_be_visible()
    page.keyboard.press("Enter")
    expect(first.get_by_role("heading", name="Why bug")).to_be_hidden()

    # Rows, newest first: #7, #8 (no confident label), #3 (private), #100, #101.
    rows = page.locator("li.triage-row")
    for _ in range(3):
        page.keyboard.press("j")
    expect(rows.nth(3)).to_be_focused()
    page.keyboard.press("k")
    expect(rows.nth(2)).to_be_focused()
    page.keyboard.press("j")
    page.keyboard.press("r")
    expect(rows.nth(3).locator(".row-decision")).to_have_text("Rejected")
    page.keyboard.press("t")
    expect(rows).to_have_count(4)
    expect(page.locator("#queue-count")).to_contain_text("4 issues to triage")
    expect(_row(page, "Widget 1 renders blank")).to_be_focused()  # the next one in line

    page.get_by_label("Repository").focus()  # keys typed into the filters are not shortcuts
    page.keyboard.press("t")
    expect(rows).to_have_count(4)

    decided = SuggestionFeedback.objects.values_list("issue__number", "kind", "decision")
    assert sorted(decided) == [(7, "label", "accepted"), (100, "label", "rejected")]
    reviewed = TriageResult.objects.filter(reviewed_at__isnull=False)
    assert sorted(reviewed.values_list("issue__number", flat=True)) == [5, 100]
    assert errors == []


def test_the_forms_work_without_javascript(scenario, live_server, browser):
    expect = pytest.importorskip("playwright.sync_api").expect
    page = browser.new_context(java_script_enabled=False).new_page()
    _sign_in(page, live_server.url)
    expect(page.locator("#triage-keys")).to_be_hidden()  # no shortcuts without the script
    page.goto(f"{live_server.url}/triage/?kind=label")
    page.get_by_role("button", name="Reject label bug").click()
    expect(page.get_by_role("status").filter(has_text="Rejected: label bug.")).to_have_count(1)
    assert re.search(r"/triage/\?kind=label$", page.url)
    label = page.locator(f"#row-suggestion-{scenario.label.pk}")
    expect(label.locator(".row-decision")).to_have_text("Rejected")
    page.locator("summary", has_text="Evidence").click()  # details/summary needs no script
    expect(page.get_by_role("heading", name="Why bug")).to_be_visible()
    page.get_by_role("button", name="Mark triaged: #7").click()
    expect(page.get_by_text("Issue #7 is triaged.")).to_be_visible()
    expect(page.locator("li.triage-row")).to_have_count(0)
