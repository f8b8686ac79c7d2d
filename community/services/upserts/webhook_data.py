"""Writes only webhooks call for: removals, flags with no timestamp, members, pushes, installations.

Same contract as the other upserts: keyed by GitHub ids, safe to repeat. A removal of something
already gone changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import models, transaction

from community import signals
from community.github.payloads import GitHubInstallation, GitHubPushedCommit, GitHubUser
from community.models import (
    Actor,
    Installation,
    Issue,
    PushedCommit,
    Repository,
    RepositoryMember,
    StarEvent,
)
from community.services.upserts.actors import actors_bulk_upsert
from community.services.upserts.sql import bulk_upsert


def objects_delete(*, model: type[models.Model], ids: Iterable[int]) -> int:
    """Remove GitHub objects deleted on GitHub (comments, releases, labels, milestones…)."""
    deleted, _ = model.objects.filter(pk__in=list(ids)).delete()
    return deleted


def issue_mark_deleted(*, issue_id: int, deleted_at: datetime) -> int:
    """Keep a deleted issue (metrics count it) but mark it; the first deletion time wins."""
    return Issue.objects.filter(pk=issue_id, deleted_at__isnull=True).update(deleted_at=deleted_at)


def issue_set_pinned(*, issue_id: int, pinned: bool) -> int:
    return Issue.objects.filter(pk=issue_id).update(pinned=pinned)


def _public_ids(repositories: models.QuerySet[Repository]) -> list[int]:
    """The repositories of `repositories` listed publicly now (locked until the change)."""
    listed = repositories.filter(private=False, tracked=True, deleted_at__isnull=True)
    return list(listed.select_for_update().order_by("pk").values_list("pk", flat=True))


def _left_public(repository_ids: list[int], sender) -> None:
    if repository_ids:
        signals.repositories_left_public.send(sender=sender, repository_ids=repository_ids)


def repository_mark_deleted(*, repository_id: int, deleted_at: datetime) -> int:
    with transaction.atomic():
        live = Repository.objects.filter(pk=repository_id, deleted_at__isnull=True)
        was_public = _public_ids(live)
        marked = live.update(deleted_at=deleted_at)
        _left_public(was_public, repository_mark_deleted)
    return marked


def repositories_set_tracked(*, repository_ids: Iterable[int], tracked: bool) -> int:
    with transaction.atomic():
        repositories = Repository.objects.filter(pk__in=list(repository_ids))
        was_public = [] if tracked else _public_ids(repositories)
        changed = repositories.update(tracked=tracked)
        _left_public(was_public, repositories_set_tracked)
    return changed


def star_event_delete(*, repository: Repository, actor_id: int) -> int:
    deleted, _ = StarEvent.objects.filter(repository=repository, actor_id=actor_id).delete()
    return deleted


def member_upsert(*, repository: Repository, user: GitHubUser, permission: str) -> None:
    with transaction.atomic():
        actors_bulk_upsert(payloads=[user])
        row = {"repository_id": repository.pk, "actor_id": user.id}
        if permission:  # `member.added` may leave the permission out: keep what is stored
            row["permission"] = permission
        bulk_upsert(RepositoryMember, [row], conflict_fields=("repository_id", "actor_id"))


def member_remove(*, repository: Repository, actor_id: int) -> int:
    deleted, _ = RepositoryMember.objects.filter(repository=repository, actor_id=actor_id).delete()
    return deleted


def pushed_commits_bulk_upsert(
    *, repository: Repository, ref: str, payloads: Sequence[GitHubPushedCommit]
) -> set[tuple[int, str]]:
    """Record pushed commits once per repository; authors are linked to known accounts by login."""
    logins = {c.author_login for c in payloads if c.author_login}
    actor_ids = dict(Actor.objects.filter(login__in=logins).values_list("login", "id"))
    rows = [
        {
            "repository_id": repository.pk,
            "sha": c.sha,
            "author_id": actor_ids.get(c.author_login),
            "author_login": c.author_login[:100],
            "author_name": c.author_name[:255],
            "author_email": c.author_email[:255],
            "ref": ref[:255],
            "committed_at": c.timestamp,
        }
        for c in payloads
    ]
    if not rows:
        return set()
    # The first push that brought a commit names its ref; a later push to another branch
    # carries the same commit and must not rewrite that, even when both are applied at once.
    return bulk_upsert(
        PushedCommit, rows, conflict_fields=("repository_id", "sha"), insert_only=True
    )


def installation_upsert(*, payload: GitHubInstallation, status: str | None = None) -> Installation:
    """Create or refresh an installation, with the status the event implies when it does."""
    row = {
        "id": payload.id,
        "account_id": payload.account.id if payload.account else None,
        "app_id": payload.app_id,
        "target_type": payload.target_type,
        "repository_selection": payload.repository_selection,
        "created_at": payload.created_at,
        "updated_at": payload.updated_at,
    }
    if status is not None:
        row["status"] = status
    with transaction.atomic():
        actors_bulk_upsert(payloads=[payload.account])
        bulk_upsert(Installation, [row])
    return Installation.objects.get(pk=payload.id)
