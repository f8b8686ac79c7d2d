"""Suggested assignees: the people who resolved issues like this one, recently, and are around.

For the `SIMILAR_CLOSED` closed issues nearest to the issue (same repository, closed in the last
`RESOLVED_WITHIN`, not closed as "not planned", cosine at least `MIN_SIMILARITY`), the resolvers
of each are: the people assigned to it, the authors of merged pull requests that close it
("Fixes #12" in the PR's title or body), and whoever closed it unless that was its own reporter.
Each similar issue gives each of its resolvers `similarity * recency`, recency halving every
`HALF_LIFE` since it was closed. A person's score is their share of the weight of all the
similar issues, so 1.0 means "resolved every similar issue".

Bots, the issue's own author, and people with no activity (issues, pull requests, comments,
reviews, closes, merges) anywhere in Steward in the last `ACTIVE_WITHIN` are never suggested.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q
from django.utils import timezone

from community.models import Actor, Comment, Issue, IssueState, PullRequest, Review
from models_hub.embeddings.search import embeddings_nearest
from models_hub.models import Embedding

SIMILAR_CLOSED = 20
MIN_SIMILARITY = 0.5
RESOLVED_WITHIN = dt.timedelta(days=365)
HALF_LIFE = dt.timedelta(days=90)
ACTIVE_WITHIN = dt.timedelta(days=60)
LIMIT = 3
# GitHub's closing keywords: https://docs.github.com/issues/tracking-your-work-with-issues/linking-a-pull-request-to-an-issue
CLOSING_REFERENCE = re.compile(
    r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+#(\d+)\b", re.IGNORECASE
)


@dataclass
class AssigneeCandidate:
    actor: Actor
    score: float = 0.0  # share of the similar issues' weight, 0 to 1
    weight: float = 0.0  # sum of similarity * recency
    evidence: list[dict] = field(default_factory=list)


def issue_assignee_candidates(
    *,
    issue: Issue,
    vector: np.ndarray,
    model_id: str,
    now: dt.datetime | None = None,
    limit: int = LIMIT,
) -> list[AssigneeCandidate]:
    """The best `limit` resolvers of issues similar to `issue`, best first."""
    now = now or timezone.now()
    closed = (
        Embedding.objects.filter(
            repository_id=issue.repository_id,
            issue__state=IssueState.CLOSED,
            issue__closed_at__gte=now - RESOLVED_WITHIN,
            issue__deleted_at__isnull=True,
        )
        .exclude(issue_id=issue.pk)
        .exclude(issue__state_reason="not_planned")
    )
    found = embeddings_nearest(
        vector=vector, candidates=closed, model_id=model_id, limit=SIMILAR_CLOSED
    )
    found = [n for n in found if n.score >= MIN_SIMILARITY]
    similar = (
        Issue.objects.select_related("closed_by")
        .prefetch_related("assignees")
        .in_bulk([n.object_id for n in found])
    )
    fixers = fixing_pull_requests(repository_id=issue.repository_id, issues=similar.values())
    candidates: dict[int, AssigneeCandidate] = {}
    total = 0.0
    for neighbour in found:
        resolved = similar[neighbour.object_id]
        weight = neighbour.score * 0.5 ** ((now - resolved.closed_at) / HALF_LIFE)
        total += weight
        for actor, roles in _resolvers(resolved, fixers.get(resolved.pk, [])).items():
            candidate = candidates.setdefault(actor.pk, AssigneeCandidate(actor=actor))
            candidate.weight += weight
            candidate.evidence.append(_evidence(resolved, neighbour.score, roles))
    eligible = {
        pk: c for pk, c in candidates.items() if not c.actor.is_bot and pk != issue.author_id
    }
    active = actors_active_since(actor_ids=eligible, since=now - ACTIVE_WITHIN)
    ranked = sorted(
        (c for pk, c in eligible.items() if pk in active),
        key=lambda c: (-c.weight, c.actor.login),
    )[:limit]
    for candidate in ranked:
        candidate.score = min(1.0, candidate.weight / total)
    return ranked


def _resolvers(issue: Issue, fixes: list[PullRequest]) -> dict[Actor, list[str]]:
    roles: dict[Actor, list[str]] = defaultdict(list)
    for person in issue.assignees.all():
        roles[person].append("assigned")
    for pull in fixes:
        if pull.author is not None:
            roles[pull.author].append(f"fixed in #{pull.number}")
    if issue.closed_by is not None and issue.closed_by_id != issue.author_id:
        roles[issue.closed_by].append("closed it")
    return roles


def _evidence(issue: Issue, score: float, roles: list[str]) -> dict:
    return {
        "issue_id": issue.pk,
        "number": issue.number,
        "title": issue.title,
        "score": round(score, 4),
        "closed_at": issue.closed_at.isoformat(),
        "roles": roles,
    }


def fixing_pull_requests(
    *, repository_id: int, issues: Collection[Issue]
) -> dict[int, list[PullRequest]]:
    """Merged pull requests whose title or body closes one of `issues`, by issue id."""
    by_number = {issue.number: issue.pk for issue in issues}
    if not by_number:
        return {}
    mentions = Q()
    for number in by_number:
        mentions |= Q(body__contains=f"#{number}") | Q(title__contains=f"#{number}")
    pulls = PullRequest.objects.filter(
        mentions, repository_id=repository_id, merged=True, deleted_at__isnull=True
    ).select_related("author")
    found: dict[int, list[PullRequest]] = defaultdict(list)
    for pull in pulls:
        text = f"{pull.title}\n{pull.body}"
        numbers = {int(match) for match in CLOSING_REFERENCE.findall(text)}
        for number in sorted(numbers & by_number.keys()):
            found[by_number[number]].append(pull)
    return dict(found)


def actors_active_since(*, actor_ids: Collection[int], since: dt.datetime) -> set[int]:
    """The actors among `actor_ids` who did anything Steward records since `since`."""
    ids = list(actor_ids)
    if not ids:
        return set()
    sources = (
        Issue.objects.filter(author_id__in=ids, created_at__gte=since).values_list("author_id"),
        PullRequest.objects.filter(author_id__in=ids, created_at__gte=since).values_list(
            "author_id"
        ),
        Comment.objects.filter(author_id__in=ids, created_at__gte=since).values_list("author_id"),
        Review.objects.filter(reviewer_id__in=ids, submitted_at__gte=since).values_list(
            "reviewer_id"
        ),
        Issue.objects.filter(closed_by_id__in=ids, closed_at__gte=since).values_list(
            "closed_by_id"
        ),
        PullRequest.objects.filter(merged_by_id__in=ids, merged_at__gte=since).values_list(
            "merged_by_id"
        ),
    )
    active: set[int] = set()
    for query in sources:
        active |= {row[0] for row in query.distinct()}
        if len(active) == len(ids):
            break
    return active
