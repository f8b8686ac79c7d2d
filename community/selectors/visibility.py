"""Who may see what. Every page, API and export starts from these querysets.

Anonymous (and non-staff) users never see a private repository nor anything in it; staff see
everything Steward tracks. Items deleted on GitHub are kept for history but not shown.
"""

from __future__ import annotations

from django.db.models import QuerySet

from community.models import Comment, Issue, PullRequest, Repository, Review


def user_sees_private(*, user) -> bool:
    return bool(user is not None and user.is_active and user.is_staff)


def repositories_visible_to(*, user) -> QuerySet[Repository]:
    repositories = Repository.objects.filter(tracked=True)
    if not user_sees_private(user=user):
        repositories = repositories.filter(private=False)
    return repositories


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
