"""Services that write embeddings: encode what changed, store it, mirror it for pgvector.

Importable in the web process: the encoder (and torch) is only loaded when there is something
to encode and no encoder was passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.db import transaction

from community.models import Issue, PullRequest
from models_hub.embeddings.config import embedding_model_id
from models_hub.embeddings.pgvector import pgvector_enabled, pgvector_index_ensure, pgvector_mirror
from models_hub.embeddings.text import issue_text, text_hash
from models_hub.models import Embedding, EmbeddingKind

if TYPE_CHECKING:
    from models_hub.embeddings.encoder import Encoder


@dataclass(frozen=True)
class EmbedResult:
    encoded: int  # new or changed texts, encoded now
    unchanged: int  # stored vector already matches the text and model

    def __add__(self, other: EmbedResult) -> EmbedResult:
        return EmbedResult(self.encoded + other.encoded, self.unchanged + other.unchanged)


@dataclass(frozen=True)
class VectorRow:
    kind: EmbeddingKind
    object_id: int
    repository_id: int
    text_hash: str
    vector: np.ndarray


_TARGETS = {
    EmbeddingKind.ISSUE: (Issue, "issue"),
    EmbeddingKind.PULL_REQUEST: (PullRequest, "pull_request"),
}


def issues_embed(*, issue_ids: Sequence[int], encoder: Encoder | None = None) -> EmbedResult:
    """Embed these issues' texts where the stored vector is missing or stale."""
    return _embed(EmbeddingKind.ISSUE, issue_ids, encoder)


def pull_requests_embed(
    *, pull_request_ids: Sequence[int], encoder: Encoder | None = None
) -> EmbedResult:
    """Embed these pull requests' texts where the stored vector is missing or stale."""
    return _embed(EmbeddingKind.PULL_REQUEST, pull_request_ids, encoder)


def _embed(kind: EmbeddingKind, ids: Sequence[int], encoder: Encoder | None) -> EmbedResult:
    model, field = _TARGETS[kind]
    model_id = encoder.model_id if encoder is not None else embedding_model_id()
    items = model.objects.filter(pk__in=list(ids), deleted_at__isnull=True).values_list(
        "id", "repository_id", "title", "body"
    )
    texts = {pk: (repo, issue_text(title=title, body=body)) for pk, repo, title, body in items}
    stored = dict(
        Embedding.objects.filter(**{f"{field}__in": list(texts)}, model_id=model_id).values_list(
            f"{field}_id", "text_hash"
        )
    )
    todo = [pk for pk, (_, text) in texts.items() if stored.get(pk) != text_hash(text)]
    if todo:
        if encoder is None:
            from models_hub.embeddings.encoder import get_encoder

            encoder = get_encoder()
        vectors = encoder.encode([texts[pk][1] for pk in todo])
        rows = [
            VectorRow(kind, pk, texts[pk][0], text_hash(texts[pk][1]), vector)
            for pk, vector in zip(todo, vectors, strict=True)
        ]
        embeddings_save(rows=rows, model_id=model_id)
    return EmbedResult(encoded=len(todo), unchanged=len(texts) - len(todo))


def embeddings_save(*, rows: Sequence[VectorRow], model_id: str) -> None:
    """Insert or replace vectors (one per object and model) in one transaction."""
    by_kind: dict[EmbeddingKind, list[Embedding]] = {}
    for row in rows:
        vector = np.asarray(row.vector)
        _, field = _TARGETS[row.kind]
        by_kind.setdefault(row.kind, []).append(
            Embedding(
                repository_id=row.repository_id,
                model_id=model_id,
                dimensions=vector.size,
                text_hash=row.text_hash,
                vector=Embedding.encode(vector),
                **{f"{field}_id": row.object_id},
            )
        )
    mirrored = pgvector_enabled(using="default")
    if mirrored:
        for size in {row.vector.size for row in rows}:
            pgvector_index_ensure(dimensions=size)
    with transaction.atomic():
        for kind, objects in by_kind.items():
            _, field = _TARGETS[kind]
            Embedding.objects.bulk_create(
                objects,
                update_conflicts=True,
                unique_fields=[field, "model_id"],
                update_fields=["repository", "dimensions", "text_hash", "vector", "updated_at"],
            )
        if mirrored:
            pgvector_mirror(
                rows=[(f"{_TARGETS[r.kind][1]}_id", r.object_id, model_id, r.vector) for r in rows],
                using="default",
            )
