"""The triage queue: what it lists, its filters, who may see it, and what a card shows."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from models_hub.models import Priority, SuggestionFeedback, SuggestionKind, TriageSettings
from models_hub.selectors import QueueFilters, triage_queue
from models_hub.triage.feedback import suggestion_decide
from tests.factories import TriageResultFactory, TriageSuggestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("member", password="pw")


@pytest.fixture
def staff_client(client, maintainer):
    client.force_login(maintainer)
    return client


def _numbers(results) -> list[tuple[str, int]]:
    return [(r.repository.full_name, r.issue.number) for r in results]


def test_queue_holds_current_unreviewed_results_of_open_issues_newest_first(
    queue_scenario, maintainer
):
    assert _numbers(triage_queue(user=maintainer)) == [
        ("acme/widgets", 7),
        ("acme/widgets", 8),
        ("acme/secret", 3),
    ]


def test_private_repositories_stay_out_of_a_non_staff_queue(queue_scenario, member):
    assert ("acme/secret", 3) not in _numbers(triage_queue(user=member))
    assert ("acme/secret", 3) not in _numbers(triage_queue(user=AnonymousUser()))


def test_deleted_issues_leave_the_queue(queue_scenario, maintainer):
    queue_scenario.vague.deleted_at = queue_scenario.vague.created_at
    queue_scenario.vague.save()
    assert ("acme/widgets", 8) not in _numbers(triage_queue(user=maintainer))


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (QueueFilters(repository="acme/secret"), [("acme/secret", 3)]),
        (QueueFilters(kind=SuggestionKind.LABEL), [("acme/widgets", 7)]),
        (QueueFilters(kind=SuggestionKind.DUPLICATE), [("acme/widgets", 7)]),
        (QueueFilters(kind=SuggestionKind.ASSIGNEE), [("acme/widgets", 7)]),
        (QueueFilters(priority=Priority.HIGH), [("acme/widgets", 7)]),
        (QueueFilters(priority=Priority.NORMAL), [("acme/widgets", 8), ("acme/secret", 3)]),
        (QueueFilters(repository="acme/widgets", priority=Priority.CRITICAL), []),
    ],
)
def test_queue_filters(queue_scenario, maintainer, filters, expected):
    assert _numbers(triage_queue(user=maintainer, filters=filters)) == expected


# — permissions —

PAGES = [
    "/triage/",
    "/triage/acme/widgets/issues/7/",
    "/triage/acme/widgets/settings/",
]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, queue_scenario, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("url", PAGES)
def test_signed_in_non_staff_users_get_403(client, member, queue_scenario, url):
    client.force_login(member)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_staff_see_the_pages(staff_client, queue_scenario, url):
    assert staff_client.get(url).status_code == 200


def test_unknown_issue_or_repository_is_404(staff_client, queue_scenario):
    assert staff_client.get("/triage/acme/widgets/issues/999/").status_code == 404
    assert staff_client.get("/triage/acme/nothing/settings/").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_only_staff_may_decide_or_mark_triaged(client, member, queue_scenario, who):
    if who == "member":
        client.force_login(member)
    decide = client.post(
        f"/triage/suggestions/{queue_scenario.label.pk}/decide/", {"decision": "accepted"}
    )
    reviewed = client.post(f"/triage/results/{queue_scenario.crash_result.pk}/reviewed/")
    expected = 403 if who == "member" else 302
    assert decide.status_code == reviewed.status_code == expected
    queue_scenario.crash_result.refresh_from_db()
    assert queue_scenario.crash_result.reviewed_at is None
    assert not SuggestionFeedback.objects.exists()


def test_decisions_need_the_csrf_token(maintainer, queue_scenario):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(maintainer)
    url = f"/triage/suggestions/{queue_scenario.label.pk}/decide/"
    assert strict.post(url, {"decision": "accepted"}).status_code == 403
    page = strict.get("/triage/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = strict.post(url, {"decision": "accepted", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    queue_scenario.label.refresh_from_db()
    assert queue_scenario.label.feedback.decision == "accepted"


def test_gets_on_post_only_urls_are_refused(staff_client, queue_scenario):
    assert (
        staff_client.get(f"/triage/suggestions/{queue_scenario.label.pk}/decide/").status_code
        == 405
    )
    assert (
        staff_client.get(f"/triage/results/{queue_scenario.crash_result.pk}/reviewed/").status_code
        == 405
    )


# — what the page shows —


def _row(html: str, number: int) -> str:
    """The queue row of issue #number, its evidence disclosure included."""
    for row in html.split('<li class="triage-row"')[1:]:
        if f'<span class="num-ref">#{number}</span>' in row:
            return row
    raise AssertionError(f"no row for #{number}")


