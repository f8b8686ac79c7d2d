"""Training label classifiers on a benchmark, as its protocol says, and recording what they
score.

For NLBSE'24: one classifier per repository (subset), trained only on that repository's train
rows. Each is a version of its own registered model, `nlbse2024-facebook-react-label-classifier`
(no repository: public; `benchmark` and `benchmark_subset` declare its evaluation), trained as a
repository's classifier is (labels.py, the method given), its abstention threshold calibrated by
k-fold on the train rows (`evaluation.label_kfold_score`: where suggestions reach 90% precision,
never below the default floor). It is then scored from the stored artifact on the subset's test
rows (scoring.py: the version's `verified` result) and offered to the champion gate, which
compares verified results on the declared benchmark (registry/promotion.py). A run over every
subset also records the run's headline (aggregate.py), the row a leaderboard shows.

Deterministic: the same data, seed and code give the same weights, so the same versions (the
registry numbers only new weights), and recording again updates the results in place.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from models_hub.benchmarks.aggregate import entry_name, run_result_record
from models_hub.benchmarks.data import BenchmarkDataError, benchmark_rows, rows_of_subset
from models_hub.benchmarks.scoring import CachedEncoder, version_benchmark_evaluate
from models_hub.embeddings.config import embedding_model_revision
from models_hub.models import (
    Benchmark,
    BenchmarkResult,
    ModelKind,
    ModelVersion,
    RegisteredModel,
    TrainedVia,
    TriageSettings,
)
from models_hub.registry.promotion import PromotionRefused, version_promote
from models_hub.registry.versions import WEIGHTS, Lineage, model_version_register
from models_hub.training.csv_evaluation import LabelledIssue
from models_hub.training.evaluation import FOLDS, Trainer, label_kfold_score
from models_hub.training.labels import label_method_default

Progress = Callable[[str, str], None]  # (subset, step) as each step starts
STEPS = ("encoding", "cross-validating", "training", "registering", "scoring")
VOLATILE = ("trained_at", "train_seconds", "member_seconds")


@dataclass(frozen=True)
class SubsetOutcome:
    subset: str
    version: ModelVersion
    created: bool  # False: the same weights were already a version
    result: BenchmarkResult
    promoted: bool
    gate: str  # the champion gate's verdict in words

    def as_dict(self) -> dict:
        return {
            "version": f"{self.version.model.name}@{self.version.version}",
            "created": self.created,
            "macro_f1": self.result.value,
            "coverage": self.result.coverage,
            "kfold_macro_f1": self.version.metrics.get("macro_f1"),
            "threshold": self.version.metadata.get("threshold"),
            "promoted": self.promoted,
            "gate": self.gate,
        }


@dataclass
class BenchmarkRun:
    benchmark: Benchmark
    trainer: Trainer
    folds: int
    promote: bool
    trained_by: Any
    trained_via: str
    command: str
    cached: CachedEncoder
    progress: Progress
    outcomes: list[SubsetOutcome] = field(default_factory=list)
    aggregate: BenchmarkResult | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict:
        """The run in one JSON-able dict (the CLI's last line, the task's result)."""
        return {
            "benchmark": self.benchmark.name,
            "entry": entry_name(method=self.trainer.method, base_model=self.trainer.model_id),
            "method": self.trainer.method,
            "base_model": self.trainer.model_id,
            "seed": self.trainer.seed,
            "value": self.aggregate.value if self.aggregate else None,
            "coverage": self.aggregate.coverage if self.aggregate else None,
            "per_subset": {o.subset: o.result.value for o in self.outcomes},
            "subsets": {o.subset: o.as_dict() for o in self.outcomes},
            "aggregate_result": self.aggregate.pk if self.aggregate else None,
            "dataset_sha256": self.benchmark.test_sha256,
            "code_version": self.aggregate.code_version if self.aggregate else "",
            "command": self.command,
            "seconds": round(self.seconds, 1),
        }


def train_command(*, benchmark: Benchmark, subsets: Sequence[str], method: str, seed: int) -> str:
    chosen = "".join(f" --subset {subset}" for subset in subsets)
    return (
        f"python manage.py train triage-labels --benchmark {benchmark.name}{chosen} "
        f"--method {method} --seed {seed}"
    )


def benchmark_subset_model(*, benchmark: Benchmark, subset: str) -> RegisteredModel:
    """The registered model of one subset's classifiers, created on first use."""
    model, _ = RegisteredModel.objects.get_or_create(
        name=slugify(f"{benchmark.name}-{subset.replace('/', '-')}-{ModelKind.LABEL_CLASSIFIER}"),
        defaults={
            "kind": ModelKind.LABEL_CLASSIFIER,
            "repository": None,
            "benchmark": benchmark,
            "benchmark_subset": subset,
            "description": (
                f"Suggests {', '.join(benchmark.classes)} for {subset} issues; trained on "
                f"the {subset} training rows of {benchmark.title}."
            ),
            "tags": ["steward", "benchmark", benchmark.name, "label-classifier"],
        },
    )
    return model


