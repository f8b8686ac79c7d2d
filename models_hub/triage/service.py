"""Triage of one issue: labels, duplicates, assignees and priority, stored as one result.

`issue_triage` reads the issue's stored embedding (encoding it first when it is missing or
stale), asks each part for its suggestions, and writes a `TriageResult` with its
`TriageSuggestion` rows in one transaction that also retires the previous current result.

A result is tied to what produced it: the prepared text's hash, the embedding model and the
label classifier version. Triage again with the same three is a no-op that returns the current
result (`force=True` recomputes anyway, e.g. for a reopened issue whose neighbours changed).

Triaged stays triaged: when a maintainer has marked the current result reviewed, a new result
of the same text (a retrained classifier, a forced re-triage) inherits `reviewed_at` and
`reviewed_by`, so it stays out of the queue (models_hub.selectors.queue.triage_queue). A new text
(new hash) starts unreviewed. A reopened issue starts unreviewed too: `issue_triage_reopened`
retires its current result, so the next run has nothing to inherit from.

Labels: the active classifier's probabilities for every label go to `label_scores`; the best
label is suggested when its probability reaches the threshold (the classifier's calibrated one,
or the repository's `TriageSettings.label_threshold` when that is higher); otherwise the result
abstains (`labels_abstained`) and has no label row. Evidence: the nearest issues carrying that
label.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from django.db import transaction
from django.utils import timezone

from community.models import Actor, Issue, IssueState, Label
from models_hub.embeddings.config import embedding_model_id
from models_hub.embeddings.search import embeddings_nearest
from models_hub.embeddings.store import issues_embed
from models_hub.embeddings.text import issue_text, text_hash
from models_hub.models import (
    Embedding,
    SuggestionKind,
    TriageResult,
    TriageSuggestion,
)
from models_hub.training.retrain import label_threshold_floor
from models_hub.training.serving import ActiveLabelClassifier, label_classifier_for
from models_hub.triage.assignees import AssigneeCandidate, issue_assignee_candidates
from models_hub.triage.duplicates import DuplicateCandidate, issue_duplicate_candidates
from models_hub.triage.priority import (
    NEAR_DUPLICATE,
    PriorityAssessment,
    PriorityFacts,
    priority_assess,
)

if TYPE_CHECKING:
    from models_hub.embeddings.encoder import Encoder

logger = logging.getLogger(__name__)

LABEL_EVIDENCE = 3


@dataclass
class Suggestion:
    kind: SuggestionKind
    value: str
    score: float
    evidence: list[dict] = field(default_factory=list)
    label: Label | None = None
    duplicate_of: Issue | None = None
    assignee: Actor | None = None


@dataclass
class LabelOutcome:
    scores: dict[str, float] = field(default_factory=dict)
    abstained: bool = False
    suggestion: Suggestion | None = None


def issue_triage(
    *, issue: Issue, force: bool = False, encoder: Encoder | None = None
) -> TriageResult:
    """Triage `issue` and store the result (see the module docstring)."""
    text = issue_text(title=issue.title, body=issue.body)
    digest, model_id = text_hash(text), embedding_model_id()
    active = label_classifier_for(issue.repository)
    key = {
        "text_hash": digest,
        "embedding_model_id": model_id,
        "label_model_id": active.version.pk if active else None,
    }
    current = TriageResult.objects.filter(issue=issue, is_current=True).first()
    if current is not None and not force and _same(current, key):
        return current
    vector = _issue_vector(issue, model_id, digest, encoder)
    labels = _labels(issue, text, vector, model_id, active)
    duplicates = issue_duplicate_candidates(issue=issue, model_id=model_id)
    assignees = issue_assignee_candidates(issue=issue, vector=vector, model_id=model_id)
    assessment = _priority(issue, labels, duplicates)
    result = TriageResult(
        repository_id=issue.repository_id,
        issue=issue,
        text_hash=digest,
        embedding_model_id=model_id,
        label_model=active.version if active else None,
        labels_abstained=labels.abstained,
        label_scores=labels.scores,
        priority=assessment.level,
        priority_score=assessment.score,
        priority_signals=assessment.signals,
    )
    suggestions = _suggestions(labels, duplicates, assignees, assessment)
    return _store(result, suggestions, key, force)


def _suggestions(
    labels: LabelOutcome,
    duplicates: list[DuplicateCandidate],
    assignees: list[AssigneeCandidate],
    assessment: PriorityAssessment,
) -> list[Suggestion]:
    return [
        *([labels.suggestion] if labels.suggestion else []),
        *(
            Suggestion(
                SuggestionKind.DUPLICATE,
                f"#{c.issue.number}",
                c.score,
                [_issue_evidence(c.issue, c.score)],
                duplicate_of=c.issue,
            )
            for c in duplicates
        ),
        *(
            Suggestion(
                SuggestionKind.ASSIGNEE, c.actor.login, c.score, c.evidence, assignee=c.actor
            )
            for c in assignees
        ),
        Suggestion(
            SuggestionKind.PRIORITY, assessment.level, assessment.confidence, assessment.signals
        ),
    ]


def _priority(
    issue: Issue, labels: LabelOutcome, duplicates: list[DuplicateCandidate]
) -> PriorityAssessment:
    return priority_assess(
        PriorityFacts(
            title=issue.title,
            body=issue.body,
            labels=list(issue.labels.values_list("name", flat=True)),
            suggested_label=labels.suggestion.value if labels.suggestion else None,
            reactions=issue.reactions_total,
            comments=issue.comments_count,
            similar_open=sum(1 for c in duplicates if c.is_open and c.score >= NEAR_DUPLICATE),
            author_association=issue.author_association,
            age_days=(timezone.now() - issue.created_at).total_seconds() / 86400,
        )
    )


def _same(result: TriageResult, key: dict) -> bool:
    return (
        result.text_hash == key["text_hash"]
        and result.embedding_model_id == key["embedding_model_id"]
        and result.label_model_id == key["label_model_id"]
    )


def _store(
    result: TriageResult, suggestions: list[Suggestion], key: dict, force: bool
) -> TriageResult:
    with transaction.atomic():
        # Two triage runs of one issue (a redelivered webhook) queue up here, not on the
        # one-current-result constraint; the second finds the first's result.
        Issue.objects.select_for_update().filter(pk=result.issue_id).first()
        current = TriageResult.objects.filter(issue_id=result.issue_id, is_current=True)
        existing = current.first()
        if existing is not None and not force and _same(existing, key):
            return existing
        if existing is not None and existing.reviewed_at and existing.text_hash == result.text_hash:
            # Triaged stays triaged through a retrain or a re-triage of the same text.
            result.reviewed_at = existing.reviewed_at
            result.reviewed_by_id = existing.reviewed_by_id
        current.update(is_current=False)
        result.save()
        rank: dict[str, int] = {}
        rows = []
        for suggestion in suggestions:
            rank[suggestion.kind] = rank.get(suggestion.kind, -1) + 1
            rows.append(
                TriageSuggestion(
                    result=result,
                    kind=suggestion.kind,
                    value=str(suggestion.value)[:200],
                    score=round(float(suggestion.score), 4),
                    rank=rank[suggestion.kind],
                    label=suggestion.label,
                    duplicate_of=suggestion.duplicate_of,
                    assignee=suggestion.assignee,
                    evidence=suggestion.evidence,
                )
            )
        TriageSuggestion.objects.bulk_create(rows)
    return result


def issue_triage_reopened(*, issue_ids: list[int]) -> int:
    """A reopened issue needs a fresh look: its current result stops being current, so the next
    triage run starts unreviewed instead of inheriting the review of the closed issue. Earlier
    results, their review and decisions stay in the issue's history. Returns how many retired."""
    with transaction.atomic():
        # The same lock as `_store`: a triage run storing a result right now finishes first.
        list(Issue.objects.select_for_update().filter(pk__in=issue_ids).order_by("pk").values("pk"))
        current = TriageResult.objects.filter(issue_id__in=issue_ids, is_current=True)
        return current.update(is_current=False)


