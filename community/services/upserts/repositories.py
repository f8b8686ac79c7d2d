from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from community import signals
from community.github.payloads import GitHubLabel, GitHubMilestone, GitHubRepository
from community.models import Label, Milestone, Repository
from community.services.upserts.actors import actors_bulk_upsert
from community.services.upserts.sql import bulk_upsert, is_not_stale


def repository_upsert(*, payload: GitHubRepository) -> Repository:
    """Create or refresh a repository; an older payload than the stored one changes nothing."""
    row = {
        "id": payload.id,
        "owner_id": payload.owner.id,
        "name": payload.name,
        "full_name": payload.full_name,
        "private": payload.private,
        "description": payload.description,
        "homepage": payload.homepage,
        "language": payload.language,
        "default_branch": payload.default_branch,
        "topics": payload.topics,
        "stargazers_count": payload.stargazers_count,
        "forks_count": payload.forks_count,
        "open_issues_count": payload.open_issues_count,
        "archived": payload.archived,
        "fork": payload.fork,
        "created_at": payload.created_at,
        "updated_at": payload.updated_at,
        "pushed_at": payload.pushed_at,
    }
    if payload.watchers_count is not None:
        row["watchers_count"] = payload.watchers_count
    with transaction.atomic():
        actors_bulk_upsert(payloads=[payload.owner])
        # A renamed repository frees its old full_name; another row must not still hold it. Only
        # a payload that will be written may take the name: a stale one must not rename the
        # repository that holds it now.
        stored = _stored_state(payload.id)
        if _payload_is_current(stored, payload):
            Repository.objects.filter(full_name=payload.full_name).exclude(pk=payload.id).update(
                full_name=f"{payload.full_name}~{payload.id}"
            )
        written = bulk_upsert(Repository, [row], newer_field="updated_at")
        if payload.private and payload.id in written and stored and _listed_publicly(stored):
            signals.repositories_left_public.send(
                sender=repository_upsert, repository_ids=[payload.id]
            )
    return Repository.objects.get(pk=payload.id)


def _stored_state(repository_id: int) -> tuple | None:
    """(updated_at, private, tracked, deleted_at) of the stored row, locked; None if new."""
    return (
        Repository.objects.select_for_update()
        .filter(pk=repository_id)
        .values_list("updated_at", "private", "tracked", "deleted_at")
        .first()
    )


def _payload_is_current(stored: tuple | None, payload: GitHubRepository) -> bool:
    """Whether the upsert's stale rule will write `payload`."""
    return stored is None or is_not_stale(stored=stored[0], incoming=payload.updated_at)


def _listed_publicly(stored: tuple) -> bool:
    _, private, tracked, deleted_at = stored
    return not private and tracked and deleted_at is None


def _label_row(repository_id: int, label: GitHubLabel) -> dict:
    return {
        "id": label.id,
        "repository_id": repository_id,
        "name": label.name,
        "color": label.color,
        "description": label.description,
        "default": label.default,
    }


def labels_bulk_upsert(
    *, repository: Repository, payloads: Iterable[GitHubLabel], keep_stored: bool = False
) -> set[int]:
    """Upsert labels. A label has no `updated_at`: with `keep_stored` (labels embedded in an issue
    or pull request, a copy of some past state) only missing labels are added, and the label's
    own events and list keep its name, color and description."""
    return bulk_upsert(
        Label, (_label_row(repository.pk, label) for label in payloads), insert_only=keep_stored
    )


def _milestone_row(repository_id: int, milestone: GitHubMilestone) -> dict:
    return {
        "id": milestone.id,
        "repository_id": repository_id,
        "number": milestone.number,
        "title": milestone.title,
        "description": milestone.description,
        "state": milestone.state,
        "due_on": milestone.due_on,
        "created_at": milestone.created_at,
        "updated_at": milestone.updated_at,
        "closed_at": milestone.closed_at,
    }


def milestones_bulk_upsert(
    *, repository: Repository, payloads: Iterable[GitHubMilestone]
) -> set[int]:
    return bulk_upsert(
        Milestone,
        (_milestone_row(repository.pk, m) for m in payloads),
        newer_field="updated_at",
    )
