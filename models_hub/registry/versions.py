"""Registering models and their versions.

A version is registered with its files (checked and stored by `registry.files`) and its lineage
in one transaction; versions count up per model. Registering the same weights (sha256) twice for
one model returns the existing version instead of numbering a copy, so "version" always means
"different weights". A stored file left behind by a rolled-back transaction is harmless: it is
named by its content and the next registration of those bytes reuses it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import metadata as package_metadata
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from community.models import Repository
from models_hub.models import ModelFile, ModelVersion, RegisteredModel
from models_hub.registry.files import ArtifactError, blob_put, content_type_of

WEIGHTS = "model.safetensors"
# Two trainings of one model finishing together may pick the same next number once.
NUMBERING_ATTEMPTS = 3


@dataclass(frozen=True)
class Lineage:
    """Where a version comes from: what `ModelVersion` records besides its files and metrics."""

    base_model_id: str = ""
    base_model_revision: str = ""
    training_rows: int = 0
    training_label_counts: dict = field(default_factory=dict)
    training_sha256: str = ""
    hyperparameters: dict = field(default_factory=dict)
    seed: int | None = None
    trained_by: object = None  # a User, or None for a schedule / CLI
    trained_via: str = ""
    command: str = ""
    train_seconds: float | None = None
    trained_at: datetime | None = None


@cache
def steward_code_version() -> str:
    """Steward's package version and, in a git checkout, the commit: `0.1.0+g1a2b3c4`."""
    try:
        version = package_metadata.version("steward")
    except package_metadata.PackageNotFoundError:
        version = "0+unknown"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=10", "HEAD"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{version}+g{commit}" if commit else version


def registered_model_name(*, kind: str, repository: Repository | None, suffix: str = "") -> str:
    """`acme-widgets-label-classifier`: unique, readable, URL-safe."""
    scope = repository.full_name.replace("/", "-") if repository is not None else "global"
    return slugify(f"{scope}-{kind}{('-' + suffix) if suffix else ''}")[:120]


def registered_model_for_repository(
    *, kind: str, repository: Repository, **defaults
) -> RegisteredModel:
    """The repository's model of `kind`, created on first use."""
    found = RegisteredModel.objects.filter(kind=kind, repository=repository).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return RegisteredModel.objects.create(
                kind=kind,
                repository=repository,
                name=registered_model_name(kind=kind, repository=repository),
                **defaults,
            )
    except IntegrityError:  # created meanwhile by another worker
        return RegisteredModel.objects.get(kind=kind, repository=repository)


def model_version_register(
    *,
    model: RegisteredModel,
    files: Mapping[str, Path],
    lineage: Lineage,
    metrics: dict,
    metadata: dict | None = None,
) -> tuple[ModelVersion, bool]:
    """Store `files` ({name: local path}, with `model.safetensors` among them) and register them
    as the model's next version; (version, created). Every file is checked before anything is
    written: a bad file registers nothing."""
    if WEIGHTS not in files:
        raise ArtifactError(f"a version needs its weights as {WEIGHTS}")
    stored = {name: blob_put(name=name, path=Path(path)) for name, path in files.items()}
    fields = {
        "sha256": stored[WEIGHTS][0],
        "base_model_id": lineage.base_model_id,
        "base_model_revision": lineage.base_model_revision,
        "training_rows": lineage.training_rows,
        "training_label_counts": lineage.training_label_counts,
        "training_sha256": lineage.training_sha256,
        "hyperparameters": lineage.hyperparameters,
        "seed": lineage.seed,
        "code_version": steward_code_version(),
        "trained_by": lineage.trained_by,
        "trained_via": lineage.trained_via,
        "command": lineage.command,
        "train_seconds": lineage.train_seconds,
        "metadata": metadata or {},
        "metrics": metrics,
        "trained_at": lineage.trained_at or timezone.now(),
    }
    for attempt in range(NUMBERING_ATTEMPTS):
        try:
            with transaction.atomic():
                return _version_create(model, fields, stored)
        except IntegrityError:
            if attempt == NUMBERING_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _version_create(
    model: RegisteredModel, fields: dict, stored: dict
) -> tuple[ModelVersion, bool]:
    # Serialises registrations per model on PostgreSQL; SQLite serialises every write.
    RegisteredModel.objects.select_for_update().filter(pk=model.pk).first()
    existing = model.versions.filter(sha256=fields["sha256"]).first()
    if existing is not None:
        return existing, False
    number = (model.versions.aggregate(top=Max("version"))["top"] or 0) + 1
    version = ModelVersion.objects.create(model=model, version=number, **fields)
    ModelFile.objects.bulk_create(
        ModelFile(
            version=version,
            path=name,
            sha256=sha256,
            size=size,
            storage_key=key,
            content_type=content_type_of(name),
        )
        for name, (sha256, size, key) in sorted(stored.items())
    )
    RegisteredModel.objects.filter(pk=model.pk).update(updated_at=timezone.now())
    return version, True


def weights_file(version: ModelVersion) -> ModelFile:
    found = version.files.filter(path=WEIGHTS).first()
    if found is None:
        raise ArtifactError(f"{version} has no {WEIGHTS}")
    return found


def download_count(*, model_file: ModelFile) -> None:
    """Count one download of a file, of its version and of its model."""
    ModelFile.objects.filter(pk=model_file.pk).update(downloads=F("downloads") + 1)
    ModelVersion.objects.filter(pk=model_file.version_id).update(downloads=F("downloads") + 1)
    RegisteredModel.objects.filter(versions=model_file.version_id).update(
        downloads=F("downloads") + 1
    )
