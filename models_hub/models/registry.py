"""The registry of models Steward trains: one row per immutable, content-addressed version."""

from __future__ import annotations

from django.db import models


class ModelKind(models.TextChoices):
    LABEL_CLASSIFIER = "label-classifier", "Label classifier"


class ModelVersion(models.Model):
    """One trained model. Its artifact is a safetensors file named by its sha256 in the model
    store (STEWARD_MODEL_STORE); the row never changes after creation except `is_active`.

    Versions count up per (kind, repository). At most one version per (kind, repository) is
    active: the one triage uses. `metadata` is the training record (samples, label counts,
    hyperparameters, feedback used, embedding model); `metrics` what evaluation measured.
    """

    kind = models.CharField(max_length=40, choices=ModelKind.choices)
    repository = models.ForeignKey(
        "community.Repository",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="model_versions",
        help_text="Empty for a model not tied to one repository",
    )
    version = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, help_text="sha256 of the artifact file")
    artifact = models.CharField(
        max_length=300, help_text="Path of the safetensors file, relative to the model store"
    )
    size_bytes = models.PositiveBigIntegerField(default=0)
    embedding_model_id = models.CharField(max_length=200)
    metadata = models.JSONField(default=dict, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    trained_at = models.DateTimeField()
    is_active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "repository_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "repository", "version"], name="modelversion_kind_repo_version"
            ),
            models.UniqueConstraint(
                fields=["kind", "repository"],
                condition=models.Q(is_active=True),
                name="modelversion_one_active",
            ),
        ]
        indexes = [models.Index(fields=["sha256"], name="modelversion_sha256")]

    def __str__(self) -> str:
        scope = self.repository.full_name if self.repository_id else "global"
        return f"{self.kind} {scope} v{self.version}"
