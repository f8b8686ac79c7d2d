"""Which triage results maintainers still have to look at, and an issue's triage history.

Everything starts from the community's visibility rules, so a private repository's issues never
reach someone who may not see them, even if a page forgets to check.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from community.models import Issue, IssueState, Label, Repository
from community.selectors.visibility import issues_visible_to, repositories_visible_to
from models_hub.models import (
    CHAMPION,
    ModelAlias,
    ModelKind,
    SuggestionKind,
    TriageResult,
    TriageSuggestion,
)

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


def classifier_labels(*, repository: str = "") -> dict[int, set[str]]:
    """The labels each repository's champion label classifier knows, by repository id.

    Read from the registry row (the version's `metadata["labels"]`, or the labels it was trained
    on), never by loading the classifier: the web process does not load models. `repository`
    ("owner/name") keeps only that repository's.
    """
    champions = ModelAlias.objects.filter(
        name=CHAMPION, model__kind=ModelKind.LABEL_CLASSIFIER, model__repository__isnull=False
    )
    if repository:
        champions = champions.filter(model__repository__full_name=repository)
    known: dict[int, set[str]] = {}
    rows = champions.values_list(
        "model__repository_id", "version__metadata", "version__training_label_counts"
    )
    for repository_id, metadata, trained_on in rows:
        labels = (metadata or {}).get("labels") or list(trained_on or {})
        known[repository_id] = {str(label) for label in labels}
    return known


def _labelled_by_a_maintainer(known: dict[int, set[str]]) -> Exists | None:
    """True for a result whose issue carries a label its repository's classifier knows."""
    matches = [
        Q(repository_id=repository_id, name__in=sorted(labels))
        for repository_id, labels in known.items()
        if labels
    ]
    if not matches:
        return None
    carried = Issue.labels.through.objects.filter(
        issue_id=OuterRef("issue_id"), label__in=Label.objects.filter(Q(*matches, _connector=Q.OR))
    )
    return Exists(carried)


def triage_queue(*, user, filters: QueueFilters | None = None) -> QuerySet[TriageResult]:
    """The issues that still need a maintainer's triage, newest first: one current result per
    issue, for open issues the user may see, that are

    - not marked triaged: the current result has no `reviewed_at`. A review outlives a retrain
      or a re-triage of the same text, because the triage service carries `reviewed_at` over to
      the new result when the text hash is unchanged; an edited text (new hash) or a reopened
      issue (its reviewed result is retired first) starts unreviewed and comes back;
    - not labelled by a maintainer yet: the issue carries none of the labels its repository's
      champion label classifier knows (a "bug 91%" card on an issue already labelled `bug`, or
      `docs`, is triage already done). Labels outside the classifier's family ("good first
      issue") do not count. A repository without a classifier has no family: nothing is left out.
    """
    filters = filters or QueueFilters()
    results = TriageResult.objects.filter(
        is_current=True,
        reviewed_at__isnull=True,
        issue__in=issues_visible_to(user=user).filter(state=IssueState.OPEN),
    )
    if filters.repository:
        results = results.filter(repository__full_name=filters.repository)
    labelled = _labelled_by_a_maintainer(classifier_labels(repository=filters.repository))
    if labelled is not None:
        results = results.exclude(labelled)
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
