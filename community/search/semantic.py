"""Semantic search: issues and pull requests whose stored embedding is close to the query's.

The query text is encoded by the `embed_query` task on the `embeddings` worker; the web process
waits STEWARD_SEARCH_EMBED_TIMEOUT seconds at most and never imports the model itself. In embedded
mode (no broker: tasks would run eagerly, in the web process) a search does not encode its query at
all (loading the model there would take seconds and import torch): it answers with word matches
and the neighbours of the best one, from stored vectors, and says so (`needs_worker`). With a
broker, when the worker cannot answer in time (not running, no result backend, broker down),
search goes on with full-text matches and says why. Query vectors
are cached, so paging through results encodes once. The neighbours come from the stored vectors
(`models_hub.embeddings.search`: pgvector HNSW on PostgreSQL with the extension, numpy elsewhere).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

from community.models import Issue, PullRequest, Repository
from community.search.fulltext import Hit
from community.search.tasks import embed_query
from models_hub.embeddings.config import embedding_model_id
from models_hub.embeddings.search import embeddings_nearest
from models_hub.models import Embedding, EmbeddingKind

logger = logging.getLogger(__name__)

QUERY_VECTOR_CACHE_SECONDS = 3600
# Neighbours fetched per wanted hit: some fall to the caller's filters (state, deleted items).
OVERFETCH = 3
KINDS = {EmbeddingKind.ISSUE: "issue", EmbeddingKind.PULL_REQUEST: "pull"}


@dataclass(frozen=True)
class SemanticOutcome:
    hits: list[Hit] = field(default_factory=list)
    note: str = ""  # why semantic matches are missing, when they are
    ran: bool = False
    # Embedded mode: there is no worker to encode the query (see `query_vector`).
    needs_worker: bool = False
    neighbours_of: Issue | PullRequest | None = None  # then: the word match whose neighbours


@dataclass(frozen=True)
class QueryVector:
    model_id: str
    vector: np.ndarray


NO_WORKER = "meaning search needs the embeddings worker"


def encodes_in_web_process() -> bool:
    """True when sending `embed_query` would run it here, in the web process (no broker, eager
    tasks), unless STEWARD_SEARCH_ENCODE_IN_PROCESS allows it (tests, with a fake encoder)."""
    return bool(settings.CELERY_TASK_ALWAYS_EAGER) and not settings.STEWARD_SEARCH_ENCODE_IN_PROCESS


def query_vector(text: str) -> QueryVector | str:
    """The query's vector, or the reason it could not be had (NO_WORKER in embedded mode)."""
    if encodes_in_web_process():
        return NO_WORKER
    model_id = embedding_model_id()
    key = "search:query-vector:" + hashlib.sha256(f"{model_id}\n{text}".encode()).hexdigest()
    cached = cache.get(key)
    if cached is None:
        timeout = float(settings.STEWARD_SEARCH_EMBED_TIMEOUT)
        try:
            result = embed_query.apply_async(args=[text], expires=timeout, retry=False)
            cached = result.get(timeout=timeout)
        # Whatever the worker or the broker did (not running, no result backend, an error),
        # full-text results still answer, with a note saying why semantic ones are missing.
        except Exception:
            logger.warning("query embedding failed; full-text results only", exc_info=True)
            return "the embedding worker did not answer in time"
        cache.set(key, cached, QUERY_VECTOR_CACHE_SECONDS)
    return QueryVector(
        model_id=str(cached["model_id"]), vector=np.asarray(cached["vector"], dtype=np.float32)
    )


def _candidates(repositories, issues, pull_requests) -> QuerySet[Embedding]:
    candidates = Embedding.objects.filter(repository__in=repositories)
    if issues is None:
        candidates = candidates.filter(issue__isnull=True)
    if pull_requests is None:
        candidates = candidates.filter(pull_request__isnull=True)
    return candidates


def semantic_ranked(
    *,
    text: str,
    repositories: QuerySet[Repository],
    issues: QuerySet[Issue] | None,
    pull_requests: QuerySet[PullRequest] | None,
    limit: int,
    min_similarity: float,
) -> SemanticOutcome:
    """Up to `limit` items among `issues` and `pull_requests` (None: that kind is not wanted),
    most similar first, at least `min_similarity` (cosine) to the query."""
    candidates = _candidates(repositories, issues, pull_requests)
    if (issues is None and pull_requests is None) or not text.strip() or limit <= 0:
        return SemanticOutcome()
    if not candidates.filter(model_id=embedding_model_id()).exists():
        return SemanticOutcome(note="no issue has been embedded yet")
    vector = query_vector(text)
    if isinstance(vector, str):
        return SemanticOutcome(note=vector, needs_worker=vector == NO_WORKER)
    hits = _neighbours(vector, candidates, issues, pull_requests, limit, min_similarity)
    return SemanticOutcome(hits=hits, ran=True)


def similar_ranked(
    *,
    item: Issue | PullRequest,
    repositories: QuerySet[Repository],
    issues: QuerySet[Issue] | None,
    pull_requests: QuerySet[PullRequest] | None,
    limit: int,
    min_similarity: float,
) -> SemanticOutcome:
    """Items similar to `item`, from its stored vector alone (no encoding, no worker)."""
    field = "pull_request" if isinstance(item, PullRequest) else "issue"
    stored = Embedding.objects.filter(**{field: item}, model_id=embedding_model_id()).first()
    if stored is None:
        return SemanticOutcome(note="that item has no stored embedding yet")
    vector = QueryVector(model_id=stored.model_id, vector=stored.as_array())
    candidates = _candidates(repositories, issues, pull_requests).exclude(pk=stored.pk)
    hits = _neighbours(vector, candidates, issues, pull_requests, limit, min_similarity)
    return SemanticOutcome(hits=hits, ran=True)


def _neighbours(
    vector: QueryVector, candidates, issues, pull_requests, limit: int, min_similarity: float
) -> list[Hit]:
    neighbours = embeddings_nearest(
        vector=vector.vector,
        candidates=candidates,
        model_id=vector.model_id,
        limit=limit * OVERFETCH,
    )
    close = [n for n in neighbours if n.score >= min_similarity]
    allowed = {
        "issue": _allowed(issues, [n.object_id for n in close if n.kind == EmbeddingKind.ISSUE]),
        "pull": _allowed(
            pull_requests, [n.object_id for n in close if n.kind == EmbeddingKind.PULL_REQUEST]
        ),
    }
    hits = [
        Hit(kind=KINDS[n.kind], pk=n.object_id, score=n.score)
        for n in close
        if n.object_id in allowed[KINDS[n.kind]]
    ]
    return hits[:limit]


def _allowed(queryset: QuerySet | None, pks: list[int]) -> set[int]:
    if queryset is None or not pks:
        return set()
    return set(queryset.filter(pk__in=pks).values_list("pk", flat=True))