def _summary(row: str) -> str:
    """What a row shows before its evidence disclosure is opened."""
    return row.split('<details class="row-evidence"')[0]


def _suggestion(card: str, pk: int) -> str:
    """One suggestion's <li> (with its evidence list) inside a row's evidence."""
    chunks = card.split('<li class="suggestion')
    return next(chunk for chunk in chunks if f'id="suggestion-{pk}"' in chunk)


def test_a_row_shows_the_issue_and_the_best_suggestion_of_each_kind(staff_client, queue_scenario):
    row = _summary(_row(staff_client.get("/triage/").text, 7))
    assert '<a href="/repos/acme/widgets/issues/7/">Crash when the config file is empty</a>' in row
    assert "acme/widgets · opened <time" in row and ">alice</a>" in row
    chips = re.findall(r'<li class="chip chip-(\w+)">(.*?)</li>', row, flags=re.S)
    shown = {kind: " ".join(re.sub(r"<[^>]+>", " ", text).split()) for kind, text in chips}
    assert shown == {
        "label": "bug 91%",
        "duplicate": "duplicate of #1 87%",
        "assignee": "@carol 60%",
        "priority": "High priority 70%",
    }
    # The label is decided in the row; the other kinds in the evidence.
    assert 'aria-label="Accept label bug"' in row and 'aria-label="Reject label bug"' in row
    assert 'aria-label="Mark triaged: #7"' in row
    assert "duplicate of #1" in row and 'aria-label="Reject duplicate of #1"' not in row


def test_the_evidence_is_one_click_away(staff_client, queue_scenario):
    row = _row(staff_client.get("/triage/").text, 7)
    evidence = row.split('<details class="row-evidence"')[1]
    assert "<details" not in evidence.split("<summary>")[0]  # closed until asked for
    for title in ("Why bug", "Possible duplicates", "Assignees", "Priority"):
        assert f"<h3>{title}</h3>" in evidence
    assert "87% similar" in evidence.split("<h3>Possible duplicates</h3>")[0]
    # The duplicate links to the neighbour, with its state and labels beside it (its own
    # evidence row is not repeated as a "why"); the label's evidence gives the similarity.
    duplicate = _suggestion(evidence, queue_scenario.duplicate.pk)
    assert '<a href="/repos/acme/widgets/issues/1/">#1</a> App crashes on start' in duplicate
    assert '(closed)</span> <span class="label">bug</span>' in duplicate
    assert "Why" not in duplicate
    assert 'App crashes on start with an empty config <span class="muted">(closed)</span>' in row
    assert "closed at: 2024-05-02" in evidence and "roles: closed it, fixed in #3" in evidence
    assert "crash words" in evidence and "“crash” in the title" in evidence
    assert "sentence-transformers/all-MiniLM-L6-v2" in evidence and "label model v3" in evidence
    assert 'href="https://github.com/acme/widgets/issues/7"' in evidence
    assert 'href="/triage/acme/widgets/issues/7/"' in evidence
    assert 'aria-label="Reject duplicate of #1"' in evidence
    assert 'aria-label="Accept label bug"' not in evidence  # decided once, in the row


def test_an_abstaining_classifier_shows_its_best_guess(staff_client, queue_scenario):
    row = _row(staff_client.get("/triage/").text, 8)
    assert 'no confident label <span class="chip-score">(docs 41%)</span>' in _summary(row)
    assert "No confident label: best guess <strong>docs</strong> at 41%." in row
    assert "Accept label" not in row and "Why " not in row


