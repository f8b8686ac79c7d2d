"""Embeddings: one vector per issue or pull request and embedding model."""

from __future__ import annotations

import numpy as np
from django.db import models


class EmbeddingKind(models.TextChoices):
    ISSUE = "issue"
    PULL_REQUEST = "pull_request"


class Embedding(models.Model):
    """The vector of an issue's or a pull request's prepared text under one model.

    Issues and pull requests are separate tables, so the row points at exactly one of them through
    two nullable foreign keys (a check constraint keeps exactly one set): deleting the issue
    deletes its vectors, and searches filter on the issue's state with a plain join.

    `vector` holds the unit-length float32 vector as little-endian bytes on every database; it is
    the source of truth. On PostgreSQL with the pgvector extension, a `vector_pg` column that the
    ORM does not know about mirrors it for HNSW search (see `models_hub.embeddings.pgvector`).
    """

    repository = models.ForeignKey(
        "community.Repository", on_delete=models.CASCADE, related_name="embeddings"
    )
    issue = models.ForeignKey(
        "community.Issue",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="embeddings",
    )
    pull_request = models.ForeignKey(
        "community.PullRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="embeddings",
    )
    model_id = models.CharField(max_length=200, help_text="Embedding model name or path")
    dimensions = models.PositiveSmallIntegerField()
    text_hash = models.CharField(max_length=64, help_text="sha256 of the encoded text")
    vector = models.BinaryField(help_text="float32 little-endian, unit length")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(issue__isnull=False, pull_request__isnull=True)
                    | models.Q(issue__isnull=True, pull_request__isnull=False)
                ),
                name="embedding_issue_xor_pull_request",
            ),
            # NULLs are distinct in unique constraints: PR rows never collide on (issue, model).
            models.UniqueConstraint(fields=["issue", "model_id"], name="embedding_issue_model"),
            models.UniqueConstraint(fields=["pull_request", "model_id"], name="embedding_pr_model"),
        ]
        indexes = [models.Index(fields=["repository", "model_id"], name="embedding_repo_model")]

    def __str__(self) -> str:
        target = f"issue {self.issue_id}" if self.issue_id else f"PR {self.pull_request_id}"
        return f"{target} · {self.model_id}"

    @property
    def kind(self) -> EmbeddingKind:
        return EmbeddingKind.ISSUE if self.issue_id else EmbeddingKind.PULL_REQUEST

    def as_array(self) -> np.ndarray:
        return Embedding.decode(self.vector)

    @staticmethod
    def decode(stored: bytes | memoryview) -> np.ndarray:
        """The `vector` column's bytes as float32 values: one vector, or several stored end to
        end (a whole candidate matrix in one copy; reshape to (rows, dimensions))."""
        return np.frombuffer(bytes(stored), dtype="<f4")

    @staticmethod
    def encode(vector) -> bytes:
        """What `vector` stores: the values as float32 little-endian bytes."""
        return np.ascontiguousarray(vector, dtype="<f4").tobytes()
