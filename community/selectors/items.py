"""Issue and pull request lists (filtered, sorted) and single items with their conversation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from community.models import (
    Actor,
    Comment,
    CommentKind,
    Issue,
    IssueEvent,
    IssueState,
    PullRequest,
    Repository,
    Review,
)

# Tie-break on number so that pages never shuffle rows that share a timestamp.
ITEM_SORTS = {
    "newest": ("-created_at", "-number"),
    "oldest": ("created_at", "number"),
    "updated": ("-updated_at", "-number"),
    "comments": ("-comments_count", "-number"),
}


@dataclass(frozen=True)
class ItemFilters:
    """What an issue/PR list shows. `state` is open, closed or all (PRs also merged, draft)."""

    state: str = "open"
    label: str = ""
    author: str = ""
    q: str = ""
    sort: str = "newest"


def _filter_and_sort(items: QuerySet, filters: ItemFilters) -> QuerySet:
    items = items.filter(deleted_at__isnull=True)
    if filters.label:
        items = items.filter(labels__name=filters.label)
    if filters.author:
        items = items.filter(author__login__iexact=filters.author)
    if filters.q:
        items = items.filter(Q(title__icontains=filters.q) | Q(body__icontains=filters.q))
    return (
        items.select_related("author", "repository")
        .prefetch_related("labels")
        .order_by(*ITEM_SORTS.get(filters.sort, ITEM_SORTS["newest"]))
    )


def issue_list(*, repository: Repository, filters: ItemFilters) -> QuerySet[Issue]:
    issues = Issue.objects.filter(repository=repository)
    if filters.state in (IssueState.OPEN, IssueState.CLOSED):
        issues = issues.filter(state=filters.state)
    return _filter_and_sort(issues, filters)


def pull_request_list(*, repository: Repository, filters: ItemFilters) -> QuerySet[PullRequest]:
    pulls = PullRequest.objects.filter(repository=repository)
    if filters.state in (IssueState.OPEN, IssueState.CLOSED):
        pulls = pulls.filter(state=filters.state)
    elif filters.state == "merged":
        pulls = pulls.filter(merged=True)
    elif filters.state == "draft":
        pulls = pulls.filter(draft=True, state=IssueState.OPEN)
    return _filter_and_sort(pulls, filters)


def issue_get(*, repository: Repository, number: int) -> Issue | None:
    return (
        Issue.objects.filter(repository=repository, number=number, deleted_at__isnull=True)
        .select_related("repository", "author", "milestone", "closed_by")
        .prefetch_related("labels", "assignees")
        .first()
    )


def pull_request_get(*, repository: Repository, number: int) -> PullRequest | None:
    return (
        PullRequest.objects.filter(repository=repository, number=number, deleted_at__isnull=True)
        .select_related("repository", "author", "milestone", "closed_by", "merged_by")
        .prefetch_related("labels", "assignees", "requested_reviewers")
        .first()
    )


def issue_exists(*, repository: Repository, number: int) -> bool:
    return Issue.objects.filter(
        repository=repository, number=number, deleted_at__isnull=True
    ).exists()


def pull_request_exists(*, repository: Repository, number: int) -> bool:
    return PullRequest.objects.filter(
        repository=repository, number=number, deleted_at__isnull=True
    ).exists()


@dataclass(frozen=True)
class TimelineEntry:
    """One row of a conversation: a comment, a review (with its diff comments) or an event."""

    kind: str
    at: datetime
    actor: Actor | None
    record: Comment | Review | IssueEvent


def _entries(kind: str, records, *, when: str, who: str) -> list[TimelineEntry]:
    return [
        TimelineEntry(kind=kind, at=getattr(r, when), actor=getattr(r, who), record=r)
        for r in records
        if getattr(r, when) is not None
    ]


def _chronological(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    return sorted(entries, key=lambda entry: (entry.at, entry.record.pk))


def issue_conversation(*, issue: Issue) -> list[TimelineEntry]:
    comments = issue.comments.select_related("author")
    events = issue.events.select_related("actor", "assignee", "reviewer")
    return _chronological(
        _entries("comment", comments, when="created_at", who="author")
        + _entries("event", events, when="created_at", who="actor")
    )


def pull_request_conversation(*, pull_request: PullRequest) -> list[TimelineEntry]:
    """Conversation comments, submitted reviews with their diff comments, and timeline events."""
    diff_comments = Comment.objects.filter(kind=CommentKind.REVIEW).select_related("author")
    reviews = (
        pull_request.reviews.exclude(state=Review.State.PENDING)
        .select_related("reviewer")
        .prefetch_related(Prefetch("comments", queryset=diff_comments))
    )
    # Diff comments whose review is unknown still belong in the conversation, on their own.
    comments = pull_request.comments.filter(
        Q(kind=CommentKind.ISSUE) | Q(review__isnull=True)
    ).select_related("author")
    events = pull_request.events.select_related("actor", "assignee", "reviewer")
    return _chronological(
        _entries("comment", comments, when="created_at", who="author")
        + _entries("review", reviews, when="submitted_at", who="reviewer")
        + _entries("event", events, when="created_at", who="actor")
    )
