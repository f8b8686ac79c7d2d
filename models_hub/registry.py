"""The model registry: immutable, content-addressed artifacts and their numbered versions.

An artifact is one safetensors file stored as `<STEWARD_MODEL_STORE>/<sha256>.safetensors`. The
file is written once (to a temporary name in the store, then renamed) and never overwritten: the
same bytes always land at the same path, so two versions may share a file. A `ModelVersion` row
points at it; versions count up per (kind, repository) and at most one of them is active.

Decision on registering the same artifact twice for the same (kind, repository): the existing
version is returned (activated if asked) instead of numbering a copy, so "version" always means
"different weights". A file left behind by a transaction that rolled back is harmless: it is
named by its content and the next registration of those bytes reuses it.

Importable in the web process (the admin activates versions): safetensors and the classifier
are imported only when an artifact is loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from community.models import Repository
from models_hub.models import ModelKind, ModelVersion

if TYPE_CHECKING:
    from models_hub.triage.labels import LabelClassifier

SUFFIX = ".safetensors"
# Two trainings of one repository finishing together may pick the same next number once.
NUMBERING_ATTEMPTS = 3
# A safetensors header is JSON; anything claiming more than this is not one of ours.
MAX_HEADER_BYTES = 100 * 1024 * 1024

_loaded: dict[str, LabelClassifier] = {}
_loaded_lock = threading.Lock()


class ArtifactError(ValueError):
    """The file is not a safetensors file, or a stored artifact does not match its hash."""


def model_store() -> Path:
    return Path(settings.STEWARD_MODEL_STORE)


def artifact_path(version: ModelVersion) -> Path:
    return model_store() / version.artifact


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def safetensors_check(path: Path) -> None:
    """Raise ArtifactError unless `path` has a safetensors layout: an 8-byte little-endian
    header length, then that many bytes of a JSON object, then the tensor data."""
    size = Path(path).stat().st_size
    with Path(path).open("rb") as handle:
        prefix = handle.read(8)
        length = int.from_bytes(prefix, "little") if len(prefix) == 8 else -1
        if not 2 <= length <= min(size - 8, MAX_HEADER_BYTES):
            raise ArtifactError(f"{Path(path).name} is not a safetensors file")
        try:
            header = json.loads(handle.read(length))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ArtifactError(f"{Path(path).name} has no safetensors header") from error
    if not isinstance(header, dict):
        raise ArtifactError(f"{Path(path).name} has no safetensors header")


def artifact_store(*, path: Path) -> tuple[str, int]:
    """Copy a safetensors file into the store under its sha256 (once); return (sha256, size).

    The source file is left where it is: the caller owns it (usually a temporary file).
    """
    safetensors_check(path)
    sha256 = file_sha256(path)
    store = model_store()
    store.mkdir(parents=True, exist_ok=True)
    target = store / f"{sha256}{SUFFIX}"
    if target.exists():
        if file_sha256(target) != sha256:
            raise ArtifactError(f"stored artifact {target.name} does not match its name")
        return sha256, target.stat().st_size
    descriptor, partial = tempfile.mkstemp(dir=store, prefix=".incoming-", suffix=SUFFIX)
    os.close(descriptor)
    try:
        shutil.copyfile(path, partial)
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(partial, 0o444)
        # Atomic: readers see the whole file or none. A concurrent writer of the same name
        # writes the same bytes, so replacing its file changes nothing.
        os.replace(partial, target)
    finally:
        Path(partial).unlink(missing_ok=True)
    return sha256, target.stat().st_size


def model_version_create(
    *,
    kind: str,
    repository: Repository | None,
    path_of_temp_artifact: Path,
    metadata: dict,
    metrics: dict,
    activate: bool,
    embedding_model_id: str | None = None,
    trained_at: datetime | None = None,
) -> ModelVersion:
    """Store the artifact and register it as the next version (or return the version that
    already has these exact bytes). `embedding_model_id` and `trained_at` default to the
    metadata's entries of those names."""
    sha256, size = artifact_store(path=path_of_temp_artifact)
    fields = {
        "sha256": sha256,
        "artifact": f"{sha256}{SUFFIX}",
        "size_bytes": size,
        "embedding_model_id": embedding_model_id or str(metadata.get("embedding_model_id", "")),
        "metadata": metadata,
        "metrics": metrics,
        "trained_at": trained_at or _metadata_time(metadata) or timezone.now(),
    }
    for attempt in range(NUMBERING_ATTEMPTS):
        try:
            with transaction.atomic():
                version = _version_create(kind, repository, fields)
                if activate:
                    version = model_version_activate(version=version)
            return version
        except IntegrityError:
            if attempt == NUMBERING_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _version_create(kind: str, repository: Repository | None, fields: dict) -> ModelVersion:
    if repository is not None:
        # Serialises registrations per repository on PostgreSQL; SQLite serialises every write.
        Repository.objects.select_for_update().filter(pk=repository.pk).first()
    versions = ModelVersion.objects.filter(kind=kind, repository=repository)
    existing = versions.filter(sha256=fields["sha256"]).first()
    if existing is not None:
        return existing
    number = (versions.aggregate(top=Max("version"))["top"] or 0) + 1
    return ModelVersion.objects.create(kind=kind, repository=repository, version=number, **fields)


def _metadata_time(metadata: dict) -> datetime | None:
    raw = metadata.get("trained_at")
    if not raw:
        return None
    return datetime.fromisoformat(str(raw))


def model_version_activate(*, version: ModelVersion) -> ModelVersion:
    """Make `version` the one triage uses for its kind and repository (atomically)."""
    with transaction.atomic():
        siblings = ModelVersion.objects.select_for_update().filter(
            kind=version.kind, repository_id=version.repository_id
        )
        # Deactivate first: the partial unique constraint allows one active row at any moment.
        siblings.filter(is_active=True).exclude(pk=version.pk).update(is_active=False)
        siblings.filter(pk=version.pk).update(is_active=True)
    version.refresh_from_db(fields=["is_active"])
    return version


def model_version_active(*, kind: str, repository: Repository | None) -> ModelVersion | None:
    return ModelVersion.objects.filter(kind=kind, repository=repository, is_active=True).first()


@dataclass(frozen=True)
class ActiveLabelClassifier:
    version: ModelVersion
    classifier: LabelClassifier


def label_classifier_for(repository: Repository) -> ActiveLabelClassifier | None:
    """The repository's active label classifier, loaded once per process per artifact (the
    cache is keyed by sha256, so activating another version takes effect on the next call)."""
    version = model_version_active(kind=ModelKind.LABEL_CLASSIFIER, repository=repository)
    if version is None:
        return None
    return ActiveLabelClassifier(version=version, classifier=label_classifier_of(version))


def label_classifier_of(version: ModelVersion) -> LabelClassifier:
    from models_hub.triage.labels import label_classifier_load

    with _loaded_lock:
        if version.sha256 not in _loaded:
            path = artifact_path(version)
            # Checked once per process: a file changed on disk is refused, not used.
            if file_sha256(path) != version.sha256:
                raise ArtifactError(f"{path.name} does not match the sha256 of {version}")
            _loaded[version.sha256] = label_classifier_load(path=path)
        return _loaded[version.sha256]
