"""Verified results: a stored version scored on a benchmark's stored test split.

Verified means Steward computed it: the version's weights are loaded from the model storage
(`label_classifier_of`, which checks their sha256), the test rows from the stored CSV (checked
too), and the suggestions come from the rule triage uses (`evaluation.label_suggestions`). A
version of a model that declares a subset of the benchmark (`nlbse2024-facebook-react-…`) is
scored on that subset; any other on every subset present, one value each, and their mean.

One verified result is kept per version, benchmark and test data: scoring again (`manage.py
evaluate`) updates it, so training and a later evaluation of the same version agree or show
that something changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from django.utils import timezone

from models_hub.benchmarks.data import BenchmarkDataError, benchmark_rows, rows_of_subset
from models_hub.models import Benchmark, BenchmarkResult, ModelVersion, ResultSource
from models_hub.registry.versions import steward_code_version
from models_hub.training.evaluation import classifier_score
from models_hub.training.labels import METHOD_FINETUNED
from models_hub.training.serving import label_classifier_of


class EvaluationError(ValueError):
    """The version cannot be scored here (e.g. it reads embeddings this worker cannot make)."""


class CachedEncoder:
    """An encoder that encodes each text once (training encodes the test split for its
    calibration's sake before scoring it)."""

    def __init__(self, encoder: Any) -> None:
        self.encoder = encoder
        self.model_id = encoder.model_id
        self._vectors: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = [text for text in dict.fromkeys(texts) if text not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self.encoder.encode(missing), strict=True))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([self._vectors[text] for text in texts]).astype(np.float32)


def classifier_vectors(classifier, texts: Sequence[str], encoder: Any) -> np.ndarray:
    """The stored-embedding block a classifier reads (none for `finetuned`: it encodes)."""
    if classifier.method == METHOD_FINETUNED:
        return np.zeros((len(texts), 0), dtype=np.float32)
    if encoder.model_id != classifier.embedding_model_id:
        raise EvaluationError(
            f"the classifier reads {classifier.embedding_model_id} embeddings; this worker "
            f"encodes with {encoder.model_id}"
        )
    return encoder.encode(list(texts))


def evaluate_command(*, version: ModelVersion, benchmark: Benchmark) -> str:
    return (
        f"python manage.py evaluate {version.model.name}@{version.version} "
        f"--benchmark {benchmark.name}"
    )


def version_benchmark_evaluate(
    *,
    version: ModelVersion,
    benchmark: Benchmark,
    encoder: Any = None,
    submitted_by=None,
) -> BenchmarkResult:
    """Score the stored version on the stored test split; record (or update) its verified
    result. `encoder`: the base sentence model (`get_encoder()` when None)."""
    if encoder is None:
        from models_hub.embeddings.encoder import get_encoder

        encoder = get_encoder()
    rows = benchmark_rows(benchmark=benchmark, split="test")
    model = version.model
    subset = model.benchmark_subset if model.benchmark_id == benchmark.pk else ""
    subsets = [subset] if subset else [s for s in benchmark.subsets if rows_of_subset(rows, s)]
    classifier = label_classifier_of(version)
    scores = {}
    for name in subsets:
        part = rows_of_subset(rows, name)
        if not part:
            raise BenchmarkDataError(f"{benchmark.name}'s test data has no rows of {name}")
        texts = [row.text for row in part]
        scores[name] = classifier_score(
            classifier=classifier,
            texts=texts,
            vectors=classifier_vectors(classifier, texts, encoder),
            labels=[row.label for row in part],
        )
    return verified_result_record(
        version=version,
        benchmark=benchmark,
        value=round(float(np.mean([s["macro_f1"] for s in scores.values()])), 4),
        coverage=round(float(np.mean([s["coverage"] for s in scores.values()])), 4),
        breakdown=_breakdown(scores, subset),
        submitted_by=submitted_by,
    )


def _breakdown(scores: dict[str, dict], subset: str) -> dict:
    if subset:
        score = scores[subset]
        keep = ("samples", "accuracy", "precision_when_suggested", "coverage_at_90_precision")
        return {
            "subset": subset,
            "per_class": score["per_label"],
            **{key: score[key] for key in keep},
        }
    classes = sorted({label for score in scores.values() for label in score["per_label"]})
    return {
        "per_subset": {name: score["macro_f1"] for name, score in scores.items()},
        "per_subset_coverage": {name: score["coverage"] for name, score in scores.items()},
        "per_class": {
            label: round(
                float(
                    np.mean([s["per_label"].get(label, {}).get("f1", 0.0) for s in scores.values()])
                ),
                4,
            )
            for label in classes
        },
        "samples": sum(score["samples"] for score in scores.values()),
    }


def verified_result_record(
    *,
    version: ModelVersion,
    benchmark: Benchmark,
    value: float,
    coverage: float | None,
    breakdown: dict,
    submitted_by=None,
) -> BenchmarkResult:
    result, _ = BenchmarkResult.objects.update_or_create(
        benchmark=benchmark,
        version=version,
        source=ResultSource.VERIFIED,
        dataset_sha256=benchmark.test_sha256,
        defaults={
            "entry": f"{version.model.name} v{version.version}",
            "value": value,
            "coverage": coverage,
            "breakdown": breakdown,
            "evaluated_at": timezone.now(),
            "seed": version.seed,
            "code_version": steward_code_version(),
            "command": evaluate_command(version=version, benchmark=benchmark),
            "submitted_by": submitted_by,
        },
    )
    return result
