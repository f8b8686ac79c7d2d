"""Retraining a repository's label classifier from its own labelled issues and maintainers'
feedback, then registering the result as a new model version.

Which issues and labels: `models_hub.training.vocabulary` (its docstring states the rule).
Features come from the stored embeddings (missing or stale ones are encoded first through
`issues_embed`, so this runs in the embeddings worker or a management command).

Evaluation: stratified k-fold on the training set (k = min(`folds`, default 5, examples of the
rarest label), at least 3 folds) gives out-of-fold predictions, scored as macro F1 and as the
share of issues that still get a label when suggestions must be right 90% of the time
(`coverage_at_90_precision`). The confidence where that happens becomes the classifier's
abstention threshold, never below the repository's `TriageSettings.label_threshold` (the
maintainers' floor). The floor alone is used when no threshold reaches 90% precision, when
every out-of-fold suggestion reached it (the data says nothing about where to abstain), or when
the set is too small to evaluate.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from django.db import transaction

from community.models import Issue, Repository
from models_hub.embeddings.config import embedding_model_id, embedding_model_revision
from models_hub.embeddings.store import issues_embed
from models_hub.embeddings.text import issue_text
from models_hub.models import (
    Embedding,
    ModelKind,
    ModelVersion,
    SuggestionFeedback,
    SuggestionKind,
    TrainedVia,
    TriageSettings,
)
from models_hub.registry.aliases import champion_for
from models_hub.registry.promotion import PromotionRefused, version_promote
from models_hub.registry.versions import (
    WEIGHTS,
    Lineage,
    model_version_register,
    registered_model_for_repository,
)
from models_hub.training.evaluation import label_kfold_score
from models_hub.training.vocabulary import MIN_PER_LABEL, LabelledExamples, label_examples

if TYPE_CHECKING:
    from models_hub.embeddings.encoder import Encoder

FOLDS = 5
EMBED_CHUNK = 256
# Folds and training are seeded: the same data gives the same version.
SEED = 0


@dataclass(frozen=True)
class RetrainOutcome:
    repository: Repository
    version: ModelVersion | None  # None: skipped
    reason: str = ""  # why it was skipped
    seconds: float = 0.0
    promoted: bool = False  # the version became champion (it passed the gate)


def label_threshold_floor(repository: Repository) -> float:
    found = TriageSettings.objects.filter(repository=repository).first()
    return found.label_threshold if found else TriageSettings().label_threshold


def label_classifier_retrain(
    *,
    repository: Repository,
    min_per_label: int = MIN_PER_LABEL,
    encoder: Encoder | None = None,
    embed_missing: bool = True,
    activate: bool = True,
    folds: int = FOLDS,
    method: str | None = None,
    trained_by=None,
    trained_via: str = TrainedVia.WORKER,
    created_before: dt.datetime | None = None,
    seed: int = SEED,
    command: str = "",
) -> RetrainOutcome:
    """Train on the repository's labelled issues and feedback; register (and activate) it.

    `embed_missing=False` trains only on issues that already have an embedding (the demo
    embeds a bounded set first). `method`: the label classifier's training method, None for
    the configured one (STEWARD_LABEL_CLASSIFIER_METHOD). Skips, with the reason, when fewer
    than two labels have `min_per_label` examples. `created_before`: learn only from issues
    opened before then (the demo's earlier versions). `seed` seeds the folds and the training;
    `command` is what reproduces it (recorded on the version; default: the CLI's).
    """
    started = time.perf_counter()
    trained_at = dt.datetime.now(dt.UTC)  # before reading: later labels make it due again
    examples = label_examples(
        repository=repository, min_per_label=min_per_label, created_before=created_before
    )
    model_id = encoder.model_id if encoder is not None else embedding_model_id()
    if len(examples.vocabulary) >= 2 and embed_missing:
        for start in range(0, len(examples.issue_ids), EMBED_CHUNK):
            chunk = examples.issue_ids[start : start + EMBED_CHUNK]
            issues_embed(issue_ids=chunk, encoder=encoder)
    texts, vectors, labels = _features(examples, model_id, min_per_label)
    if len(set(labels)) < 2:
        return RetrainOutcome(repository, None, _skip_reason(examples, min_per_label))
    floor = label_threshold_floor(repository)
    metrics = label_cross_validate(
        texts=texts,
        vectors=vectors,
        labels=labels,
        model_id=model_id,
        folds=folds,
        method=method,
        seed=seed,
    )
    command = command or reproduce_command(
        full_name=repository.full_name, method=method, folds=folds, seed=seed
    )
    calibrated = metrics.get("abstain_below")
    threshold = max(floor, calibrated) if calibrated is not None else floor
    version, promoted = _register(
        repository=repository,
        texts=texts,
        vectors=vectors,
        labels=labels,
        model_id=model_id,
        threshold=threshold,
        metrics=metrics,
        method=method,
        record={
            "trained_at": trained_at.isoformat(timespec="seconds"),
            "min_per_label": min_per_label,
            "threshold_floor": floor,
            "feedback": examples.feedback,
            "ambiguous_issues_left_out": examples.ambiguous,
            "candidate_labels": examples.candidates,
        },
        activate=activate,
        trained_by=trained_by,
        trained_via=trained_via,
        seconds_so_far=time.perf_counter() - started,
        seed=seed,
        command=command,
    )
    seconds = round(time.perf_counter() - started, 2)
    return RetrainOutcome(repository, version, "", seconds, promoted)


def reproduce_command(*, full_name: str, method: str | None, folds: int, seed: int) -> str:
    """The `manage.py train` line that trains this again: the method named even when it was the
    configured one (the configuration may change), the folds when not the default."""
    from models_hub.training.labels import label_method_default

    return " ".join(
        part
        for part in (
            f"python manage.py train triage-labels --repo {full_name}",
            f"--method {method or label_method_default()}",
            f"--folds {folds}" if folds != FOLDS else "",
            f"--seed {seed}",
        )
        if part
    )


def _skip_reason(examples: LabelledExamples, min_per_label: int) -> str:
    counts = examples.label_counts
    found = ", ".join(f"{label} ({count})" for label, count in counts.items()) or "none"
    return (
        f"fewer than 2 labels have {min_per_label} labelled issues each "
        f"(labels found: {found}; {len(examples.candidates)} candidate label(s))"
    )


def _features(
    examples: LabelledExamples, model_id: str, min_per_label: int
) -> tuple[list[str], np.ndarray, list[str]]:
    """Texts, stored vectors and labels of the examples that have an embedding of `model_id`,
    for the labels that still have `min_per_label` of them (none when fewer than two do)."""
    ids = examples.issue_ids
    vectors: dict[int, np.ndarray] = {}
    texts: dict[int, str] = {}
    for start in range(0, len(ids), EMBED_CHUNK):
        chunk = ids[start : start + EMBED_CHUNK]
        rows = Embedding.objects.filter(issue_id__in=chunk, model_id=model_id)
        vectors.update((row.issue_id, row.as_array()) for row in rows)
        for pk, title, body in Issue.objects.filter(pk__in=chunk).values_list(
            "pk", "title", "body"
        ):
            texts[pk] = issue_text(title=title, body=body)
    usable = [i for i, pk in enumerate(ids) if pk in vectors and pk in texts]
    counts = Counter(examples.labels[i] for i in usable)
    keep = [i for i in usable if counts[examples.labels[i]] >= min_per_label]
    if len({examples.labels[i] for i in keep}) < 2:
        return [], np.zeros((0, 1), np.float32), []
    matrix = np.vstack([vectors[ids[i]] for i in keep])
    return [texts[ids[i]] for i in keep], matrix, [examples.labels[i] for i in keep]


def _register(
    *,
    repository: Repository,
    texts: list[str],
    vectors: np.ndarray,
    labels: list[str],
    model_id: str,
    threshold: float,
    metrics: dict,
    record: dict,
    activate: bool,
    method: str | None = None,
    trained_by=None,
    trained_via: str = TrainedVia.WORKER,
    seconds_so_far: float = 0.0,
    seed: int = SEED,
    command: str = "",
) -> tuple[ModelVersion, bool]:
    """Train on everything, register the version (model.safetensors + config.json) and, when
    `activate`, offer it to the champion gate. (version, promoted)."""
    from models_hub.training.label_files import (
        label_classifier_config,
        label_classifier_save,
        training_set_sha256,
    )
    from models_hub.training.labels import label_classifier_train

    started = time.perf_counter()
    classifier = label_classifier_train(
        texts=texts,
        vectors=vectors,
        labels=labels,
        embedding_model_id=model_id,
        threshold=threshold,
        method=method,
    )
    hyperparameters = {
        key: value
        for key, value in {
            **classifier.metadata,
            "embedding_weight": classifier.embedding_weight,
        }.items()
        if key not in ("trained_at", "samples", "label_counts", "train_seconds", "member_seconds")
    }
    lineage = Lineage(
        base_model_id=model_id,
        base_model_revision=embedding_model_revision(model_id),
        training_rows=len(labels),
        training_label_counts=dict(sorted(Counter(labels).items())),
        training_sha256=training_set_sha256(texts=texts, labels=labels),
        hyperparameters=hyperparameters,
        seed=seed,
        trained_by=trained_by,
        trained_via=trained_via,
        command=command,
        train_seconds=round(seconds_so_far + time.perf_counter() - started, 2),
        trained_at=dt.datetime.fromisoformat(record["trained_at"]),
    )
    metadata = {**record, "labels": classifier.labels, "threshold": round(threshold, 4)}
    model = registered_model_for_repository(
        kind=ModelKind.LABEL_CLASSIFIER,
        repository=repository,
        description=f"Suggests one of {repository.full_name}'s labels for a new issue.",
        tags=["steward", "triage", "issue-classification", "label-classifier"],
    )
    with tempfile.TemporaryDirectory(prefix="steward-train-") as folder:
        weights = Path(folder) / WEIGHTS
        label_classifier_save(classifier=classifier, path=weights)
        config = Path(folder) / "config.json"
        config.write_text(json.dumps(label_classifier_config(classifier), indent=2))
        with transaction.atomic():
            version, _ = model_version_register(
                model=model,
                files={WEIGHTS: weights, "config.json": config},
                lineage=lineage,
                metrics=metrics,
                metadata=metadata,
            )
            promoted = False
            if activate:
                try:
                    version_promote(version=version, actor=trained_by, actor_label=trained_via)
                    promoted = True
                except PromotionRefused:
                    promoted = False
    return version, promoted


def label_cross_validate(
    *,
    texts: list[str],
    vectors: np.ndarray,
    labels: list[str],
    model_id: str,
    folds: int = FOLDS,
    method: str | None = None,
    seed: int = SEED,
) -> dict:
    """Out-of-fold scores of the repository's set (see the module docstring), through the one
    evaluation path training, benchmarks and production share."""
    return label_kfold_score(
        texts=texts,
        vectors=vectors,
        labels=labels,
        model_id=model_id,
        folds=folds,
        seed=seed,
        method=method,
    )


def label_classifiers_due() -> list[Repository]:
    """Tracked repositories with labelled issues updated, or label feedback given, since their
    active classifier was trained (all with labelled issues when none is active yet)."""
    due = []
    for repository in Repository.objects.filter(tracked=True, deleted_at__isnull=True):
        active = champion_for(kind=ModelKind.LABEL_CLASSIFIER, repository=repository)
        issues = Issue.objects.filter(
            repository=repository, labels__isnull=False, deleted_at__isnull=True
        )
        feedback = SuggestionFeedback.objects.filter(
            kind=SuggestionKind.LABEL, issue__repository=repository
        )
        if active is not None:
            issues = issues.filter(updated_at__gt=active.trained_at)
            feedback = feedback.filter(decided_at__gt=active.trained_at)
        if issues.exists() or feedback.exists():
            due.append(repository)
    return due
