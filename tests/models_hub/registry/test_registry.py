"""The model registry: checked, content-addressed files; versions counted per model; aliases that
move only through the service, with their history; the champion gate."""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path

import numpy as np
import pytest
from django.db import IntegrityError

from models_hub.models import CHAMPION, AliasEvent, ModelAlias, ModelFile, ModelKind, ModelVersion
from models_hub.registry.aliases import AliasError, alias_move, alias_remove, champion_for
from models_hub.registry.files import (
    ArtifactError,
    blob_key,
    file_verified_chunks,
    safetensors_check,
)
from models_hub.registry.promotion import PromotionRefused, champion_gate, version_promote
from models_hub.registry.versions import (
    WEIGHTS,
    Lineage,
    model_version_register,
    registered_model_for_repository,
)
from models_hub.training.label_files import label_classifier_save
from models_hub.training.labels import label_classifier_train
from models_hub.training.serving import label_classifier_for
from tests.factories import ModelVersionFactory, RepositoryFactory

pytestmark = pytest.mark.django_db
KIND = ModelKind.LABEL_CLASSIFIER


def _weights(folder: Path, name: str, *, seed: int) -> Path:
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


def _register(repository, weights: Path, *, f1: float | None = 0.9, **files) -> ModelVersion:
    model = registered_model_for_repository(kind=KIND, repository=repository)
    metrics = {"evaluated": f1 is not None, "macro_f1": f1} if f1 is not None else {}
    version, _ = model_version_register(
        model=model,
        files={WEIGHTS: weights, **files},
        lineage=Lineage(base_model_id="m", training_rows=8, seed=0, trained_via="cli"),
        metrics=metrics,
    )
    return version


def test_files_are_stored_once_under_their_sha256_read_only(model_store, tmp_path):
    repository = RepositoryFactory()
    weights = _weights(tmp_path, "a.safetensors", seed=1)
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"labels": ["bug", "feature"]}))

    version = _register(repository, weights, **{"config.json": config})

    sha = hashlib.sha256(weights.read_bytes()).hexdigest()
    stored = {f.path: f for f in version.files.all()}
    assert set(stored) == {"model.safetensors", "config.json"}
    assert version.sha256 == sha == stored[WEIGHTS].sha256
    assert stored[WEIGHTS].storage_key == blob_key(sha)
    on_disk = model_store / blob_key(sha)
    assert on_disk.read_bytes() == weights.read_bytes()
    assert stored[WEIGHTS].size == on_disk.stat().st_size
    assert not on_disk.stat().st_mode & 0o222  # nobody may write it
    assert stored["config.json"].content_type == "application/json"
    assert version.model.name == f"{repository.full_name.replace('/', '-')}-label-classifier"
    assert version.code_version and version.trained_via == "cli" and version.seed == 0


def test_versions_count_up_per_model_and_the_same_weights_are_the_same_version(
    model_store, tmp_path
):
    widgets, tools = RepositoryFactory(), RepositoryFactory()
    first = _register(widgets, _weights(tmp_path, "1.safetensors", seed=1))
    second = _register(widgets, _weights(tmp_path, "2.safetensors", seed=2))
    elsewhere = _register(tools, _weights(tmp_path, "3.safetensors", seed=3))
    copy = tmp_path / "copy.safetensors"
    copy.write_bytes((tmp_path / "1.safetensors").read_bytes())
    again = _register(widgets, copy)

    assert [first.version, second.version, elsewhere.version] == [1, 2, 1]
    assert again.pk == first.pk
    assert ModelVersion.objects.filter(model__repository=widgets).count() == 2
    # tools' v1 has other bytes; the copy shares first's stored file
    assert ModelFile.objects.filter(storage_key=blob_key(first.sha256)).count() == 1


