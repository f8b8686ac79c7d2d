"""Write accepted triage suggestions back to GitHub: a label added to the issue, or a comment
naming the duplicate. Off by default per repository (TriageSettings); when on, dry-run by
default, which records the exact request on the feedback row instead of sending it.

A feedback row is written back at most once: only a row whose status is still NONE is
considered, under a row lock, and the outcome (DRY_RUN, WRITTEN, SKIPPED, FAILED) is stored in
the same transaction. Assignee and priority suggestions are never written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from community.github.client import GitHubClient
from community.github.errors import GitHubError
from community.models import Repository
from models_hub.models import (
    FeedbackDecision,
    SuggestionFeedback,
    SuggestionKind,
    TriageSettings,
    WriteBackStatus,
)


@dataclass(frozen=True)
class GitHubWrite:
    """The request write-back sends (or, in dry-run, would send)."""

    method: str
    path: str
    body: dict[str, Any]

    def describe(self) -> str:
        return f"{self.method} {self.path}\n{json.dumps(self.body, ensure_ascii=False)}"


@dataclass(frozen=True)
class NotWritten:
    status: str  # WriteBackStatus
    detail: str


def triage_settings_for(*, repository: Repository) -> TriageSettings:
    """The repository's triage settings, or unsaved defaults (write-back off) if none exist."""
    found = TriageSettings.objects.filter(repository=repository).first()
    return found or TriageSettings(repository=repository)


def triage_settings_get_or_create(*, repository: Repository) -> TriageSettings:
    rules, _ = TriageSettings.objects.get_or_create(repository=repository)
    return rules


def _duplicate_reference(feedback: SuggestionFeedback) -> str | None:
    """`#12`, or `owner/name#12` when the duplicate lives in another repository."""
    duplicate = feedback.suggestion.duplicate_of
    if duplicate is not None:
        if duplicate.repository_id != feedback.issue.repository_id:
            return f"{duplicate.repository.full_name}#{duplicate.number}"
        return f"#{duplicate.number}"
    number = feedback.value.strip().lstrip("#")
    return f"#{number}" if number.isdigit() else None


def duplicate_comment(*, feedback: SuggestionFeedback, reference: str) -> str:
    # A Steward username need not be a GitHub login: no "@", which could mention a stranger.
    confirmed_by = (
        f"{feedback.decided_by.get_username()} on Steward"
        if feedback.decided_by
        else "a maintainer"
    )
    return (
        f"Possible duplicate of {reference} (similarity {feedback.suggestion.score:.2f})"
        f" — suggested by Steward triage, confirmed by {confirmed_by}"
    )


def _kind_rule(feedback: SuggestionFeedback, rules: TriageSettings) -> NotWritten | None:
    if feedback.kind not in (SuggestionKind.LABEL, SuggestionKind.DUPLICATE):
        return NotWritten(
            WriteBackStatus.SKIPPED, f"{feedback.kind.capitalize()} suggestions are never written."
        )
    if feedback.kind == SuggestionKind.LABEL and not rules.write_back_labels:
        return NotWritten(WriteBackStatus.SKIPPED, "Labels are not written back (settings).")
    if feedback.kind == SuggestionKind.DUPLICATE and not rules.write_back_duplicate_comment:
        return NotWritten(
            WriteBackStatus.SKIPPED, "Duplicate comments are not written back (settings)."
        )
    return None


def write_back_plan(
    *, feedback: SuggestionFeedback, rules: TriageSettings
) -> GitHubWrite | NotWritten:
    """What write-back does for an accepted suggestion under the repository's rules."""
    if not rules.write_back_enabled:
        return NotWritten(WriteBackStatus.NONE, "Write-back is off for this repository.")
    refused = _kind_rule(feedback, rules)
    if refused is not None:
        return refused
    author = feedback.issue.author
    if author is not None and author.login.lower() in rules.excluded_logins:
        return NotWritten(
            WriteBackStatus.SKIPPED, f"The issue's author @{author.login} is excluded."
        )
    score, minimum = feedback.suggestion.score, rules.write_back_min_score
    if score < minimum:
        return NotWritten(
            WriteBackStatus.SKIPPED, f"Score {score:.2f} is below the threshold {minimum:.2f}."
        )
    issue_path = f"/repos/{feedback.issue.repository.full_name}/issues/{feedback.issue.number}"
    if feedback.kind == SuggestionKind.LABEL:
        label = feedback.suggestion.label
        return GitHubWrite(
            "POST", f"{issue_path}/labels", {"labels": [label.name if label else feedback.value]}
        )
    reference = _duplicate_reference(feedback)
    if reference is None:
        return NotWritten(WriteBackStatus.SKIPPED, "The duplicate's issue number is unknown.")
    body = duplicate_comment(feedback=feedback, reference=reference)
    return GitHubWrite("POST", f"{issue_path}/comments", {"body": body})


def _send(write: GitHubWrite, client: GitHubClient | None) -> NotWritten:
    try:
        response = (client or GitHubClient()).post(write.path, body=write.body)
    except (GitHubError, ImproperlyConfigured) as error:
        return NotWritten(WriteBackStatus.FAILED, f"{write.describe()}\nFailed: {error}")
    detail = f"{write.describe()}\nGitHub answered {response.status}."
    if isinstance(response.data, dict) and response.data.get("html_url"):
        detail += f" {response.data['html_url']}"
    return NotWritten(WriteBackStatus.WRITTEN, detail)


def feedback_write_back(
    *, feedback_id: int, client: GitHubClient | None = None
) -> SuggestionFeedback | None:
    """Write one accepted suggestion back (or record why not). Safe to run twice."""
    with transaction.atomic():
        feedback = (
            SuggestionFeedback.objects.select_for_update(of=("self",))
            .select_related(
                "suggestion__label",
                "suggestion__duplicate_of__repository",
                "issue__repository",
                "issue__author",
                "decided_by",
            )
            .filter(pk=feedback_id)
            .first()
        )
        if (
            feedback is None
            or feedback.decision != FeedbackDecision.ACCEPTED
            or feedback.write_back_status != WriteBackStatus.NONE
        ):
            return feedback
        rules = triage_settings_for(repository=feedback.issue.repository)
        plan = write_back_plan(feedback=feedback, rules=rules)
        if isinstance(plan, NotWritten):
            outcome = plan
        elif rules.write_back_dry_run:
            outcome = NotWritten(WriteBackStatus.DRY_RUN, f"Dry run, not sent:\n{plan.describe()}")
        else:
            outcome = _send(plan, client)
        feedback.write_back_status, feedback.write_back_detail = outcome.status, outcome.detail
        feedback.save(update_fields=["write_back_status", "write_back_detail"])
    return feedback