def _issue_vector(issue: Issue, model_id: str, digest: str, encoder: Encoder | None) -> np.ndarray:
    stored = Embedding.objects.filter(issue=issue, model_id=model_id).first()
    if stored is None or stored.text_hash != digest:
        issues_embed(issue_ids=[issue.pk], encoder=encoder)
        stored = Embedding.objects.get(issue=issue, model_id=model_id)
    return stored.as_array()


def _labels(
    issue: Issue,
    text: str,
    vector: np.ndarray,
    model_id: str,
    active: ActiveLabelClassifier | None,
) -> LabelOutcome:
    if active is None:
        return LabelOutcome()
    classifier = active.classifier
    if classifier.embedding_model_id != model_id:
        logger.warning(
            "%s was trained on %s embeddings, not %s: no label suggestions until it is retrained",
            active.version,
            classifier.embedding_model_id,
            model_id,
        )
        return LabelOutcome()
    row = classifier.probabilities(vectors=vector[np.newaxis, :], texts=[text])[0]
    scores = {label: round(float(p), 4) for label, p in zip(classifier.labels, row, strict=True)}
    best = int(np.argmax(row))
    threshold = max(classifier.threshold, label_threshold_floor(issue.repository))
    if float(row[best]) < threshold:
        return LabelOutcome(scores=scores, abstained=True)
    name = classifier.labels[best]
    suggestion = Suggestion(
        SuggestionKind.LABEL,
        name,
        float(row[best]),
        _label_evidence(issue, vector, model_id, name),
        label=Label.objects.filter(repository_id=issue.repository_id, name=name).first(),
    )
    return LabelOutcome(scores=scores, suggestion=suggestion)


def _label_evidence(issue: Issue, vector: np.ndarray, model_id: str, label: str) -> list[dict]:
    """The issues nearest to this one that carry the suggested label."""
    carrying = Embedding.objects.filter(
        repository_id=issue.repository_id,
        issue__labels__name=label,
        issue__deleted_at__isnull=True,
    ).exclude(issue_id=issue.pk)
    found = embeddings_nearest(
        vector=vector, candidates=carrying, model_id=model_id, limit=LABEL_EVIDENCE
    )
    issues = Issue.objects.prefetch_related("labels").in_bulk([n.object_id for n in found])
    return [_issue_evidence(issues[n.object_id], n.score) for n in found]


def _issue_evidence(other: Issue, score: float) -> dict:
    return {
        "issue_id": other.pk,
        "number": other.number,
        "title": other.title,
        "score": round(score, 4),
        "state": other.state,
        "labels": sorted(label.name for label in other.labels.all()),
    }


def issue_is_triageable(issue: Issue, *, open_only: bool = True) -> bool:
    """Issues not deleted on GitHub; by default only open ones (closed ones need no triage,
    but a backfill may triage them to compare the suggestions with what maintainers did)."""
    return issue.deleted_at is None and (issue.state == IssueState.OPEN or not open_only)
