"""Maintainers' decisions on suggestions: one row per suggestion, changes of mind, outdated
results refused, issues marked triaged, write-back queued only for accepted suggestions."""

from __future__ import annotations

import pytest

from models_hub.models import SuggestionFeedback, WriteBackStatus
from models_hub.triage.feedback import (
    OutdatedTriageResult,
    result_mark_reviewed,
    suggestion_decide,
)
from tests.factories import TriageResultFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(django_user_model):
    return django_user_model.objects.create_user("other", is_staff=True)


def test_accepting_records_the_decision_with_the_suggestion_copied(queue_scenario, maintainer):
    feedback = suggestion_decide(
        suggestion=queue_scenario.label, decision="accepted", user=maintainer
    )
    stored = SuggestionFeedback.objects.get()
    assert stored.pk == feedback.pk and stored.suggestion_id == queue_scenario.label.pk
    assert (stored.issue_id, stored.kind, stored.value) == (queue_scenario.crash.id, "label", "bug")
    assert stored.decision == "accepted" and stored.decided_by == maintainer
    assert stored.decided_at is not None


def test_rejecting_records_a_rejection(queue_scenario, maintainer):
    suggestion_decide(suggestion=queue_scenario.duplicate, decision="rejected", user=maintainer)
    stored = SuggestionFeedback.objects.get()
    assert (stored.kind, stored.value, stored.decision) == ("duplicate", "#1", "rejected")
    assert stored.write_back_status == WriteBackStatus.NONE and stored.write_back_detail == ""


def test_a_change_of_mind_updates_the_one_row(queue_scenario, maintainer, other):
    first = suggestion_decide(suggestion=queue_scenario.label, decision="accepted", user=maintainer)
    second = suggestion_decide(suggestion=queue_scenario.label, decision="rejected", user=other)
    assert SuggestionFeedback.objects.count() == 1
    stored = SuggestionFeedback.objects.get()
    assert stored.pk == first.pk == second.pk
    assert (stored.decision, stored.decided_by) == ("rejected", other)
    assert stored.decided_at >= first.decided_at


def test_deciding_the_same_twice_changes_nothing(queue_scenario, maintainer, other):
    first = suggestion_decide(suggestion=queue_scenario.label, decision="rejected", user=maintainer)
    again = suggestion_decide(suggestion=queue_scenario.label, decision="rejected", user=other)
    assert SuggestionFeedback.objects.count() == 1
    assert (again.decided_by, again.decided_at) == (maintainer, first.decided_at)


def test_a_suggestion_of_a_replaced_result_is_refused(queue_scenario, maintainer):
    old = queue_scenario.replaced_result.suggestions.create(kind="label", value="docs", score=0.6)
    with pytest.raises(OutdatedTriageResult, match="triaged again"):
        suggestion_decide(suggestion=old, decision="accepted", user=maintainer)
    assert not SuggestionFeedback.objects.exists()


def test_a_result_replaced_after_the_page_was_shown_is_refused(queue_scenario, maintainer):
    label = queue_scenario.label  # loaded while its result was current
    queue_scenario.crash_result.is_current = False
    queue_scenario.crash_result.save()
    TriageResultFactory(issue=queue_scenario.crash)
    with pytest.raises(OutdatedTriageResult):
        suggestion_decide(suggestion=label, decision="rejected", user=maintainer)


def test_an_unknown_decision_is_an_error(queue_scenario, maintainer):
    with pytest.raises(ValueError, match="maybe"):
        suggestion_decide(suggestion=queue_scenario.label, decision="maybe", user=maintainer)
    assert not SuggestionFeedback.objects.exists()


def test_only_accepted_suggestions_queue_a_write_back(
    queue_scenario, maintainer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        suggestion_decide(suggestion=queue_scenario.duplicate, decision="rejected", user=maintainer)
    assert queued == []
    with django_capture_on_commit_callbacks(execute=True) as queued:
        suggestion_decide(suggestion=queue_scenario.label, decision="accepted", user=maintainer)
    assert len(queued) == 1
    # The task ran (Celery is eager in tests): write-back is off by default, and says so.
    stored = SuggestionFeedback.objects.get(suggestion=queue_scenario.label)
    assert stored.write_back_status == WriteBackStatus.NONE
    assert stored.write_back_detail == "Write-back is off for this repository."


def test_mark_triaged_records_who_and_when_once(queue_scenario, maintainer, other):
    reviewed = result_mark_reviewed(result=queue_scenario.crash_result, user=maintainer)
    assert reviewed.reviewed_by == maintainer and reviewed.reviewed_at is not None
    again = result_mark_reviewed(result=queue_scenario.crash_result, user=other)
    assert (again.reviewed_by, again.reviewed_at) == (maintainer, reviewed.reviewed_at)
    queue_scenario.crash_result.refresh_from_db()
    assert queue_scenario.crash_result.reviewed_by == maintainer


def test_a_replaced_result_cannot_be_marked_triaged(queue_scenario, maintainer):
    with pytest.raises(OutdatedTriageResult):
        result_mark_reviewed(result=queue_scenario.replaced_result, user=maintainer)
    queue_scenario.replaced_result.refresh_from_db()
    assert queue_scenario.replaced_result.reviewed_at is None


def test_decisions_on_a_triaged_issue_are_still_recorded(queue_scenario, maintainer):
    result_mark_reviewed(result=queue_scenario.crash_result, user=maintainer)
    suggestion_decide(suggestion=queue_scenario.assignee, decision="accepted", user=maintainer)
    assert SuggestionFeedback.objects.get().kind == "assignee"
