"""The one place that decides who may see and who may act on a repository.

- anonymous: public repositories (and so public data and public models);
- contributor: any signed-in, active user: the same, plus the contributor pages;
- maintainer of given repositories (`RepositoryRole`): also sees those repositories when they
  are private, and acts on them: triage queue and decisions, sync controls, digests, identity
  merges, model promotion and card edits;
- admin (active staff or superuser): sees and acts on every tracked repository.

Pages, the API, exports, search and the model hub reach this module through
`community.selectors.visibility`, whose querysets start from `repositories_visible_to`.
Items of a repository Steward no longer tracks are nobody's to see.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import RepositoryRole
from community.models import Comment, Issue, PullRequest, Repository, Review


def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_admin(user) -> bool:
    """Staff see and act on everything Steward tracks."""
    return is_signed_in(user) and bool(user.is_staff or user.is_superuser)


def _maintained_ids(user) -> QuerySet:
    return RepositoryRole.objects.filter(user=user, role=RepositoryRole.Role.MAINTAINER).values(
        "repository_id"
    )


def repositories_visible_to(user) -> QuerySet[Repository]:
    repositories = Repository.objects.filter(tracked=True)
    if is_admin(user):
        return repositories
    if is_signed_in(user):
        return repositories.filter(Q(private=False) | Q(pk__in=_maintained_ids(user)))
    return repositories.filter(private=False)


def repositories_maintained_by(user) -> QuerySet[Repository]:
    repositories = Repository.objects.filter(tracked=True)
    if is_admin(user):
        return repositories
    if is_signed_in(user):
        return repositories.filter(pk__in=_maintained_ids(user))
    return repositories.none()


def may_see_repository(user, repository: Repository) -> bool:
    if not repository.tracked:
        return False
    if not repository.private or is_admin(user):
        return True
    return may_maintain(user, repository)


def may_maintain(user, repository: Repository) -> bool:
    if not repository.tracked or not is_signed_in(user):
        return False
    if is_admin(user):
        return True
    return _maintained_ids(user).filter(repository_id=repository.pk).exists()


def maintains_any(user) -> bool:
    """Whether the maintainer's pages (triage queue, identities) have anything for the user."""
    if is_admin(user):
        return True
    return is_signed_in(user) and repositories_maintained_by(user).exists()


def sees_every_repository(user) -> bool:
    """Aggregates over all repositories (private ones included) are for admins only: a
    maintainer of one private repository must not read another's numbers inside a total."""
    return is_admin(user)


def accounts_seen_by_maintainer(user) -> set[int] | None:
    """GitHub accounts (Actor ids) active in the repositories the user maintains: those whose
    identity they may judge. None for admins: every account."""
    if is_admin(user):
        return None
    repositories = repositories_maintained_by(user).values("pk")
    seen: set[int] = set()
    for rows, actor in (
        (Issue.objects.filter(repository__in=repositories), "author_id"),
        (PullRequest.objects.filter(repository__in=repositories), "author_id"),
        (Comment.objects.filter(repository__in=repositories), "author_id"),
        (Review.objects.filter(pull_request__repository__in=repositories), "reviewer_id"),
    ):
        seen.update(rows.exclude(**{actor: None}).values_list(actor, flat=True).distinct())
    return seen
