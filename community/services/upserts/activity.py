"""Upserts of reviews, comments, releases, stars and timeline events."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.db.models import F

from community.github.payloads import (
    GitHubComment,
    GitHubIssueEvent,
    GitHubRelease,
    GitHubReview,
    GitHubStar,
)
from community.models import (
    Comment,
    CommentKind,
    Issue,
    IssueEvent,
    PullRequest,
    Release,
    Repository,
    Review,
    StarEvent,
)
from community.services.upserts.actors import actors_bulk_upsert
from community.services.upserts.sql import bulk_upsert


def parents_by_number(*, repository: Repository, numbers: set[int]) -> dict[int, tuple[str, int]]:
    """Map issue/PR numbers of a repository to ("issue_id" | "pull_request_id", id)."""
    found: dict[int, tuple[str, int]] = {}
    numbers = {n for n in numbers if n is not None}
    if not numbers:
        return found
    for model, column in ((Issue, "issue_id"), (PullRequest, "pull_request_id")):
        # The live item last, so it wins over one that was superseded or deleted.
        rows = model.objects.filter(repository=repository, number__in=numbers).order_by(
            F("deleted_at").asc(nulls_last=True)
        )
        for pk, number in rows.values_list("pk", "number"):
            found[number] = (column, pk)
    return found


def _review_row(pull_request_id: int, r: GitHubReview) -> dict:
    return {
        "id": r.id,
        "pull_request_id": pull_request_id,
        "reviewer_id": r.user.id if r.user else None,
        "state": r.state,
        "body": r.body,
        "commit_id": r.commit_id,
        "author_association": r.author_association,
        "submitted_at": r.submitted_at,
    }


def reviews_bulk_upsert(*, pull_request: PullRequest, payloads: Sequence[GitHubReview]) -> set[int]:
    with transaction.atomic():
        actors_bulk_upsert(payloads=[r.user for r in payloads])
        rows = [_review_row(pull_request.pk, r) for r in payloads]
        return bulk_upsert(Review, rows)


def pull_request_reviews_bulk_upsert(
    *, repository: Repository, reviews_by_number: Mapping[int, Sequence[GitHubReview]]
) -> set[int]:
    """Upsert the reviews of many pull requests of a repository at once, keyed by PR number.

    Reviews of pull requests that are not stored are skipped (as comments on unknown parents are).
    """
    numbers = {number for number, reviews in reviews_by_number.items() if reviews}
    if not numbers:
        return set()
    stored = dict(
        PullRequest.objects.filter(repository=repository, number__in=numbers)
        .order_by(F("deleted_at").asc(nulls_last=True))  # the live one last: it wins
        .values_list("number", "pk")
    )
    attached = [
        (stored[number], review)
        for number, reviews in reviews_by_number.items()
        if number in stored
        for review in reviews
    ]
    with transaction.atomic():
        actors_bulk_upsert(payloads=[review.user for _, review in attached])
        return bulk_upsert(Review, [_review_row(pk, review) for pk, review in attached])


def comments_bulk_upsert(*, repository: Repository, payloads: Sequence[GitHubComment]) -> set[int]:
    """Upsert comments whose issue/PR is stored; comments on unknown parents are skipped."""
    parents = parents_by_number(repository=repository, numbers={c.parent_number for c in payloads})
    attached = [c for c in payloads if c.parent_number in parents]
    if not attached:
        return set()
    known_reviews = set(
        Review.objects.filter(pk__in={c.review_id for c in attached if c.review_id}).values_list(
            "pk", flat=True
        )
    )
    rows = []
    for c in attached:
        column, parent_id = parents[c.parent_number]
        rows.append(
            {
                "id": c.id,
                "kind": CommentKind.REVIEW if c.is_review_comment else CommentKind.ISSUE,
                "repository_id": repository.pk,
                "issue_id": parent_id if column == "issue_id" else None,
                "pull_request_id": parent_id if column == "pull_request_id" else None,
                "review_id": c.review_id if c.review_id in known_reviews else None,
                "author_id": c.user.id if c.user else None,
                "author_association": c.author_association,
                "body": c.body,
                "path": c.path[:1024],
                "reactions": c.reactions,
                "reactions_total": c.reactions_total,
                "created_at": c.created_at,
                "updated_at": c.updated_at,
            }
        )
    with transaction.atomic():
        actors_bulk_upsert(payloads=[c.user for c in attached])
        return bulk_upsert(Comment, rows, newer_field="updated_at")


def releases_bulk_upsert(*, repository: Repository, payloads: Sequence[GitHubRelease]) -> set[int]:
    with transaction.atomic():
        actors_bulk_upsert(payloads=[r.author for r in payloads])
        rows = [
            {
                "id": r.id,
                "repository_id": repository.pk,
                "tag_name": r.tag_name,
                "name": r.name,
                "body": r.body,
                "draft": r.draft,
                "prerelease": r.prerelease,
                "author_id": r.author.id if r.author else None,
                "created_at": r.created_at,
                "published_at": r.published_at,
            }
            for r in payloads
        ]
        return bulk_upsert(Release, rows)


def star_events_bulk_upsert(
    *, repository: Repository, payloads: Sequence[GitHubStar], insert_only: bool = False
) -> int:
    """Record stargazers; returns how many (repository, actor) pairs were written.

    `insert_only` records a star only where none is stored, atomically (for undated sources).
    """
    with transaction.atomic():
        actors_bulk_upsert(payloads=[s.user for s in payloads])
        rows = [
            {"repository_id": repository.pk, "actor_id": s.user.id, "starred_at": s.starred_at}
            for s in payloads
        ]
        written = bulk_upsert(
            StarEvent, rows, conflict_fields=("repository_id", "actor_id"), insert_only=insert_only
        )
        return len(written)


def issue_events_bulk_upsert(
    *, repository: Repository, payloads: Sequence[GitHubIssueEvent]
) -> set[int]:
    """Upsert timeline events whose issue/PR is stored (by `issue_number`)."""
    parents = parents_by_number(repository=repository, numbers={e.issue_number for e in payloads})
    attached = [e for e in payloads if e.issue_number in parents]
    rows = []
    for e in attached:
        column, parent_id = parents[e.issue_number]
        rows.append(
            {
                "id": e.id,
                "repository_id": repository.pk,
                "issue_id": parent_id if column == "issue_id" else None,
                "pull_request_id": parent_id if column == "pull_request_id" else None,
                "event": e.event,
                "actor_id": e.actor.id if e.actor else None,
                "created_at": e.created_at,
                "label_name": e.label_name[:100],
                "assignee_id": e.assignee.id if e.assignee else None,
                "commit_id": e.commit_id,
                "rename_from": e.rename_from[:1024],
                "rename_to": e.rename_to[:1024],
                "reviewer_id": e.reviewer.id if e.reviewer else None,
                "reviewer_team": e.reviewer_team[:100],
                "milestone_title": e.milestone_title[:255],
            }
        )
    if not rows:
        return set()
    people = [p for e in attached for p in (e.actor, e.assignee, e.reviewer)]
    with transaction.atomic():
        actors_bulk_upsert(payloads=people)
        return bulk_upsert(IssueEvent, rows)
