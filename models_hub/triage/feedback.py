"""Maintainers' decisions on triage suggestions. Each decision is training data (the label
classifier learns from accepted and rejected labels), and an accepted one may be written back
to GitHub (models_hub.triage.writeback) after the decision is committed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from models_hub.models import (
    FeedbackDecision,
    SuggestionFeedback,
    TriageResult,
    TriageSuggestion,
    WriteBackStatus,
)
from models_hub.triage.tasks import write_back_queue


class OutdatedTriageResult(Exception):
    """The suggestion belongs to a triage result that a newer run of the issue replaced."""


def _locked_current_result(result_id: int) -> TriageResult:
    # The lock serialises a decision with a re-triage that flips `is_current` (PostgreSQL).
    result = TriageResult.objects.select_for_update().get(pk=result_id)
    if not result.is_current:
        raise OutdatedTriageResult(
            "This issue was triaged again since this suggestion was made;"
            " decide on the current suggestions instead."
        )
    return result


def suggestion_decide(*, suggestion: TriageSuggestion, decision: str, user) -> SuggestionFeedback:
    """Record (or change) the one decision on a suggestion; deciding the same twice changes
    nothing. An accepted suggestion not yet written back is queued for write-back."""
    if decision not in FeedbackDecision.values:
        raise ValueError(
            f"Unknown decision {decision!r}; expected one of {FeedbackDecision.values}"
        )
    with transaction.atomic():
        result = _locked_current_result(suggestion.result_id)
        feedback = SuggestionFeedback.objects.select_for_update().filter(suggestion=suggestion)
        feedback = feedback.first()
        if feedback is None:
            feedback = SuggestionFeedback.objects.create(
                suggestion=suggestion,
                issue_id=result.issue_id,
                kind=suggestion.kind,
                value=suggestion.value,
                decision=decision,
                decided_by=user,
                decided_at=timezone.now(),
            )
        elif feedback.decision != decision:
            feedback.decision, feedback.decided_by = decision, user
            feedback.decided_at = timezone.now()
            feedback.save(update_fields=["decision", "decided_by", "decided_at"])
        if (
            feedback.decision == FeedbackDecision.ACCEPTED
            and feedback.write_back_status == WriteBackStatus.NONE
        ):
            transaction.on_commit(lambda: write_back_queue(feedback_id=feedback.pk))
    return feedback


def result_mark_reviewed(*, result: TriageResult, user) -> TriageResult:
    """Mark the issue triaged: its current result leaves the queue. Marking twice keeps who
    reviewed it first and when."""
    with transaction.atomic():
        locked = _locked_current_result(result.pk)
        if locked.reviewed_at is None:
            locked.reviewed_at, locked.reviewed_by = timezone.now(), user
            locked.save(update_fields=["reviewed_at", "reviewed_by"])
    return locked
