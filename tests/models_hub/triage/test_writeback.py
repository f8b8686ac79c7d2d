"""Write-back of accepted suggestions to GitHub, against the loopback fake GitHub: off by
default, dry-run records the request without sending it, the repository's rules skip what they
exclude, GitHub's refusals are recorded, and nothing is written twice."""

from __future__ import annotations

import pytest

from models_hub.models import SuggestionFeedback, SuggestionKind, TriageSettings, WriteBackStatus
from models_hub.triage.feedback import suggestion_decide
from models_hub.triage.writeback import feedback_write_back
from tests.factories import (
    ActorFactory,
    IssueFactory,
    LabelFactory,
    RepositoryFactory,
    TriageResultFactory,
    TriageSuggestionFactory,
)
from tests.fakes.github_server import FakeGitHub

pytestmark = pytest.mark.django_db
TOKEN = "ghp_triage_writer"
LABELS_PATH = "/repos/octo/demo/issues/2/labels"
COMMENTS_PATH = "/repos/octo/demo/issues/2/comments"
COMMENT = (
    "Possible duplicate of #1 (similarity 0.91) — suggested by Steward triage,"
    " confirmed by maintainer on Steward"
)


@pytest.fixture
def github(settings):
    with FakeGitHub(tokens=[TOKEN]) as fake:
        settings.GITHUB_API_URL = fake.base_url
        settings.GITHUB_TOKENS = [TOKEN]
        settings.GITHUB_APP_ID = ""
        settings.GITHUB_RATE_LIMIT_RESERVE = 0
        settings.GITHUB_SECONDS_BETWEEN_REQUESTS = 0
        repo = fake.add_repo("octo/demo")
        fake.add_label(repo, "bug")
        fake.add_issue(repo, title="Crash on start", state="closed")
        fake.add_issue(repo, title="Crashes when started", user="alice")
        yield fake


@pytest.fixture
def issue(db):
    repository = RepositoryFactory(full_name="octo/demo", name="demo")
    IssueFactory(repository=repository, number=1, title="Crash on start", closed=True)
    return IssueFactory(
        repository=repository, number=2, title="Crashes when started",
        author=ActorFactory(login="Alice"),
    )  # fmt: skip


@pytest.fixture
def suggestions(issue):
    result = TriageResultFactory(issue=issue)
    duplicate_of = issue.repository.issues.get(number=1)
    return {
        "label": TriageSuggestionFactory(
            result=result, kind=SuggestionKind.LABEL, value="bug", score=0.93,
            label=LabelFactory(repository=issue.repository, name="bug"),
        ),
        "duplicate": TriageSuggestionFactory(
            result=result, kind=SuggestionKind.DUPLICATE, value="#1", score=0.91,
            duplicate_of=duplicate_of,
        ),
        "assignee": TriageSuggestionFactory(
            result=result, kind=SuggestionKind.ASSIGNEE, value="carol", score=0.95
        ),
        "weak_label": TriageSuggestionFactory(
            result=result, kind=SuggestionKind.LABEL, value="docs", score=0.55, rank=1
        ),
    }  # fmt: skip


def _rules(issue, **changes) -> TriageSettings:
    values = {"write_back_enabled": True, "write_back_dry_run": False, **changes}
    return TriageSettings.objects.create(repository=issue.repository, **values)


def _accept(suggestion, user, capture) -> SuggestionFeedback:
    """Accept as the page does: the write-back task runs once the decision is committed."""
    with capture(execute=True):
        feedback = suggestion_decide(suggestion=suggestion, decision="accepted", user=user)
    feedback.refresh_from_db()
    return feedback


def _writes(github: FakeGitHub):
    return [hit for hit in github.hits if hit.method == "POST"]


@pytest.fixture
def accept(maintainer, django_capture_on_commit_callbacks):
    return lambda suggestion: _accept(suggestion, maintainer, django_capture_on_commit_callbacks)


def test_write_back_is_off_by_default(github, suggestions, accept):
    feedback = accept(suggestions["label"])
    assert feedback.write_back_status == WriteBackStatus.NONE
    assert feedback.write_back_detail == "Write-back is off for this repository."
    assert github.hits == []


def test_dry_run_records_the_exact_request_and_sends_nothing(github, issue, suggestions, accept):
    _rules(issue, write_back_dry_run=True, write_back_duplicate_comment=True)
    label = accept(suggestions["label"])
    duplicate = accept(suggestions["duplicate"])
    assert label.write_back_status == duplicate.write_back_status == WriteBackStatus.DRY_RUN
    assert (
        label.write_back_detail == f'Dry run, not sent:\nPOST {LABELS_PATH}\n{{"labels": ["bug"]}}'
    )
    assert duplicate.write_back_detail == (
        f'Dry run, not sent:\nPOST {COMMENTS_PATH}\n{{"body": "{COMMENT}"}}'
    )
    assert github.hits == []


