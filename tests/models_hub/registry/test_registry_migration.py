"""Migrating today's `is_active` versions to registered models, files and the champion alias."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("models_hub", "0001_initial")]
AFTER = [("models_hub", "0002_model_hub")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_active_versions_become_champions_with_their_history_and_files():
    old = _migrate(BEFORE)
    Actor = old.get_model("community", "Actor")
    Repository = old.get_model("community", "Repository")
    OldVersion = old.get_model("models_hub", "ModelVersion")
    owner = Actor.objects.create(id=1, login="acme", type="Organization")
    widgets = Repository.objects.create(
        id=10, owner=owner, name="widgets", full_name="acme/widgets"
    )
    now = timezone.now()
    for number, active in ((1, False), (2, True)):
        OldVersion.objects.create(
            kind="label-classifier",
            repository=widgets,
            version=number,
            sha256=f"{number}" * 64,
            artifact=f"{str(number) * 64}.safetensors",
            size_bytes=100 + number,
            embedding_model_id="sentence-transformers/all-MiniLM-L6-v2",
            metadata={"samples": 40, "label_counts": {"bug": 20, "feature": 20}},
            metrics={"evaluated": True, "macro_f1": 0.8},
            trained_at=now,
            is_active=active,
        )

    new = _migrate(AFTER)
    RegisteredModel = new.get_model("models_hub", "RegisteredModel")
    ModelAlias = new.get_model("models_hub", "ModelAlias")
    AliasEvent = new.get_model("models_hub", "AliasEvent")
    ModelFile = new.get_model("models_hub", "ModelFile")
    model = RegisteredModel.objects.get()
    assert model.name == "acme-widgets-label-classifier" and model.repository_id == 10
    versions = {v.version: v for v in model.versions.all()}
    assert set(versions) == {1, 2}
    assert versions[2].base_model_id == "sentence-transformers/all-MiniLM-L6-v2"
    assert versions[2].training_rows == 40
    assert versions[2].training_label_counts == {"bug": 20, "feature": 20}
    assert ModelAlias.objects.get(model=model, name="champion").version_id == versions[2].pk
    event = AliasEvent.objects.get()
    assert event.to_version_id == versions[2].pk and event.actor_label == "migration"
    weights = ModelFile.objects.get(version=versions[1])
    assert (weights.path, weights.storage_key, weights.size) == (
        "model.safetensors",
        "1" * 64 + ".safetensors",
        101,
    )
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # back to the latest