def benchmark_train(
    *,
    benchmark: Benchmark,
    subsets: Sequence[str] = (),
    method: str | None = None,
    seed: int = 0,
    folds: int = FOLDS,
    promote: bool = True,
    encoder: Any = None,
    trained_by=None,
    trained_via: str = TrainedVia.WORKER,
    progress: Progress | None = None,
) -> BenchmarkRun:
    """Train, register, score and offer to the champion gate one classifier per subset
    (`subsets`, or every subset with train and test rows); record the run's headline when it
    covered all of the benchmark's subsets. `encoder`: the base model (`get_encoder()`)."""
    if encoder is None:
        from models_hub.embeddings.encoder import get_encoder

        encoder = get_encoder()
    started = time.perf_counter()
    method = method or label_method_default()
    train, test = (benchmark_rows(benchmark=benchmark, split=s) for s in ("train", "test"))
    chosen = list(subsets) or [
        s for s in benchmark.subsets if rows_of_subset(train, s) and rows_of_subset(test, s)
    ]
    for subset in chosen:
        if subset not in benchmark.subsets:
            raise BenchmarkDataError(
                f"{subset} is not a subset of {benchmark.name} ({', '.join(benchmark.subsets)})"
            )
        if not rows_of_subset(train, subset) or not rows_of_subset(test, subset):
            raise BenchmarkDataError(f"{benchmark.name}: {subset} has no train or no test rows")
    run = BenchmarkRun(
        benchmark=benchmark,
        trainer=Trainer(model_id=encoder.model_id, method=method, seed=seed, encoder=encoder),
        folds=folds,
        promote=promote,
        trained_by=trained_by,
        trained_via=trained_via,
        command=train_command(benchmark=benchmark, subsets=subsets, method=method, seed=seed),
        cached=CachedEncoder(encoder),
        progress=progress or (lambda subset, step: None),
    )
    for subset in chosen:
        run.outcomes.append(_subset_train(run, subset, rows_of_subset(train, subset)))
    if {o.subset for o in run.outcomes} == set(benchmark.subsets):
        run.aggregate = run_result_record(
            benchmark=benchmark,
            members=[(o.version, o.result) for o in run.outcomes],
            method=method,
            base_model=encoder.model_id,
            seed=seed,
            command=run.command,
        )
    run.seconds = time.perf_counter() - started
    return run


