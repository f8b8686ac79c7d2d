"""Nearest-neighbour search over stored embeddings, one interface for every database.

`embeddings_nearest` ranks a queryset of embeddings (the caller's filters: repository, state,
dates…) by cosine similarity to a vector. On PostgreSQL with pgvector it orders by the HNSW
index; everywhere else it loads the candidates' float32 bytes and ranks them exactly with numpy.
Both return the same neighbours for the same data (tested on a fixed set).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from django.db import connections, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from models_hub.embeddings.config import embedding_model_id
from models_hub.embeddings.pgvector import COLUMN, TABLE, pgvector_enabled, vector_literal
from models_hub.models import Embedding, EmbeddingKind

# HNSW candidates examined per query (pgvector's default is 40): more is slower but closer to exact.
# pgvector before 0.8 filters after the index scan: when the caller's filter leaves fewer than
# `limit` of them, a second pass examines pgvector's most (1,000) before ranking every candidate
# exactly (a million vectors: ~15 ms per pass against ~400 ms for the exact scan).
HNSW_EF_SEARCH_STEPS = (200, 1000)
HNSW_EF_SEARCH_MAX = 1000  # pgvector's bound

Backend = Literal["pgvector", "numpy"]


@dataclass(frozen=True)
class Neighbour:
    kind: EmbeddingKind
    object_id: int
    score: float  # cosine similarity, 1.0 = same direction


def vector_search_backend(*, using: str = "default") -> Backend:
    return "pgvector" if pgvector_enabled(using=using) else "numpy"


def embeddings_nearest(
    *,
    vector: np.ndarray,
    candidates: QuerySet[Embedding] | None = None,
    model_id: str | None = None,
    limit: int = 10,
    backend: Backend | None = None,
) -> list[Neighbour]:
    """The `limit` candidates most similar to `vector`, best first.

    Only embeddings of `model_id` (default: the configured model) with the vector's dimension
    are compared: vectors of different models live in different spaces. `backend` defaults to
    the database's best; "numpy" forces the exact scan anywhere.
    """
    query = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(query))
    if limit <= 0 or norm == 0.0:
        return []
    query = query / norm
    queryset = candidates if candidates is not None else Embedding.objects.all()
    queryset = queryset.filter(model_id=model_id or embedding_model_id(), dimensions=query.size)
    if (backend or vector_search_backend(using=queryset.db)) == "pgvector":
        return _pgvector_nearest(queryset, query, limit)
    return _numpy_nearest(queryset, query, limit)


def _neighbour(issue_id: int | None, pull_request_id: int | None, score: float) -> Neighbour:
    if issue_id is not None:
        return Neighbour(kind=EmbeddingKind.ISSUE, object_id=issue_id, score=score)
    return Neighbour(kind=EmbeddingKind.PULL_REQUEST, object_id=pull_request_id, score=score)


def _numpy_nearest(queryset: QuerySet[Embedding], query: np.ndarray, limit: int) -> list[Neighbour]:
    rows = list(queryset.values_list("issue_id", "pull_request_id", "vector"))
    if not rows:
        return []
    matrix = Embedding.decode(b"".join(bytes(row[2]) for row in rows))
    scores = matrix.reshape(len(rows), query.size) @ query
    best = np.argsort(-scores, kind="stable")[:limit]
    return [_neighbour(rows[i][0], rows[i][1], float(scores[i])) for i in best]


def pgvector_ranked(queryset: QuerySet[Embedding], query: np.ndarray, limit: int) -> QuerySet:
    """(issue id, PR id, cosine distance) rows ordered by distance, as pgvector runs them."""
    size = int(query.size)
    # The same expression as the partial HNSW index, so PostgreSQL can order by the index.
    distance = RawSQL(
        f'"{TABLE}"."{COLUMN}"::vector({size}) <=> %s::vector({size})', (vector_literal(query),)
    )
    return (
        queryset.filter(dimensions=size)
        .annotate(distance=distance)
        .order_by("distance")
        .values_list("issue_id", "pull_request_id", "distance")[:limit]
    )


def _pgvector_nearest(
    queryset: QuerySet[Embedding], query: np.ndarray, limit: int
) -> list[Neighbour]:
    ranked = pgvector_ranked(queryset, query, limit)
    rows: list[tuple] = []
    steps = sorted({min(max(step, limit), HNSW_EF_SEARCH_MAX) for step in HNSW_EF_SEARCH_STEPS})
    for ef_search in steps:
        rows = _run(ranked, "SET LOCAL hnsw.ef_search = %s", [ef_search])
        if len(rows) >= limit:
            break
    else:
        # A selective filter starved every pass: rank its candidates exactly, unless there
        # are no more than were found (one row past them, not a count of a million).
        if _has_more(queryset, len(rows)):
            rows = _run(ranked, "SET LOCAL enable_indexscan = off", [])
    return [_neighbour(issue, pr, 1.0 - float(dist)) for issue, pr, dist in rows]


def _has_more(queryset: QuerySet[Embedding], found: int) -> bool:
    return queryset.order_by().values_list("pk", flat=True)[found : found + 1].exists()


def _run(ranked: QuerySet, setting: str, params: list) -> list[tuple]:
    using = ranked.db
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(setting, params)
        # A fresh query each time: a queryset keeps the rows it fetched, and the next pass
        # must run under its own setting, not read the last pass's rows.
        return list(ranked.all())
