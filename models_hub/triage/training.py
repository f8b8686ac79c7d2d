"""Retraining a repository's label classifier from its own labelled issues and maintainers'
feedback, then registering the result as a new model version.

Which issues and labels: `models_hub.triage.vocabulary` (its docstring states the rule).
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
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from community.models import Issue, Repository
from models_hub.embeddings.config import embedding_model_id
from models_hub.embeddings.store import issues_embed
from models_hub.embeddings.text import issue_text
from models_hub.models import (
    Embedding,
    ModelKind,
    ModelVersion,
    SuggestionFeedback,
    SuggestionKind,
    TriageSettings,
)
from models_hub.registry import model_version_active, model_version_create
from models_hub.triage.vocabulary import MIN_PER_LABEL, LabelledExamples, label_examples

if TYPE_CHECKING:
    from models_hub.embeddings.encoder import Encoder

FOLDS = 5
MIN_FOLDS = 3
TARGET_PRECISION = 0.9
EMBED_CHUNK = 256


@dataclass(frozen=True)
class RetrainOutcome:
    repository: Repository
    version: ModelVersion | None  # None: skipped
    reason: str = ""  # why it was skipped
    seconds: float = 0.0


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
) -> RetrainOutcome:
    """Train on the repository's labelled issues and feedback; register (and activate) it.

    `embed_missing=False` trains only on issues that already have an embedding (the demo
    embeds a bounded set first). `method`: the label classifier's training method, None for
    the configured one (STEWARD_LABEL_CLASSIFIER_METHOD). Skips, with the reason, when fewer
    than two labels have `min_per_label` examples.
    """
    started = time.perf_counter()
    trained_at = dt.datetime.now(dt.UTC)  # before reading: later labels make it due again
    examples = label_examples(repository=repository, min_per_label=min_per_label)
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
        texts=texts, vectors=vectors, labels=labels, model_id=model_id, folds=folds, method=method
    )
    calibrated = metrics.get("abstain_below")
    threshold = max(floor, calibrated) if calibrated is not None else floor
    version = _register(
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
    )
    return RetrainOutcome(repository, version, "", round(time.perf_counter() - started, 2))


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
) -> ModelVersion:
    from models_hub.triage.labels import label_classifier_save, label_classifier_train

    classifier = label_classifier_train(
        texts=texts,
        vectors=vectors,
        labels=labels,
        embedding_model_id=model_id,
        threshold=threshold,
        method=method,
    )
    metadata = {
        **record,
        "samples": len(labels),
        "label_counts": dict(sorted(Counter(labels).items())),
        "labels": classifier.labels,
        "embedding_model_id": model_id,
        "threshold": round(threshold, 4),
        "hyperparameters": {
            key: value
            for key, value in {
                **classifier.metadata,
                "embedding_weight": classifier.embedding_weight,
            }.items()
            if key not in ("trained_at", "samples", "label_counts")
        },
    }
    with tempfile.TemporaryDirectory(prefix="steward-train-") as folder:
        path = Path(folder) / "label-classifier.safetensors"
        label_classifier_save(classifier=classifier, path=path)
        return model_version_create(
            kind=ModelKind.LABEL_CLASSIFIER,
            repository=repository,
            path_of_temp_artifact=path,
            metadata=metadata,
            metrics=metrics,
            activate=activate,
        )


def label_cross_validate(
    *,
    texts: list[str],
    vectors: np.ndarray,
    labels: list[str],
    model_id: str,
    folds: int = FOLDS,
    method: str | None = None,
) -> dict:
    """Out-of-fold macro F1 and coverage at 90% precision (see the module docstring)."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    from models_hub.triage.labels import label_classifier_train

    rarest = min(Counter(labels).values())
    folds = min(folds, rarest)
    if folds < MIN_FOLDS:
        return {"evaluated": False, "reason": f"the rarest label has only {rarest} examples"}
    truth = np.asarray(labels, dtype=object)
    predicted = np.empty(len(labels), dtype=object)
    confidence = np.zeros(len(labels))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for train, test in splitter.split(np.zeros(len(labels)), truth):
        classifier = label_classifier_train(
            texts=[texts[i] for i in train],
            vectors=vectors[train],
            labels=list(truth[train]),
            embedding_model_id=model_id,
            method=method,
        )
        probabilities = classifier.probabilities(
            vectors=vectors[test], texts=[texts[i] for i in test]
        )
        predicted[test] = [classifier.labels[i] for i in probabilities.argmax(axis=1)]
        confidence[test] = probabilities.max(axis=1)
    correct = predicted == truth
    threshold, coverage = precision_cut(confidence, correct, TARGET_PRECISION)
    return {
        "evaluated": True,
        "folds": folds,
        "samples": len(labels),
        "macro_f1": round(float(f1_score(truth, predicted, average="macro")), 4),
        "accuracy": round(float(correct.mean()), 4),
        "coverage_at_90_precision": round(coverage, 4),
        "threshold_at_90_precision": None if threshold is None else round(threshold, 4),
        # Every confidence seen reached the target: nothing says where to abstain.
        "abstain_below": None if threshold is None or coverage == 1.0 else round(threshold, 4),
    }


def precision_cut(
    confidence: np.ndarray, correct: np.ndarray, target: float
) -> tuple[float | None, float]:
    """The lowest confidence at which suggestions at or above it are right `target` of the
    time, and the share of issues at or above it; (None, 0.0) when none is."""
    ranked = np.argsort(-confidence, kind="stable")
    precision = np.cumsum(correct[ranked]) / np.arange(1, len(ranked) + 1)
    good = np.flatnonzero(precision >= target)
    if good.size == 0:
        return None, 0.0
    cut = int(good[-1])
    return float(confidence[ranked[cut]]), (cut + 1) / len(ranked)


def label_classifiers_due() -> list[Repository]:
    """Tracked repositories with labelled issues updated, or label feedback given, since their
    active classifier was trained (all with labelled issues when none is active yet)."""
    due = []
    for repository in Repository.objects.filter(tracked=True, deleted_at__isnull=True):
        active = model_version_active(kind=ModelKind.LABEL_CLASSIFIER, repository=repository)
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
