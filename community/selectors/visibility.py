"""Who may see what. Every page, API and export starts from these querysets.

The rule itself lives in `accounts.permissions` (roles: anonymous, contributor, maintainer of
given repositories, admin): a private repository and everything in it is seen by its maintainers
and by admins only. Items deleted on GitHub are kept for history but not shown.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts import permissions
from community.models import Comment, Issue, PullRequest, Repository, Review


def user_sees_private(*, user) -> bool:
    """Whether the user sees every private repository (an admin): aggregates over all
    repositories are theirs only. A maintainer sees their own private repositories through
    `repositories_visible_to`."""
    return permissions.sees_every_repository(user)


def repositories_visible_to(*, user) -> QuerySet[Repository]:
    return permissions.repositories_visible_to(user)


def repositories_maintained_by(*, user) -> QuerySet[Repository]:
    """Repositories the user acts on: triage, decisions, sync, digests, merges, models."""
    return permissions.repositories_maintained_by(user)


def may_see_repository(*, user, repository: Repository) -> bool:
    return permissions.may_see_repository(user, repository)


def may_maintain(*, user, repository: Repository) -> bool:
    return permissions.may_maintain(user, repository)


def issues_visible_to(*, user) -> QuerySet[Issue]:
    return Issue.objects.filter(
        repository__in=repositories_visible_to(user=user), deleted_at__isnull=True
    )


def pull_requests_visible_to(*, user) -> QuerySet[PullRequest]:
    return PullRequest.objects.filter(
        repository__in=repositories_visible_to(user=user), deleted_at__isnull=True
    )


def comments_visible_to(*, user) -> QuerySet[Comment]:
    return Comment.objects.filter(repository__in=repositories_visible_to(user=user))


def reviews_visible_to(*, user) -> QuerySet[Review]:
    return Review.objects.filter(
        pull_request__repository__in=repositories_visible_to(user=user),
        pull_request__deleted_at__isnull=True,
    )
