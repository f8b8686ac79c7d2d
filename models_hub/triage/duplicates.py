"""Duplicate candidates: the open and recently closed issues most similar to an issue.

Reads stored embeddings only (no model needed): the issue must have been embedded by the
embeddings worker first. Each candidate carries its cosine similarity, the evidence a
maintainer sees beside the suggestion.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from community.models import Issue, IssueState
from models_hub.embeddings.config import embedding_model_id
from models_hub.embeddings.search import embeddings_nearest
from models_hub.models import Embedding

# Issues closed longer ago than this are rarely what a reporter duplicates (and were often
# fixed since); they stay out of the candidates.
RECENTLY_CLOSED = dt.timedelta(days=90)
# Below this cosine similarity (all-MiniLM-L6-v2) two issues are seldom about the same problem.
MIN_SCORE = 0.6


@dataclass(frozen=True)
class DuplicateCandidate:
    issue: Issue
    score: float

    @property
    def is_open(self) -> bool:
        return self.issue.state == IssueState.OPEN


def issue_duplicate_candidates(
    *,
    issue: Issue,
    limit: int = 5,
    min_score: float = MIN_SCORE,
    closed_within: dt.timedelta = RECENTLY_CLOSED,
    model_id: str | None = None,
) -> list[DuplicateCandidate]:
    """The issue's most similar open or recently closed issues in its repository, best first."""
    model_id = model_id or embedding_model_id()
    own = Embedding.objects.filter(issue=issue, model_id=model_id).first()
    if own is None:
        return []
    recent = timezone.now() - closed_within
    candidates = (
        Embedding.objects.filter(repository_id=issue.repository_id, issue__isnull=False)
        .exclude(issue_id=issue.pk)
        .filter(issue__deleted_at__isnull=True)
        .filter(Q(issue__state=IssueState.OPEN) | Q(issue__closed_at__gte=recent))
    )
    found = embeddings_nearest(
        vector=own.as_array(), candidates=candidates, model_id=model_id, limit=limit
    )
    found = [n for n in found if n.score >= min_score]
    issues = Issue.objects.select_related("repository").in_bulk([n.object_id for n in found])
    return [DuplicateCandidate(issue=issues[n.object_id], score=n.score) for n in found]
