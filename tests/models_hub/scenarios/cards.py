"""A trained, registered label-classifier version and benchmark results for card and export
tests (the fake encoder: words give the labels away, vectors are noise)."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import numpy as np
from django.utils import timezone

from community.models import Repository
from models_hub.models import (
    Benchmark,
    BenchmarkResult,
    ModelKind,
    ModelVersion,
    ResultSource,
    TrainedVia,
)
from models_hub.registry.versions import (
    WEIGHTS,
    Lineage,
    model_version_register,
    registered_model_for_repository,
)
from models_hub.training.label_files import label_classifier_config, label_classifier_save
from models_hub.training.labels import label_classifier_train
from models_hub.training.retrain import label_classifier_retrain
from tests.models_hub.scenarios.triage import labelled_repository

# (Four labels: with three, model.safetensors' header is 640 bytes long, whose first bytes
# `80 02` registry.files.safetensors_check takes for a pickle.)
PER_LABEL = {"bug": 8, "documentation": 8, "enhancement": 8, "question": 8}


def trained_version(encoder, *, per_label: dict[str, int] | None = None) -> ModelVersion:
    """v1 of a new repository's label classifier, trained by the retraining service (champion)."""
    repository, _, _ = labelled_repository(per_label=per_label or PER_LABEL, encoder=encoder)
    outcome = label_classifier_retrain(
        repository=repository, encoder=encoder, min_per_label=5, folds=4, trained_via=TrainedVia.CLI
    )
    assert outcome.version is not None, outcome.reason
    return outcome.version


def quick_version(repository: Repository, *, seed: int) -> ModelVersion:
    """A registered version of the repository's label classifier, trained in a second on eight
    texts (distinct weights per seed), with no evaluation."""
    texts = [f"crash number {n}" for n in range(4)] + [f"feature idea {n}" for n in range(4)]
    vectors = np.random.default_rng(seed).standard_normal((8, 4)).astype(np.float32)
    classifier = label_classifier_train(
        texts=texts, vectors=vectors, labels=["bug"] * 4 + ["feature"] * 4, embedding_model_id="m"
    )
    return version_of(classifier, repository, seed=seed)


def version_of(classifier, repository: Repository, *, seed: int = 0) -> ModelVersion:
    """The classifier registered as the next version of the repository's label classifier."""
    model = registered_model_for_repository(kind=ModelKind.LABEL_CLASSIFIER, repository=repository)
    with tempfile.TemporaryDirectory() as folder:
        weights, config = Path(folder) / WEIGHTS, Path(folder) / "config.json"
        label_classifier_save(classifier=classifier, path=weights)
        config.write_text(json.dumps(label_classifier_config(classifier)))
        version, _ = model_version_register(
            model=model,
            files={WEIGHTS: weights, "config.json": config},
            lineage=Lineage(
                base_model_id=classifier.embedding_model_id,
                training_rows=int(classifier.metadata.get("samples", 0)),
                seed=seed,
                trained_via=TrainedVia.CLI,
            ),
            metrics={"evaluated": False, "reason": "a test version"},
            metadata={"labels": classifier.labels, "threshold": classifier.threshold},
        )
    return version


def benchmark_with_results(version: ModelVersion, *, submitted_by=None) -> dict:
    """A benchmark the model declares, with a verified, a self-reported and a published result of
    the version and a published figure of another system."""
    benchmark = Benchmark.objects.create(
        name="nlbse-issues",
        title="NLBSE'24 issue report classification",
        dataset="NLBSE'24 issue reports",
        dataset_revision="2024.1",
        split="test",
        metric="f1",
        metric_name="Macro F1",
        averaging="macro F1 per repository, averaged",
        protocol="one classifier per repository",
        url="https://nlbse2024.github.io/tools/",
    )
    version.model.benchmark = benchmark
    version.model.benchmark_subset = version.model.repository.full_name
    version.model.save(update_fields=["benchmark", "benchmark_subset"])
    now = timezone.now()
    common = {"benchmark": benchmark, "entry": version.model.name}
    verified = BenchmarkResult.objects.create(
        **common,
        version=version,
        source=ResultSource.VERIFIED,
        value=0.8123,
        coverage=0.61,
        evaluated_at=now,
        breakdown={
            "per_subset": {"acme/widgets": 0.83, "acme/gadgets": {"f1": 0.79, "support": 120}},
            "per_class": {"bug": 0.85, "feature": 0.8, "question": 0.78},
        },
        dataset_sha256="d" * 64,
        command="python manage.py benchmark_run nlbse-issues",
    )
    self_reported = BenchmarkResult.objects.create(
        **common,
        version=version,
        source=ResultSource.SELF_REPORTED,
        value=0.9,
        evaluated_at=now - dt.timedelta(days=1),
        submitted_by=submitted_by,
    )
    published = BenchmarkResult.objects.create(
        **common,
        version=version,
        source=ResultSource.PUBLISHED,
        value=0.8,
        evaluated_at=now - dt.timedelta(days=2),
        reference="https://example.org/paper",
    )
    reference = BenchmarkResult.objects.create(
        benchmark=benchmark,
        version=None,
        entry="SetFit baseline",
        source=ResultSource.PUBLISHED,
        value=0.826,
        evaluated_at=now - dt.timedelta(days=300),
        reference="https://example.org/setfit",
    )
    return {
        "benchmark": benchmark,
        "verified": verified,
        "self_reported": self_reported,
        "published": published,
        "reference": reference,
    }
