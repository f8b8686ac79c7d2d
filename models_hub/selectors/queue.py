"""Which triage results maintainers still have to look at, and an issue's triage history.

Everything starts from the community's visibility rules, so a private repository's issues never
reach someone who may not see them, even if a page forgets to check.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from community.models import Issue, IssueState, Repository
from community.selectors.visibility import issues_visible_to, repositories_visible_to
from models_hub.models import SuggestionKind, TriageResult, TriageSuggestion

# The kinds a maintainer can filter the queue by ("has a label suggestion", …). Every current
# result carries a priority suggestion, so filtering by it would select everything.
QUEUE_KINDS = (SuggestionKind.LABEL, SuggestionKind.DUPLICATE, SuggestionKind.ASSIGNEE)


@dataclass(frozen=True)
class QueueFilters:
    repository: str = ""  # full name, "owner/name"
    kind: str = ""
    priority: str = ""


# What a suggestion shows: its decision, and the label, issue or person it points at.
SUGGESTION_RELATIONS = (
    "feedback",
    "feedback__decided_by",
    "label",
    "duplicate_of",
    "duplicate_of__repository",
    "assignee",
)


def _suggestions_with_feedback() -> Prefetch:
    suggestions = TriageSuggestion.objects.select_related(*SUGGESTION_RELATIONS).order_by(
        "kind", "rank", "-score", "pk"
    )
    return Prefetch("suggestions", queryset=suggestions)


def _with_card_relations(results: QuerySet[TriageResult]) -> QuerySet[TriageResult]:
    """Everything a triage card shows, in a fixed number of queries whatever the page size."""
    return results.select_related(
        "repository", "issue", "issue__author", "issue__repository", "label_model", "reviewed_by"
    ).prefetch_related("issue__labels", _suggestions_with_feedback())


def triage_queue(*, user, filters: QueueFilters | None = None) -> QuerySet[TriageResult]:
    """Untriaged issues, newest first: open issues whose current result nobody reviewed yet."""
    filters = filters or QueueFilters()
    results = TriageResult.objects.filter(
        is_current=True,
        reviewed_at__isnull=True,
        issue__in=issues_visible_to(user=user).filter(state=IssueState.OPEN),
    )
    if filters.repository:
        results = results.filter(repository__full_name=filters.repository)
    if filters.kind:
        of_kind = TriageSuggestion.objects.filter(result=OuterRef("pk"), kind=filters.kind)
        results = results.filter(Exists(of_kind))
    if filters.priority:
        results = results.filter(priority=filters.priority)
    return _with_card_relations(results).order_by("-issue__created_at", "-pk")


def triage_queue_repositories(*, user) -> QuerySet[Repository]:
    """Repositories the user may see that have triage results, for the queue's filter."""
    triaged = TriageResult.objects.filter(repository=OuterRef("pk"), is_current=True)
    return repositories_visible_to(user=user).filter(Exists(triaged)).order_by("full_name")


def triage_issue_get(*, user, owner: str, name: str, number: int) -> Issue | None:
    return (
        issues_visible_to(user=user)
        .filter(repository__full_name__iexact=f"{owner}/{name}", number=number)
        .select_related("repository", "author")
        .prefetch_related("labels")
        .first()
    )


def triage_results_of_issue(*, issue: Issue) -> list[TriageResult]:
    """Every triage run over the issue, the current one first, then older ones newest first."""
    results = TriageResult.objects.filter(issue=issue).order_by("-is_current", "-created_at", "-pk")
    return list(_with_card_relations(results))


def triage_suggestion_get(*, user, pk: int) -> TriageSuggestion | None:
    """A suggestion on an issue the user may see, with what deciding and showing it needs."""
    return (
        TriageSuggestion.objects.filter(pk=pk, result__issue__in=issues_visible_to(user=user))
        .select_related("result", "result__repository", *SUGGESTION_RELATIONS)
        .first()
    )


def triage_result_get(*, user, pk: int) -> TriageResult | None:
    """A triage result of an issue the user may see."""
    return (
        TriageResult.objects.filter(pk=pk, issue__in=issues_visible_to(user=user))
        .select_related("issue", "repository")
        .first()
    )
