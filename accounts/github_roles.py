"""Maintainer roles from GitHub: a user who may push to, maintain or administer a tracked
repository on GitHub maintains it in Steward. Read with the user's own OAuth token when they sign
in with GitHub, so Steward learns exactly what GitHub lets that user do.

The GitHub client is passed in (PyGithub's `Github`, or any object with the same `get_repo`), so
the mapping is tested without the network. A private repository needs the `repo` scope to be
visible to the user's token (GITHUB_OAUTH_SCOPE); without it, private ones map to no role.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from github import Auth, Github, GithubException

from accounts.models import RepositoryRole
from community.models import Repository

logger = logging.getLogger(__name__)

# GitHub permissions (a repository's `permissions` object) that make a Steward maintainer.
MAINTAINER_PERMISSIONS = ("admin", "maintain", "push")


def github_client_for_token(token: str) -> Github:
    return Github(auth=Auth.Token(token), base_url=settings.GITHUB_API_URL, timeout=10, retry=0)


def _grants_maintainer(permissions) -> bool:
    if permissions is None:
        return False
    return any(bool(getattr(permissions, name, False)) for name in MAINTAINER_PERMISSIONS)


def github_maintained_repositories(*, client) -> list[Repository]:
    """The tracked repositories the client's user may push to, maintain or administer."""
    maintained = []
    for repository in Repository.objects.filter(tracked=True).order_by("full_name"):
        try:
            remote = client.get_repo(repository.full_name)
            permissions = remote.permissions
        except GithubException as error:
            # 404 (the user cannot see it) or 403: no role. Anything else is logged.
            if error.status not in (403, 404):
                logger.warning("GitHub permissions of %s: %s", repository.full_name, error)
            continue
        if _grants_maintainer(permissions):
            maintained.append(repository)
    return maintained


@transaction.atomic
def github_roles_sync(*, user, client) -> set[int]:
    """Replace the user's GitHub-sourced maintainer roles with what GitHub says now; roles an
    administrator granted are kept. Returns the ids of the repositories now mapped from GitHub."""
    maintained = {repository.pk for repository in github_maintained_repositories(client=client)}
    roles = RepositoryRole.objects.filter(
        user=user, role=RepositoryRole.Role.MAINTAINER, source=RepositoryRole.Source.GITHUB
    )
    roles.exclude(repository_id__in=maintained).delete()
    already = set(
        RepositoryRole.objects.filter(user=user, role=RepositoryRole.Role.MAINTAINER).values_list(
            "repository_id", flat=True
        )
    )
    RepositoryRole.objects.bulk_create(
        RepositoryRole(
            user=user,
            repository_id=repository_id,
            role=RepositoryRole.Role.MAINTAINER,
            source=RepositoryRole.Source.GITHUB,
        )
        for repository_id in sorted(maintained - already)
    )
    return maintained
