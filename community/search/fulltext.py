"""Ranked full-text matches of one source (issues, pull requests or comments) on any database.

PostgreSQL: `search_document @@ websearch_to_tsquery('english', …)` over the GIN-indexed column,
ranked by `ts_rank` (title weight A, body B). SQLite: the source's FTS5 table, ranked by BM25
(a title word counts four times). Elsewhere: every word as a case-insensitive substring, newest
first.
The caller's queryset carries the visibility and the filters; only its rows can match.
The schema (columns, FTS5 tables, triggers) comes from migration community 0002_search_index.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from community.search.query import TextQuery, fts5_expression

_migration = importlib.import_module("community.migrations.0002_search_index")
# BM25 weight per FTS5 column (title, body): a word in the title counts four times.
SQLITE_WEIGHTS = {"community_issue": (4.0, 1.0), "community_pullrequest": (4.0, 1.0)}
# ts_rank's normalization 1: divide by 1 + log(document length), so long bodies do not win
# by length alone.
POSTGRES_NORMALIZATION = 1
RANK_CANDIDATES = 2000


@dataclass(frozen=True)
class Hit:
    kind: str  # "issue", "pull" or "comment"
    pk: int
    score: float


def fulltext_ranked(*, kind: str, queryset: QuerySet, query: TextQuery, limit: int) -> list[Hit]:
    """The `limit` rows of `queryset` that best match `query`, best first."""
    if query.is_empty or limit <= 0:
        return []
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        rows = _postgres(queryset, query, limit)
    elif vendor == "sqlite":
        rows = _sqlite(queryset, query, limit)
    else:
        rows = _substring(queryset, query, limit)
    return [Hit(kind=kind, pk=pk, score=float(score)) for pk, score in rows]


def _postgres(queryset: QuerySet, query: TextQuery, limit: int) -> list[tuple[int, float]]:
    table = queryset.model._meta.db_table
    document = RawSQL(f'"{table}"."search_document"', [], output_field=SearchVectorField())
    search = SearchQuery(query.raw, search_type="websearch", config="english")
    rank = SearchRank(F("document"), search, normalization=POSTGRES_NORMALIZATION)
    # Ranking reads every candidate's document, so a word found in a tenth of a million items
    # would cost seconds. The GIN index finds the matches and the first RANK_CANDIDATES of them
    # that the scan meets (table order, no sort: the cost stays bounded) are ranked, in the same
    # pass: every match of all but very common words.
    ranked = (
        queryset.annotate(document=document)
        .filter(document=search)
        .annotate(rank=rank)
        .order_by()
        .values_list("pk", "rank")[:RANK_CANDIDATES]
    )
    return sorted(ranked, key=lambda row: (-row[1], -row[0]))[:limit]


def _sqlite(queryset: QuerySet, query: TextQuery, limit: int) -> list[tuple[int, float]]:
    table = queryset.model._meta.db_table
    search_index_ensure(using=queryset.db)
    fts = f"{table}_fts"
    weights = ", ".join(str(w) for w in SQLITE_WEIGHTS.get(table, ()))
    bm25 = f"bm25({fts}{', ' if weights else ''}{weights})"
    visible, params = queryset.order_by().values("pk").query.sql_with_params()
    sql = (
        f"SELECT rowid, -{bm25} AS score FROM {fts} "
        f"WHERE {fts} MATCH %s AND rowid IN ({visible}) ORDER BY score DESC, rowid DESC LIMIT %s"
    )
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, [fts5_expression(query), *params, limit])
        return cursor.fetchall()


def _substring(queryset: QuerySet, query: TextQuery, limit: int) -> list[tuple[int, float]]:
    fields = [f for f in ("title", "body") if any(x.name == f for x in queryset.model._meta.fields)]
    for clause in query.required:
        accepted = Q()
        for option in clause.options:
            for field in fields:
                accepted |= Q(**{f"{field}__icontains": " ".join(option)})
        queryset = queryset.filter(accepted)
    pks = queryset.order_by("-created_at", "-pk").values_list("pk", flat=True)[:limit]
    return [(pk, 1.0 / (position + 1)) for position, pk in enumerate(pks)]


def search_index_ensure(*, using: str = "default") -> list[str]:
    """SQLite only: recreate the FTS5 triggers a later migration dropped (Django rebuilds a
    SQLite table to alter it, without its triggers) and refill those FTS5 tables, so that no
    write goes unindexed. Runs after every migrate and before each search (one cheap read of
    sqlite_master). Returns the tables it repaired."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    repaired = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cursor.fetchall()}
        for table, columns, _ in _migration.SOURCES:
            fts = f"{table}_fts"
            expected = {fts, *(f"{fts}_{event}" for event in ("insert", "update", "delete"))}
            # Only where migration 0002 made the FTS5 table: its triggers went with a rebuild.
            if fts in present and not expected <= present:
                for statement in _migration.sqlite_statements(table, columns):
                    cursor.execute(statement)
                repaired.append(table)
    return repaired


def search_index_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate receiver (connected in CommunityConfig.ready)."""
    search_index_ensure(using=using)
