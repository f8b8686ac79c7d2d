"""Repository overviews: the home list and the repository page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from community.models import Comment, Issue, IssueState, PullRequest, Release, Repository, Review
from community.selectors.visibility import repositories_visible_to

RECENT_ITEMS = 5


def _count_in_repository(model, **filters) -> Coalesce:
    counted = (
        model.objects.filter(repository=OuterRef("pk"), deleted_at__isnull=True, **filters)
        .order_by()
        .values("repository")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _latest_update_in_repository(model) -> Subquery:
    latest = model.objects.filter(repository=OuterRef("pk"), deleted_at__isnull=True)
    return Subquery(latest.order_by("-updated_at").values("updated_at")[:1])


def repository_contributor_counts(*, repository_ids: Iterable[int]) -> dict[int, int]:
    """Distinct people (bots excluded) who opened, commented on or reviewed something, by repo."""
    ids = list(repository_ids)
    if not ids:
        return {}
    humans = {"deleted_at__isnull": True, "repository_id__in": ids, "author__is_bot": False}
    # Each part of a UNION must be unordered (the models have a default ordering).
    issue_authors = Issue.objects.filter(**humans).order_by()
    pull_request_authors = PullRequest.objects.filter(**humans).order_by()
    commenters = Comment.objects.filter(repository_id__in=ids, author__is_bot=False).order_by()
    reviewers = Review.objects.filter(
        pull_request__repository_id__in=ids, reviewer__is_bot=False
    ).order_by()
    pairs = issue_authors.values_list("repository_id", "author_id").union(
        pull_request_authors.values_list("repository_id", "author_id"),
        commenters.values_list("repository_id", "author_id"),
        reviewers.values_list("pull_request__repository_id", "reviewer_id"),
    )
    return dict(Counter(repository_id for repository_id, _ in pairs))


def repository_list_with_counts(*, user) -> list[Repository]:
    """Visible repositories with open issue/PR counts, contributors and last activity."""
    repositories = list(
        repositories_visible_to(user=user)
        .filter(deleted_at__isnull=True)  # deleted on GitHub: its pages stay, the list drops it
        .annotate(
            open_issues=_count_in_repository(Issue, state=IssueState.OPEN),
            open_pull_requests=_count_in_repository(PullRequest, state=IssueState.OPEN),
            last_issue_update=_latest_update_in_repository(Issue),
            last_pull_request_update=_latest_update_in_repository(PullRequest),
        )
        .order_by("full_name")
    )
    contributors = repository_contributor_counts(repository_ids=[r.pk for r in repositories])
    for repository in repositories:
        repository.contributors = contributors.get(repository.pk, 0)
        moments = (
            repository.pushed_at,
            repository.last_issue_update,
            repository.last_pull_request_update,
        )
        repository.last_activity = max((m for m in moments if m), default=None)
    return repositories


def repository_get_visible(*, user, owner: str, name: str) -> Repository | None:
    return repositories_visible_to(user=user).filter(full_name__iexact=f"{owner}/{name}").first()


@dataclass(frozen=True)
class RepositoryOverview:
    repository: Repository
    open_issues: int
    closed_issues: int
    open_pull_requests: int
    merged_pull_requests: int
    contributors: int
    releases: int
    latest_release: Release | None
    recent_issues: list[Issue]
    recent_pull_requests: list[PullRequest]
    recently_merged: list[PullRequest]
    recent_releases: list[Release]


def _recent(queryset: QuerySet, *order: str) -> list:
    return list(
        queryset.filter(deleted_at__isnull=True)
        .select_related("author", "repository")
        .prefetch_related("labels")
        .order_by(*order)[:RECENT_ITEMS]
    )


def repository_overview(*, repository: Repository) -> RepositoryOverview:
    issues = Issue.objects.filter(repository=repository, deleted_at__isnull=True).aggregate(
        open=Count("pk", filter=Q(state=IssueState.OPEN)),
        closed=Count("pk", filter=Q(state=IssueState.CLOSED)),
    )
    pulls = PullRequest.objects.filter(repository=repository, deleted_at__isnull=True).aggregate(
        open=Count("pk", filter=Q(state=IssueState.OPEN)),
        merged=Count("pk", filter=Q(merged=True)),
    )
    published = Release.objects.filter(repository=repository, draft=False)
    newest_first = (F("published_at").desc(nulls_last=True), "-pk")
    recent_releases = list(
        published.select_related("author").order_by(*newest_first)[:RECENT_ITEMS]
    )
    return RepositoryOverview(
        repository=repository,
        open_issues=issues["open"],
        closed_issues=issues["closed"],
        open_pull_requests=pulls["open"],
        merged_pull_requests=pulls["merged"],
        contributors=repository_contributor_counts(repository_ids=[repository.pk]).get(
            repository.pk, 0
        ),
        releases=published.count(),
        latest_release=recent_releases[0] if recent_releases else None,
        recent_issues=_recent(repository.issues, "-created_at", "-number"),
        recent_pull_requests=_recent(repository.pullrequests, "-created_at", "-number"),
        recently_merged=_recent(
            repository.pullrequests.filter(merged=True), "-merged_at", "-number"
        ),
        recent_releases=recent_releases,
    )
