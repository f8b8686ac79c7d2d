"""One mechanism for every write of GitHub data: a bulk `INSERT … ON CONFLICT DO UPDATE`.

The stale-payload rule lives in the statement itself (`… DO UPDATE … WHERE stored.updated_at <=
incoming.updated_at`), so it holds under concurrency on PostgreSQL and SQLite alike, with no
read-then-write race. Rows carry only the columns their payload really sent: a missing column is
filled from the model default on insert and left untouched on update.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

# Keeps each statement far below SQLite's and PostgreSQL's bound-parameter limits.
BATCH_ROWS = 500

Row = dict[str, Any]


def bulk_upsert(
    model: type[models.Model],
    rows: Iterable[Row],
    *,
    conflict_fields: Sequence[str] = ("id",),
    newer_field: str | None = None,
    insert_only: bool = False,
) -> set[Any]:
    """Insert or update `rows` (dicts keyed by column attname); return the keys written.

    With `newer_field`, a row whose value is older than the stored one is skipped (and not
    returned): GitHub redelivers and reorders, and an old payload must never overwrite a new one.
    The returned keys are primary keys, or `conflict_fields` tuples when the pk is not one of them.
    With `insert_only`, a stored row is left as it is (`ON CONFLICT DO NOTHING`): only missing
    rows are written, atomically, with no read-then-write race.
    """
    by_shape: dict[frozenset[str], dict[Any, Row]] = {}
    for row in rows:
        key = tuple(row[f] for f in conflict_fields)
        group = by_shape.setdefault(frozenset(row), {})
        kept = group.get(key)
        # The same object twice in one statement is an error on PostgreSQL: keep the newest.
        if kept is None or newer_field is None or _not_older(row, kept, newer_field):
            group[key] = row
    # Rows are written in key order, so concurrent writers lock shared rows in the same order
    # and cannot deadlock on PostgreSQL (two deliveries naming the same people in turn).
    batches = sorted(
        ([group[key] for key in sorted(group)] for group in by_shape.values()),
        key=lambda batch: tuple(batch[0][f] for f in conflict_fields),
    )
    written: set[Any] = set()
    for batch in batches:
        shape = frozenset(batch[0])
        for start in range(0, len(batch), BATCH_ROWS):
            written |= _upsert_batch(
                model,
                batch[start : start + BATCH_ROWS],
                shape,
                conflict_fields,
                None if insert_only else newer_field,
                update=not insert_only,
            )
    return written


def _not_older(row: Row, kept: Row, newer_field: str) -> bool:
    return is_not_stale(stored=kept.get(newer_field), incoming=row.get(newer_field))


def is_not_stale(*, stored: Any, incoming: Any) -> bool:
    """The stale-payload rule, for code that must know before writing whether the upsert will
    write a row: the statement's own `WHERE stored IS NULL OR stored <= incoming`, where an
    incoming NULL loses to any stored value (as the comparison with NULL does in SQL)."""
    return stored is None or (incoming is not None and stored <= incoming)


def _upsert_batch(
    model: type[models.Model],
    rows: list[Row],
    shape: frozenset[str],
    conflict_fields: Sequence[str],
    newer_field: str | None,
    *,
    update: bool = True,
) -> set[Any]:
    meta = model._meta
    pk = meta.pk
    fields = [
        f
        for f in meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField) and f.attname not in shape)
    ]
    auto_now = {f.attname for f in fields if getattr(f, "auto_now", False)}
    now = timezone.now()
    params: list[Any] = []
    for row in rows:
        for f in fields:
            if f.attname in row:
                value = row[f.attname]
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            else:
                value = f.get_default()
            params.append(f.get_db_prep_save(value, connection))

    qn = connection.ops.quote_name
    table = qn(meta.db_table)
    columns = ", ".join(qn(f.column) for f in fields)
    row_params = "(" + ", ".join(["%s"] * len(fields)) + ")"
    conflict = ", ".join(qn(meta.get_field(name).column) for name in conflict_fields)
    updated = [
        f
        for f in fields
        if (f.attname in shape or f.attname in auto_now)
        and f.attname not in conflict_fields
        and not f.primary_key
    ]
    returning = (
        [pk.column]
        if pk.attname in conflict_fields
        else [meta.get_field(name).column for name in conflict_fields]
    )
    sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_params] * len(rows))}"
    if updated and update:
        assignments = ", ".join(f"{qn(f.column)} = EXCLUDED.{qn(f.column)}" for f in updated)
        sql += f" ON CONFLICT ({conflict}) DO UPDATE SET {assignments}"
        if newer_field:
            col = qn(meta.get_field(newer_field).column)
            # The rule `is_not_stale` states in Python.
            sql += f" WHERE {table}.{col} IS NULL OR {table}.{col} <= EXCLUDED.{col}"
    else:
        sql += f" ON CONFLICT ({conflict}) DO NOTHING"
    sql += " RETURNING " + ", ".join(qn(c) for c in returning)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        result = cursor.fetchall()
    if len(returning) == 1:
        return {r[0] for r in result}
    return {tuple(r) for r in result}


def replace_m2m(
    model: type[models.Model], field_name: str, targets_by_owner: dict[Any, Iterable[Any]]
) -> None:
    """Make each owner's many-to-many set exactly the given target ids (two statements)."""
    if not targets_by_owner:
        return
    m2m = model._meta.get_field(field_name)
    through = m2m.remote_field.through
    owner_col = m2m.m2m_column_name()
    target_col = m2m.m2m_reverse_name()
    owners = list(targets_by_owner)
    for start in range(0, len(owners), BATCH_ROWS):
        through.objects.filter(**{f"{owner_col}__in": owners[start : start + BATCH_ROWS]}).delete()
    through.objects.bulk_create(
        [
            through(**{owner_col: owner, target_col: target})
            for owner, targets in targets_by_owner.items()
            for target in dict.fromkeys(targets)
        ],
        batch_size=BATCH_ROWS,
    )
