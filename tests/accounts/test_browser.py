"""A maintainer of one repository, not staff, signs in through the site's sign-in page, browses,
and accepts a triage suggestion in the queue; content from GitHub stays inert on the way: an
issue titled `<script>…</script>` is text, and a `javascript:` homepage is never a link."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from accounts.models import RepositoryRole
from models_hub.models import SuggestionFeedback
from tests.browser import ARTIFACTS, launched_chromium, needs_chromium
from tests.factories import (
    IssueFactory,
    LabelFactory,
    TriageResultFactory,
    TriageSuggestionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]
SCRIPT_TITLE = "<script>window.__x=1</script>"
PASSWORD = "pat-maintains-widgets"


@pytest.fixture
def scenario(queue_scenario):
    repository = queue_scenario.repository
    repository.homepage = "javascript:alert(1)"
    repository.save()
    newcomers = LabelFactory(repository=repository, name="good first issue", color="7057ff")
    hostile = IssueFactory(repository=repository, number=42, title=SCRIPT_TITLE, labels=[newcomers])
    TriageSuggestionFactory(result=TriageResultFactory(issue=hostile), value="docs", score=0.8)
    pat = get_user_model().objects.create_user("pat", password=PASSWORD)
    RepositoryRole.objects.create(user=pat, repository=repository)
    return queue_scenario


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with launched_chromium() as chromium:
        yield chromium


def _assert_inert(page) -> None:
    assert page.evaluate("window.__x") is None
    assert page.locator('[href^="javascript:" i]').count() == 0


def test_a_maintainer_signs_in_browses_and_triages(scenario, live_server, browser):
    expect = pytest.importorskip("playwright.sync_api").expect
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{base}/repos/acme/widgets/")
    page.get_by_role("link", name="Sign in").click()
    page.wait_for_url(f"{base}/accounts/login/?next=/repos/acme/widgets/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "accounts-sign-in.png"), full_page=True)
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/repos/acme/widgets/")
    expect(page.locator(".account-menu summary")).to_contain_text("pat")
    _assert_inert(page)

    page.goto(f"{base}/repos/acme/widgets/issues/")
    expect(page.get_by_role("link", name=SCRIPT_TITLE)).to_be_visible()  # shown as text
    _assert_inert(page)
    page.goto(f"{base}/repos/acme/widgets/issues/42/")
    expect(page.get_by_role("heading", name=SCRIPT_TITLE)).to_be_visible()
    _assert_inert(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Triage").click()
    page.wait_for_url(f"{base}/triage/")
    row = page.locator("li.triage-row", has_text="Crash when the config file is empty")
    row.get_by_role("button", name="Accept label bug").click()
    expect(row.locator(f"#row-suggestion-{scenario.label.pk} .row-decision")).to_have_text(
        "Accepted"
    )
    expect(page.locator("li.triage-row", has_text=SCRIPT_TITLE)).to_have_count(1)
    # The private repository's issue is not this maintainer's to triage.
    expect(page.locator("li.triage-row", has_text="acme/secret")).to_have_count(0)
    _assert_inert(page)
    page.screenshot(path=str(ARTIFACTS / "accounts-maintainer-queue.png"), full_page=True)

    page.goto(f"{base}/accounts/me/")
    expect(page.get_by_text("Maintainer of 1 repository")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "accounts-home.png"), full_page=True)
    page.goto(f"{base}/accounts/me/good-first-issues/")
    expect(page.get_by_role("link", name=SCRIPT_TITLE)).to_be_visible()
    _assert_inert(page)
    page.screenshot(path=str(ARTIFACTS / "accounts-good-first-issues.png"), full_page=True)
    page.goto(f"{base}/accounts/me/tokens/")
    page.get_by_label("Token name").fill("weekly report")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-key")).to_contain_text("stw_")
    page.screenshot(path=str(ARTIFACTS / "accounts-tokens.png"), full_page=True)

    feedback = SuggestionFeedback.objects.get()
    assert (feedback.suggestion_id, feedback.decision) == (scenario.label.pk, "accepted")
    assert feedback.decided_by.username == "pat"
    assert errors == [] and dialogs == []