def test_filters_apply_from_the_query_string_and_bad_values_are_ignored(
    staff_client, queue_scenario
):
    html = staff_client.get("/triage/?kind=duplicate").text
    assert "#7</span>" in html and "#8</span>" not in html
    html = staff_client.get("/triage/?kind=nonsense&priority=urgent&repository=x/y").text
    assert "#7</span>" in html and "#8</span>" in html and "3 issues to triage" in html


def test_decided_suggestions_show_the_decision_and_write_back_status(
    staff_client, queue_scenario, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # write-back runs after the commit
        staff_client.post(
            f"/triage/suggestions/{queue_scenario.label.pk}/decide/", {"decision": "accepted"}
        )
        staff_client.post(
            f"/triage/suggestions/{queue_scenario.duplicate.pk}/decide/", {"decision": "rejected"}
        )
    row = _row(staff_client.get("/triage/").text, 7)
    label = _summary(row).split('class="row-label')[1]
    assert 'title="Accepted by maintainer: Not written back">Accepted</span>' in label
    assert 'value="accepted"' not in label and 'value="rejected"' in label  # change of mind
    duplicate = _suggestion(row, queue_scenario.duplicate.pk)
    assert "<strong>Rejected</strong> by maintainer" in duplicate
    assert "written" not in duplicate.lower()
    details = staff_client.get("/triage/acme/widgets/issues/7/").text
    label = _suggestion(details, queue_scenario.label.pk)
    assert "<strong>Accepted</strong> by maintainer" in label
    assert "Not written back" in label and "Write-back is off for this repository." in label


def test_the_page_costs_the_same_queries_for_more_issues(
    staff_client, queue_scenario, django_assert_max_num_queries
):
    staff_client.get("/triage/")  # warm the session and the content types
    with django_assert_max_num_queries(16) as few:
        staff_client.get("/triage/")
    for number in range(20, 30):
        result = TriageResultFactory(
            issue__repository=queue_scenario.repository, issue__number=number
        )
        TriageSuggestionFactory(result=result, evidence=[{"number": 1, "title": "x", "score": 0.5}])
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get("/triage/")


def test_json_decisions_answer_with_the_updated_suggestion(staff_client, queue_scenario):
    response = staff_client.post(
        f"/triage/suggestions/{queue_scenario.label.pk}/decide/",
        {"decision": "rejected", "next": "/triage/"},
        headers={"Accept": "application/json"},
    )
    data = response.json()
    assert response.status_code == 200
    assert data["decision"] == "rejected" and data["message"] == "Rejected: label bug."
    assert f'id="suggestion-{queue_scenario.label.pk}"' in data["html"]
    assert "<strong>Rejected</strong>" in data["html"]


def test_json_decisions_from_a_queue_row_answer_with_the_row_control(staff_client, queue_scenario):
    response = staff_client.post(
        f"/triage/suggestions/{queue_scenario.label.pk}/decide/",
        {"decision": "accepted", "next": "/triage/", "view": "row"},
        headers={"Accept": "application/json"},
    )
    html = response.json()["html"]
    assert f'id="row-suggestion-{queue_scenario.label.pk}"' in html
    assert ">Accepted</span>" in html and 'value="accepted"' not in html
    assert 'name="view" value="row"' in html and "<details" not in html


def test_decisions_redirect_back_to_a_local_page_only(staff_client, queue_scenario):
    url = f"/triage/suggestions/{queue_scenario.label.pk}/decide/"
    back = staff_client.post(url, {"decision": "accepted", "next": "/triage/?kind=label"})
    assert back["Location"] == "/triage/?kind=label"
    away = staff_client.post(url, {"decision": "accepted", "next": "https://evil.example/"})
    assert away["Location"] == "/triage/"


def test_an_invalid_decision_is_refused(staff_client, queue_scenario):
    response = staff_client.post(
        f"/triage/suggestions/{queue_scenario.label.pk}/decide/",
        {"decision": "maybe"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert not SuggestionFeedback.objects.exists()


def test_mark_triaged_takes_the_issue_out_of_the_queue(staff_client, maintainer, queue_scenario):
    response = staff_client.post(
        f"/triage/results/{queue_scenario.crash_result.pk}/reviewed/", {"next": "/triage/"}
    )
    assert response.status_code == 302
    html = staff_client.get("/triage/").text
    assert "#7</span>" not in html and "2 issues to triage" in html
    queue_scenario.crash_result.refresh_from_db()
    assert queue_scenario.crash_result.reviewed_by == maintainer


# — issue triage and settings pages —


def test_the_issue_page_shows_the_current_run_and_earlier_ones(staff_client, queue_scenario):
    html = staff_client.get("/triage/acme/widgets/issues/7/").text
    current, earlier = html.split('id="history-title"')
    assert 'aria-label="Accept label bug"' in current and "Mark triaged" in current
    assert earlier.count("<article ") == 1 and "replaced by a newer run" in earlier
    assert "<form" not in earlier  # earlier runs are read-only
    assert 'href="/triage/acme/widgets/settings/"' in html


def test_the_issue_page_of_an_untriaged_issue_says_so(staff_client, queue_scenario):
    html = staff_client.get("/triage/acme/widgets/issues/1/").text
    assert "This issue has not been triaged yet." in html


def test_settings_are_created_with_safe_defaults_on_first_visit(staff_client, queue_scenario):
    assert not TriageSettings.objects.exists()
    html = staff_client.get("/triage/acme/widgets/settings/").text
    rules = TriageSettings.objects.get(repository=queue_scenario.repository)
    assert (rules.write_back_enabled, rules.write_back_dry_run) == (False, True)
    assert "Write-back is\n      <strong>off</strong>" in html
    assert '<label for="id_excluded_authors">Never write back on issues by</label>' in html


def test_settings_are_saved_and_validated(staff_client, queue_scenario):
    url = "/triage/acme/widgets/settings/"
    values = {
        "label_threshold": "0.6",
        "write_back_enabled": "on",
        "write_back_min_score": "0.85",
        "write_back_labels": "on",
        "excluded_authors": "dependabot\nrenovate",
    }
    assert staff_client.post(url, values)["Location"] == url
    rules = TriageSettings.objects.get(repository=queue_scenario.repository)
    assert (rules.write_back_enabled, rules.write_back_dry_run) == (True, False)
    assert rules.excluded_logins == {"dependabot", "renovate"}
    assert (rules.label_threshold, rules.write_back_min_score) == (0.6, 0.85)
    refused = staff_client.post(url, {**values, "write_back_min_score": "1.5"})
    assert refused.status_code == 200 and "The minimum score is a score between 0 and 1." in (
        refused.text
    )
    rules.refresh_from_db()
    assert rules.write_back_min_score == 0.85


def test_a_queue_card_keeps_the_best_three_of_a_kind_and_every_decided_one(
    staff_client, maintainer, queue_scenario
):
    result = queue_scenario.crash_result
    extra = [
        TriageSuggestionFactory(
            result=result, kind=SuggestionKind.ASSIGNEE, value=f"helper{rank}", rank=rank
        )
        for rank in range(1, 5)
    ]
    suggestion_decide(suggestion=extra[-1], decision="rejected", user=maintainer)
    card = _row(staff_client.get("/triage/").text, 7)
    shown = re.findall(r"Accept assignee (\w+)|Reject assignee (\w+)", card)
    assert sorted({name for pair in shown for name in pair if name}) == [
        "carol",
        "helper1",
        "helper2",
        "helper4",  # decided: always shown
    ]
    assert "2 more: see all assignees" not in card and "1 more: see all assignees" in card
    details = staff_client.get("/triage/acme/widgets/issues/7/").text
    assert all(f"Accept assignee helper{rank}" in details for rank in (1, 2, 3))


def test_deciding_on_a_replaced_run_is_refused_with_a_reason(staff_client, queue_scenario):
    old = queue_scenario.replaced_result.suggestions.create(kind="label", value="docs", score=0.6)
    url = f"/triage/suggestions/{old.pk}/decide/"
    refused = staff_client.post(
        url, {"decision": "accepted"}, headers={"Accept": "application/json"}
    )
    assert refused.status_code == 409 and "triaged again" in refused.json()["error"]
    page = staff_client.post(url, {"decision": "accepted", "next": "/triage/"}, follow=True)
    assert "triaged again since this suggestion was made" in page.text
    assert not SuggestionFeedback.objects.exists()