def test_an_accepted_label_is_added_on_github(github, issue, suggestions, accept):
    _rules(issue)
    feedback = accept(suggestions["label"])
    assert feedback.write_back_status == WriteBackStatus.WRITTEN
    assert feedback.write_back_detail.endswith("GitHub answered 200.")
    [write] = _writes(github)
    assert (write.path, write.body, write.token, write.status) == (
        LABELS_PATH,
        {"labels": ["bug"]},
        TOKEN,
        200,
    )
    fake_issue = github.repos["octo/demo"].issues.by_id[github.repos["octo/demo"].numbers[2]]
    bug_id = github.repos["octo/demo"].labels[0]["id"]
    assert fake_issue.fields["labels"] == [bug_id]


def test_an_accepted_duplicate_is_commented_on_github(github, issue, suggestions, accept):
    _rules(issue, write_back_duplicate_comment=True)
    feedback = accept(suggestions["duplicate"])
    assert feedback.write_back_status == WriteBackStatus.WRITTEN
    [write] = _writes(github)
    assert (write.path, write.body, write.status) == (COMMENTS_PATH, {"body": COMMENT}, 201)
    [comment] = github.repos["octo/demo"].comments.by_id.values()
    assert comment.fields["body"] == COMMENT and comment.fields["number"] == 2
    assert "#issuecomment-" in feedback.write_back_detail  # the comment's URL is kept


@pytest.mark.parametrize(
    ("suggestion", "rules", "reason"),
    [
        ("label", {"excluded_authors": "bob, alice"}, "The issue's author @Alice is excluded."),
        ("label", {"excluded_authors": "bob\n ALICE \n"}, "The issue's author @Alice is excluded."),
        ("weak_label", {}, "Score 0.55 is below the threshold 0.80."),
        ("label", {"write_back_min_score": 0.95}, "Score 0.93 is below the threshold 0.95."),
        ("label", {"write_back_labels": False}, "Labels are not written back (settings)."),
        ("duplicate", {}, "Duplicate comments are not written back (settings)."),
        ("assignee", {}, "Assignee suggestions are never written."),
    ],
)
def test_the_repository_rules_skip_what_they_exclude(
    github, issue, suggestions, accept, suggestion, rules, reason
):
    _rules(issue, **rules)
    feedback = accept(suggestions[suggestion])
    assert (feedback.write_back_status, feedback.write_back_detail) == (
        WriteBackStatus.SKIPPED,
        reason,
    )
    assert github.hits == []


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (403, "Resource not accessible by integration"),
        (422, "Validation Failed"),
        (404, "Not Found"),
    ],
)
def test_a_github_refusal_is_recorded_as_failed(
    github, issue, suggestions, accept, status, message
):
    _rules(issue)
    github.fail(r"/issues/2/labels", status, body={"message": message})
    feedback = accept(suggestions["label"])
    assert feedback.write_back_status == WriteBackStatus.FAILED
    assert feedback.write_back_detail.startswith(f'POST {LABELS_PATH}\n{{"labels": ["bug"]}}\n')
    assert feedback.write_back_detail.endswith(message)
    assert len(_writes(github)) == 1


def test_a_server_error_is_not_retried_and_is_recorded(github, issue, suggestions, accept):
    _rules(issue, write_back_duplicate_comment=True)
    github.fail(r"/issues/2/comments", 502, times=5)
    feedback = accept(suggestions["duplicate"])
    assert feedback.write_back_status == WriteBackStatus.FAILED
    assert "GitHub answered 502" in feedback.write_back_detail
    assert len(_writes(github)) == 1  # a comment might have been posted: never sent twice


def test_nothing_is_written_twice(github, issue, suggestions, accept, maintainer):
    _rules(issue)
    feedback = accept(suggestions["label"])
    again = feedback_write_back(feedback_id=feedback.pk)
    assert again.write_back_status == WriteBackStatus.WRITTEN
    # A change of mind and back keeps the one feedback row, already written back.
    suggestion_decide(suggestion=suggestions["label"], decision="rejected", user=maintainer)
    accept(suggestions["label"])
    assert len(_writes(github)) == 1
    assert SuggestionFeedback.objects.count() == 1


def test_a_rejected_suggestion_is_never_written(github, issue, suggestions, maintainer):
    _rules(issue)
    feedback = suggestion_decide(
        suggestion=suggestions["label"], decision="rejected", user=maintainer
    )
    feedback_write_back(feedback_id=feedback.pk)
    feedback.refresh_from_db()
    assert feedback.write_back_status == WriteBackStatus.NONE and github.hits == []


@pytest.mark.django_db(transaction=True)
def test_accepting_on_the_page_writes_back(github, issue, suggestions, client, maintainer):
    """Real commits: the write-back task runs (eagerly) as the decision commits, so the page's
    answer already shows the outcome."""
    _rules(issue)
    client.force_login(maintainer)
    response = client.post(
        f"/triage/suggestions/{suggestions['label'].pk}/decide/",
        {"decision": "accepted"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert "Written to GitHub" in response.json()["html"]
    assert [(w.path, w.body) for w in _writes(github)] == [(LABELS_PATH, {"labels": ["bug"]})]