def _subset_train(run: BenchmarkRun, subset: str, rows: list[LabelledIssue]) -> SubsetOutcome:
    started, trained_at = time.perf_counter(), timezone.now()
    # Fine-tuned: the frozen layers' states of this subset's texts, computed once for the folds
    # and the final training (and dropped with the subset).
    trainer, step = dataclasses.replace(run.trainer, state_cache={}), run.progress
    texts, labels = [row.text for row in rows], [row.label for row in rows]
    step(subset, "encoding")
    vectors = trainer.vectors(run.cached.encode, texts)
    step(subset, "cross-validating")
    metrics = label_kfold_score(
        texts=texts,
        vectors=vectors,
        labels=labels,
        model_id=trainer.model_id,
        folds=run.folds,
        seed=trainer.seed,
        method=trainer.method,
        encoder=trainer.encoder,
        state_cache=trainer.state_cache,
    )
    floor = TriageSettings().label_threshold
    calibrated = metrics.get("abstain_below")
    threshold = max(floor, calibrated) if calibrated is not None else floor
    step(subset, "training")
    classifier = trainer.fit(texts, vectors, labels, threshold=threshold)
    # When and how long are the version's lineage; kept out of the weights file so that the
    # same data and seed give the same bytes, hence the same version.
    classifier.metadata = {
        key: value for key, value in classifier.metadata.items() if key not in VOLATILE
    }
    step(subset, "registering")
    lineage = Lineage(
        base_model_id=trainer.model_id,
        base_model_revision=embedding_model_revision(trainer.model_id),
        training_rows=len(labels),
        training_label_counts=dict(sorted(Counter(labels).items())),
        training_sha256=_training_sha256(texts, labels),
        hyperparameters=_hyperparameters(classifier, run.folds),
        seed=trainer.seed,
        trained_by=run.trained_by,
        trained_via=run.trained_via,
        command=train_command(
            benchmark=run.benchmark, subsets=[subset], method=trainer.method, seed=trainer.seed
        ),
        train_seconds=round(time.perf_counter() - started, 2),
        trained_at=trained_at,
    )
    metadata = {
        "benchmark": run.benchmark.name,
        "subset": subset,
        "train_sha256": run.benchmark.train_sha256,
        "labels": classifier.labels,
        "threshold": round(threshold, 4),
        "threshold_floor": floor,
        "samples": len(labels),
    }
    model = benchmark_subset_model(benchmark=run.benchmark, subset=subset)
    with transaction.atomic():
        version, created = _register(model, classifier, lineage, metrics, metadata)
        step(subset, "scoring")
        result = version_benchmark_evaluate(
            version=version,
            benchmark=run.benchmark,
            encoder=run.cached,
            submitted_by=run.trained_by,
        )
        promoted, gate = _offer(version, run)
    return SubsetOutcome(subset, version, created, result, promoted, gate)


def _training_sha256(texts: list[str], labels: list[str]) -> str:
    from models_hub.training.label_files import training_set_sha256

    return training_set_sha256(texts=texts, labels=labels)


def _hyperparameters(classifier, folds: int) -> dict:
    skip = (*VOLATILE, "samples", "label_counts")
    return {
        **{key: value for key, value in classifier.metadata.items() if key not in skip},
        "embedding_weight": classifier.embedding_weight,
        "calibration_folds": folds,
    }


def _register(model, classifier, lineage: Lineage, metrics: dict, metadata: dict):
    from models_hub.training.label_files import label_classifier_config, label_classifier_save

    with tempfile.TemporaryDirectory(prefix="steward-benchmark-") as folder:
        weights, config = Path(folder) / WEIGHTS, Path(folder) / "config.json"
        label_classifier_save(classifier=classifier, path=weights)
        safetensors_canonical(weights)
        config.write_text(json.dumps(label_classifier_config(classifier), indent=2))
        return model_version_register(
            model=model,
            files={WEIGHTS: weights, "config.json": config},
            lineage=lineage,
            metrics=metrics,
            metadata=metadata,
        )


def safetensors_canonical(path: Path) -> None:
    """Rewrite the file's JSON header with sorted keys. safetensors writes its metadata in hash
    order, which changes from one save to the next: the same classifier would get other bytes,
    another sha256, and the registry a needless new version."""
    raw = path.read_bytes()
    length = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8 : 8 + length])
    text = json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    text += b" " * (-len(text) % 8)  # safetensors pads its header to 8 bytes the same way
    path.write_bytes(len(text).to_bytes(8, "little") + text + raw[8 + length :])


def _offer(version: ModelVersion, run: BenchmarkRun) -> tuple[bool, str]:
    """(promoted, the champion gate's verdict in words)."""
    if not run.promote:
        return False, "not offered to the champion gate (--no-promote)"
    try:
        event = version_promote(
            version=version, actor=run.trained_by, actor_label=run.trained_via or "system"
        )
    except PromotionRefused as refused:
        return False, str(refused)
    if event is None:
        return True, "already the champion"
    return True, event.metrics["gate"]["explanation"]
