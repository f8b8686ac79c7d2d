"""The GitHub profiles of the people active in a repository: display name and company.

Issues, comments and reviews name their people with nested user objects, which carry neither;
organisational diversity (analytics) reads the company. A profile costs one request, so each
sync reads at most PROFILES_PER_SYNC of them, the never-read first, then the oldest; a profile
is read again after PROFILE_REFRESH. A large community's first syncs therefore spread the
profiles over several runs instead of spending the hourly budget on them.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from community.github.errors import NotFound
from community.github.payloads import GitHubUser, PayloadError
from community.models import Actor, ActorType, Comment, Issue, PullRequest, Review, SyncCursor
from community.services.sync.context import SyncContext

logger = logging.getLogger(__name__)

PROFILES_PER_SYNC = 100
PROFILE_REFRESH = timedelta(days=30)


def people_active_in(repository) -> QuerySet[Actor]:
    """Authors of the repository's issues, PRs and comments, and its PRs' reviewers."""
    return Actor.objects.filter(
        Q(pk__in=Issue.objects.filter(repository=repository).values("author_id"))
        | Q(pk__in=PullRequest.objects.filter(repository=repository).values("author_id"))
        | Q(pk__in=Comment.objects.filter(repository=repository).values("author_id"))
        | Q(pk__in=Review.objects.filter(pull_request__repository=repository).values("reviewer_id"))
    )


def profiles_due(repository, *, now=None) -> QuerySet[Actor]:
    """People (not bots, not organisations) whose profile was never read or is stale, the
    never-read first."""
    now = now or timezone.now()
    return (
        people_active_in(repository)
        .filter(type=ActorType.USER, is_bot=False)
        .filter(Q(profile_read_at__isnull=True) | Q(profile_read_at__lt=now - PROFILE_REFRESH))
        .order_by(F("profile_read_at").asc(nulls_first=True), "pk")
    )


def sync_profiles(ctx: SyncContext, cursor: SyncCursor) -> None:
    for actor in list(profiles_due(ctx.repository)[:PROFILES_PER_SYNC]):
        changes = {"profile_read_at": timezone.now()}  # missing or odd: again at the refresh
        profile = _profile(ctx, actor)
        if profile is not None and profile.id == actor.pk:  # a login freed and taken by another
            changes.update(name=profile.name or "", company=profile.company or "")
        Actor.objects.filter(pk=actor.pk).update(**changes)
        if profile is not None:
            cursor.items += 1
            cursor.save(update_fields=["items"])
            ctx.progress.advance(cursor.resource, 1)
        ctx.heartbeat()


def _profile(ctx: SyncContext, actor: Actor) -> GitHubUser | None:
    """The account's profile; None when it is gone (deleted, renamed) or unreadable (one odd
    profile does not stop the sync)."""
    try:
        return GitHubUser.from_json(ctx.client.get(f"/users/{actor.login}").data, at="user")
    except NotFound:
        return None
    except PayloadError as exc:
        logger.warning("profile of %s not stored: %s", actor.login, exc)
        return None
