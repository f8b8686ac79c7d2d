"""The model registry: content-addressed artifacts, version numbers, one active version."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from django.db import IntegrityError

from models_hub.models import ModelKind, ModelVersion
from models_hub.registry import (
    ArtifactError,
    artifact_path,
    label_classifier_for,
    model_version_activate,
    model_version_active,
    model_version_create,
)
from models_hub.triage.labels import label_classifier_save, label_classifier_train
from tests.factories import ModelVersionFactory, RepositoryFactory

pytestmark = pytest.mark.django_db
KIND = ModelKind.LABEL_CLASSIFIER


def _artifact(folder: Path, name: str, *, seed: int) -> Path:
    """A real label-classifier safetensors file (distinct bytes per seed)."""
    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((8, 4)).astype(np.float32)
    texts = [f"crash number {i}" for i in range(4)] + [f"feature idea {i}" for i in range(4)]
    classifier = label_classifier_train(
        texts=texts, vectors=vectors, labels=["bug"] * 4 + ["feature"] * 4, embedding_model_id="m"
    )
    path = folder / name
    label_classifier_save(classifier=classifier, path=path)
    return path


def _create(repository, path: Path, *, activate: bool = True, **metadata) -> ModelVersion:
    return model_version_create(
        kind=KIND,
        repository=repository,
        path_of_temp_artifact=path,
        metadata={"embedding_model_id": "m", "trained_at": "2026-01-02T03:04:05+00:00", **metadata},
        metrics={"macro_f1": 0.9},
        activate=activate,
    )


def test_artifact_is_stored_under_its_sha256_and_read_only(model_store, tmp_path):
    repository = RepositoryFactory()
    source = _artifact(tmp_path, "a.safetensors", seed=1)

    version = _create(repository, source)

    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    stored = artifact_path(version)
    assert version.sha256 == sha and version.artifact == f"{sha}.safetensors"
    assert stored == model_store / f"{sha}.safetensors"
    assert stored.read_bytes() == source.read_bytes()
    assert version.size_bytes == stored.stat().st_size
    assert not stored.stat().st_mode & 0o222  # nobody may write it
    assert source.exists()  # the caller's file is the caller's
    assert version.embedding_model_id == "m" and version.trained_at.year == 2026
    assert [p.name for p in model_store.iterdir()] == [stored.name]  # no temporary leftovers


def test_versions_count_up_per_repository_and_only_the_latest_activated_is_active(
    model_store, tmp_path
):
    widgets, tools = RepositoryFactory(), RepositoryFactory()
    first = _create(widgets, _artifact(tmp_path, "1.safetensors", seed=1))
    second = _create(widgets, _artifact(tmp_path, "2.safetensors", seed=2))
    elsewhere = _create(tools, _artifact(tmp_path, "3.safetensors", seed=3))
    inactive = _create(widgets, _artifact(tmp_path, "4.safetensors", seed=4), activate=False)

    assert [first.version, second.version, inactive.version, elsewhere.version] == [1, 2, 3, 1]
    assert model_version_active(kind=KIND, repository=widgets) == second
    assert model_version_active(kind=KIND, repository=tools) == elsewhere
    assert set(ModelVersion.objects.filter(is_active=True)) == {second, elsewhere}

    model_version_activate(version=first)
    assert model_version_active(kind=KIND, repository=widgets) == first
    assert ModelVersion.objects.filter(repository=widgets, is_active=True).count() == 1


def test_the_same_bytes_twice_reuse_the_file_and_the_version(model_store, tmp_path):
    repository, other = RepositoryFactory(), RepositoryFactory()
    source = _artifact(tmp_path, "a.safetensors", seed=1)
    copy = tmp_path / "copy.safetensors"
    copy.write_bytes(source.read_bytes())
    original = _create(repository, source, activate=False)

    again = _create(repository, copy, activate=True)
    shared = _create(other, copy)

    assert again.pk == original.pk and again.is_active
    assert ModelVersion.objects.filter(repository=repository).count() == 1
    assert shared.pk != original.pk and shared.sha256 == original.sha256
    assert len(list(model_store.iterdir())) == 1


def test_a_stored_artifact_is_never_overwritten(model_store, tmp_path):
    repository = RepositoryFactory()
    source = _artifact(tmp_path, "a.safetensors", seed=1)
    version = _create(repository, source)
    stored = artifact_path(version)
    stored.chmod(0o644)
    stored.write_bytes(b"tampered")

    with pytest.raises(ArtifactError, match="does not match"):
        _create(repository, source)
    assert stored.read_bytes() == b"tampered"


@pytest.mark.parametrize(
    "content", [b"", b"\x10\x00\x00\x00\x00\x00\x00\x00{not json", b"not a model at all"]
)
def test_only_safetensors_files_are_accepted(model_store, tmp_path, content):
    bogus = tmp_path / "model.pt"
    bogus.write_bytes(content)

    with pytest.raises(ArtifactError):
        _create(RepositoryFactory(), bogus)
    assert ModelVersion.objects.count() == 0
    assert not model_store.exists() or not any(model_store.iterdir())


def test_one_active_version_per_kind_and_repository_is_enforced_by_the_database():
    repository = RepositoryFactory()
    ModelVersionFactory(repository=repository, is_active=True)
    with pytest.raises(IntegrityError):
        ModelVersionFactory(repository=repository, is_active=True)


def test_label_classifier_for_loads_the_active_artifact_and_refuses_a_changed_file(
    model_store, tmp_path
):
    repository = RepositoryFactory()
    assert label_classifier_for(repository) is None
    version = _create(repository, _artifact(tmp_path, "a.safetensors", seed=11))

    loaded = label_classifier_for(repository)

    assert loaded.version == version
    assert loaded.classifier.labels == ["bug", "feature"]
    assert label_classifier_for(repository).classifier is loaded.classifier  # cached by sha256

    tampered = _create(repository, _artifact(tmp_path, "b.safetensors", seed=12))
    artifact_path(tampered).chmod(0o644)
    artifact_path(tampered).write_bytes(artifact_path(version).read_bytes())
    with pytest.raises(ArtifactError):
        label_classifier_for(repository)