PICKLE = pickle.dumps({"weights": [1, 2, 3]})


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("model.safetensors", PICKLE, "is a pickle"),
        ("model.safetensors", b"PK\x03\x04rest of a zip", "zip archive"),
        ("model.safetensors", b"not a model at all", "not a safetensors"),
        ("model.safetensors", b"", "not a safetensors"),
        ("pytorch_model.bin", PICKLE, "only safetensors weights"),
        ("config.json", b"{broken", "not valid JSON"),
        ("README.md", b"\xff\xfe\x00", "not UTF-8"),
        ("../escape.json", b"{}", "not an allowed file name"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused_with_a_clear_message(
    model_store, tmp_path, name, content, message
):
    bad = tmp_path / "upload"
    bad.write_bytes(content)
    weights = bad if name == WEIGHTS else _weights(tmp_path, "w.safetensors", seed=1)
    extra = {} if name == WEIGHTS else {name: bad}

    with pytest.raises(ArtifactError, match=message):
        _register(RepositoryFactory(), weights, **extra)
    assert ModelVersion.objects.count() == 0


def test_a_truncated_safetensors_file_is_refused(model_store, tmp_path):
    weights = _weights(tmp_path, "a.safetensors", seed=1)
    truncated = tmp_path / "truncated.safetensors"
    truncated.write_bytes(weights.read_bytes()[:-100])

    with pytest.raises(ArtifactError, match="truncated"):
        _register(RepositoryFactory(), truncated)


def test_a_corrupted_stored_file_is_refused_when_read_or_loaded(model_store, tmp_path):
    repository = RepositoryFactory()
    version = _register(repository, _weights(tmp_path, "a.safetensors", seed=11))
    version_promote(version=version)
    loaded = label_classifier_for(repository)
    assert loaded.version == version and loaded.classifier.labels == ["bug", "feature"]
    assert label_classifier_for(repository).classifier is loaded.classifier  # cached by sha256

    tampered = _register(repository, _weights(tmp_path, "b.safetensors", seed=12), f1=0.95)
    version_promote(version=tampered)
    stored = model_store / blob_key(tampered.sha256)
    stored.chmod(0o644)
    stored.write_bytes(b"tampered")
    with pytest.raises(ArtifactError, match="does not match"):
        label_classifier_for(repository)
    with pytest.raises(ArtifactError, match="does not match"):
        list(file_verified_chunks(key=blob_key(tampered.sha256), sha256=tampered.sha256))


def test_aliases_move_only_through_the_service_which_writes_the_history(
    model_store, tmp_path, django_user_model
):
    repository = RepositoryFactory()
    maintainer = django_user_model.objects.create_user("mia")
    first = _register(repository, _weights(tmp_path, "1.safetensors", seed=1), f1=0.8)
    second = _register(repository, _weights(tmp_path, "2.safetensors", seed=2), f1=0.7)

    alias_move(version=first, actor_label="cli", reason="first")
    assert alias_move(version=first) is None  # already there: nothing recorded
    alias_move(version=second, actor=maintainer, reason="try it")
    alias_move(version=first, alias="previous", actor=maintainer)
    alias_remove(model=first.model, alias="previous", actor=maintainer, reason="done")

    assert champion_for(kind=KIND, repository=repository) == second
    history = list(AliasEvent.objects.order_by("pk"))
    assert [(e.alias, e.from_version, e.to_version, e.actor_label) for e in history] == [
        (CHAMPION, None, first, "cli"),
        (CHAMPION, first, second, "mia"),
        ("previous", None, first, "mia"),
        ("previous", first, None, "mia"),
    ]
    assert history[1].metrics == {
        "from": {"version": 1, "macro_f1": 0.8},
        "to": {"version": 2, "macro_f1": 0.7},
    }
    with pytest.raises(AliasError):
        alias_remove(model=first.model, alias=CHAMPION)
    with pytest.raises(AliasError):
        alias_move(version=first, alias="Not A Slug")


def test_one_version_per_alias_per_model_is_enforced_by_the_database():
    version = ModelVersionFactory(is_active=True)
    other = ModelVersionFactory(repository=version.model.repository)
    with pytest.raises(IntegrityError):
        ModelAlias.objects.create(model=version.model, name=CHAMPION, version=other)


def test_the_champion_gate_refuses_a_worse_version_unless_a_reason_is_given(
    model_store, tmp_path, django_user_model
):
    repository = RepositoryFactory()
    maintainer = django_user_model.objects.create_user("mia")
    first = _register(repository, _weights(tmp_path, "1.safetensors", seed=1), f1=0.8)
    worse = _register(repository, _weights(tmp_path, "2.safetensors", seed=2), f1=0.75)
    better = _register(repository, _weights(tmp_path, "3.safetensors", seed=3), f1=0.85)
    unevaluated = _register(repository, _weights(tmp_path, "4.safetensors", seed=4), f1=None)

    assert version_promote(version=first).reason.startswith("passed the champion gate")
    assert not champion_gate(worse).passed
    with pytest.raises(PromotionRefused, match=r"0\.7500 does not beat 0\.8000"):
        version_promote(version=worse)
    with pytest.raises(PromotionRefused, match="no k-fold macro F1"):
        version_promote(version=unevaluated)
    assert champion_for(kind=KIND, repository=repository) == first

    forced = version_promote(version=worse, actor=maintainer, reason="fewer false bugs in review")
    assert forced.forced and forced.reason == "fewer false bugs in review"
    assert forced.metrics["gate"]["candidate"] == 0.75 and forced.metrics["gate"]["champion"] == 0.8
    passed = version_promote(version=better)
    assert not passed.forced and champion_for(kind=KIND, repository=repository) == better


def test_a_safetensors_file_whose_header_length_starts_like_a_pickle_is_accepted(tmp_path):
    # Header length 0x280: its first byte is 0x80, as a pickle's PROTO opcode is.
    data = np.arange(4, dtype=np.float32).tobytes()
    header = json.dumps({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}).encode()
    header = header.ljust(0x280, b" ")
    path = tmp_path / "model.safetensors"
    path.write_bytes((0x280).to_bytes(8, "little") + header + data)

    safetensors_check(path)
    from safetensors.numpy import load_file

    assert load_file(str(path))["w"].tolist() == [0, 1, 2, 3]
