"""The registry of the models Steward trains and hosts.

- `RegisteredModel`: a named model (slug), its task, licence, tags, optional repository (whose
  visibility it follows), the benchmark it declares as its evaluation, and the prose of its card
  that maintainers edited.
- `ModelVersion`: one immutable trained version with its lineage (base model, training-data
  snapshot, hyperparameters, seed, code version, who or what trained it, timings) and the metrics
  its evaluation measured.
- `ModelFile`: the files of a version (weights, config, card, labels), each content-addressed by
  sha256 in the model storage (`STORAGES["models"]`).
- `ModelAlias` / `AliasEvent`: named pointers to versions (`champion` is the one triage uses) and
  the history of every move (who, when, from → to, why, the metrics then). Aliases move only
  through `models_hub.registry.aliases.alias_move`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

CHAMPION = "champion"


class ModelKind(models.TextChoices):
    """What code loads a version's files (the registry itself knows none of them)."""

    LABEL_CLASSIFIER = "label-classifier", "Label classifier"


class ModelTask(models.TextChoices):
    TEXT_CLASSIFICATION = "text-classification", "Text classification"


class TrainedVia(models.TextChoices):
    CLI = "cli", "Command line"
    SCHEDULE = "schedule", "Schedule"
    WEB = "web", "Web"
    WORKER = "worker", "Worker"
    DEMO = "demo", "Demo"
    UPLOAD = "upload", "Upload"
    MIGRATION = "migration", "Migration"


class RegisteredModel(models.Model):
    name = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=40, choices=ModelKind.choices)
    task = models.CharField(
        max_length=60, choices=ModelTask.choices, default=ModelTask.TEXT_CLASSIFICATION
    )
    description = models.TextField(blank=True)
    license = models.CharField(max_length=60, default="apache-2.0")
    tags = models.JSONField(default=list, blank=True)
    repository = models.ForeignKey(
        "community.Repository",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="registered_models",
        help_text="A model of a private repository is as private as the repository",
    )
    benchmark = models.ForeignKey(
        "models_hub.Benchmark",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="declaring_models",
        help_text="The declared evaluation; empty: the repository's own k-fold evaluation",
    )
    benchmark_subset = models.CharField(
        max_length=200,
        blank=True,
        help_text="The benchmark's part this model is scored on (e.g. one repository)",
    )
    card_sections = models.JSONField(
        default=dict, blank=True, help_text="Prose sections of the card edited by maintainers"
    )
    downloads = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "repository"],
                condition=models.Q(repository__isnull=False),
                name="registeredmodel_one_per_kind_repository",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ModelVersion(models.Model):
    """One trained version; nothing but its download count changes after it is registered.

    Versions count up per model. `sha256` is the weights file's (versions with the same weights
    are one version). `metrics` is what its evaluation measured (k-fold macro F1, per-label
    scores, coverage at the calibrated threshold, the out-of-fold precision-coverage curve);
    `metadata` anything else the trainer recorded.
    """

    model = models.ForeignKey(RegisteredModel, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, help_text="sha256 of the weights file")
    base_model_id = models.CharField(max_length=200, blank=True)
    base_model_revision = models.CharField(max_length=100, blank=True)
    training_rows = models.PositiveIntegerField(default=0)
    training_label_counts = models.JSONField(default=dict, blank=True)
    training_sha256 = models.CharField(
        max_length=64, blank=True, help_text="sha256 of the exact training set"
    )
    hyperparameters = models.JSONField(default=dict, blank=True)
    seed = models.IntegerField(null=True, blank=True)
    code_version = models.CharField(max_length=100, blank=True)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    trained_via = models.CharField(max_length=20, choices=TrainedVia.choices, blank=True)
    command = models.TextField(blank=True, help_text="The command that reproduces this version")
    train_seconds = models.FloatField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    trained_at = models.DateTimeField()
    downloads = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["model_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["model", "version"], name="modelversion_model_version")
        ]
        indexes = [models.Index(fields=["sha256"], name="modelversion_sha256")]

    def __str__(self) -> str:
        return f"{self.model.name}@v{self.version}"

    @property
    def embedding_model_id(self) -> str:
        """The base sentence-transformers model a label classifier reads embeddings of."""
        return self.base_model_id


class ModelFile(models.Model):
    version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="files")
    path = models.CharField(max_length=200, help_text="Name in the version's folder")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    storage_key = models.CharField(
        max_length=300, help_text="Content-addressed name in the model storage"
    )
    content_type = models.CharField(max_length=100, default="application/octet-stream")
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version_id", "path"]
        constraints = [
            models.UniqueConstraint(fields=["version", "path"], name="modelfile_version_path")
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.path}"


class ModelAlias(models.Model):
    model = models.ForeignKey(RegisteredModel, on_delete=models.CASCADE, related_name="aliases")
    name = models.SlugField(max_length=60)
    version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="aliases")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["model_id", "name"]
        verbose_name_plural = "model aliases"
        constraints = [
            models.UniqueConstraint(fields=["model", "name"], name="modelalias_model_name")
        ]

    def __str__(self) -> str:
        return f"{self.model.name}@{self.name}"


class AliasEvent(models.Model):
    """One move of an alias: set, moved from one version to another, or removed."""

    model = models.ForeignKey(
        RegisteredModel, on_delete=models.CASCADE, related_name="alias_events"
    )
    alias = models.SlugField(max_length=60)
    from_version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(
        max_length=100, help_text="Who or what moved it: a username, schedule, cli, demo…"
    )
    reason = models.TextField(blank=True)
    forced = models.BooleanField(
        default=False, help_text="Promoted by a maintainer although the gate did not pass"
    )
    metrics = models.JSONField(
        default=dict, blank=True, help_text="The evaluation of both versions at that moment"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.model.name}@{self.alias}: {self.from_version_id} → {self.to_version_id}"
