"""Two GitHub objects claiming one number in a repository: the newest owns it.

GitHub never gives one number to two items of a repository, yet Steward can be told of two: a
transfer or a deletion and re-creation seen out of order, payloads replayed from another copy of
a repository, examples and fixtures that reuse numbers. Failing the write (an IntegrityError on
`(repository, number)`) would lose the newer object, so the rule is:

- among the live items (not deleted) claiming a number, the one GitHub created last owns it
  (`created_at`, then the larger GitHub id, since ids grow with time);
- the other is kept, with its comments, reviews, events and labels, and marked `deleted_at` (the
  time Steward saw it superseded): pages, search and metrics treat it as deleted on GitHub;
- an older object arriving after the newer one is stored already marked, and never takes the
  number back. An item deleted on GitHub keeps its number and does not compete for it.

The number is unique among live items only (a partial unique constraint), on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from community.models import Repository

Row = dict[str, Any]


def _key(created_at, pk: int) -> tuple:
    return (created_at is not None, created_at or 0, pk)


def numbers_reconcile(
    *, model: type[models.Model], repository: Repository, rows: list[Row]
) -> list[Row]:
    """Prepare `rows` (issue or PR rows of one repository) so that writing them leaves one live
    item per number: superseded stored items are marked now, superseded new ones come marked."""
    numbers = {row["number"] for row in rows}
    if not numbers:
        return rows
    stored = {
        pk: (number, created_at, deleted_at)
        # No row locks: a concurrent claimant is caught by the partial unique index (and its
        # delivery fails; a replay applies it), and the writes keep the upserts' lock order.
        for pk, number, created_at, deleted_at in model.objects.filter(
            repository_id=repository.pk, number__in=numbers
        )
        .order_by()
        .values_list("pk", "number", "created_at", "deleted_at")
    }
    claims: dict[int, dict[int, Any]] = {}  # number → {id: created_at} of live claimants
    for pk, (number, created_at, deleted_at) in stored.items():
        if deleted_at is None:
            claims.setdefault(number, {})[pk] = created_at
    for row in rows:
        if row["id"] in stored and stored[row["id"]][2] is not None:
            continue  # deleted on GitHub (or superseded before): it stays so
        claims.setdefault(row["number"], {})[row["id"]] = row["created_at"]
    now = timezone.now()
    superseded: set[int] = set()
    for claimants in claims.values():
        if len(claimants) > 1:
            owner = max(claimants, key=lambda pk: _key(claimants[pk], pk))
            superseded |= set(claimants) - {owner}
    if not superseded:
        return rows
    live_stored = [pk for pk in superseded if pk in stored]
    model.objects.filter(pk__in=live_stored, deleted_at__isnull=True).update(deleted_at=now)
    return [
        {**row, "deleted_at": now} if row["id"] in superseded and row["id"] not in stored else row
        for row in rows
    ]
