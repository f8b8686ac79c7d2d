"""Scoring the label classifier the way the NLBSE'24 issue-report benchmark does.

One classifier per repository, macro F1 per repository, then the average over repositories.
Used by `manage.py triage_eval` (a train CSV against an eval CSV) and `bench/triage_quality.py`
(k-fold cross-validation on one CSV). Texts are prepared and embedded exactly as triage does, and
each classifier is trained with `label_classifier_train` and the method given (labels.py).
A `finetuned` classifier ignores the stored embeddings and encodes texts itself, so they are not
computed for it; cross-validation shares the frozen layers' states between folds (each text
passes through them once), while a train/eval split computes them per classifier as triage would.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models_hub.embeddings.text import issue_text
from models_hub.training.labels import METHOD_FINETUNED, label_classifier_train, label_method_default

Encode = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class LabelledIssue:
    repo: str
    text: str  # prepared with issue_text
    label: str


def labelled_issues_read(*, path: Path) -> list[LabelledIssue]:
    """Rows of a `repo,title,body,label` CSV (extra columns ignored; bodies may span lines)."""
    csv.field_size_limit(sys.maxsize)
    with Path(path).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"repo", "title", "body", "label"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        return [
            LabelledIssue(
                row["repo"], issue_text(title=row["title"], body=row["body"]), row["label"]
            )
            for row in reader
        ]


def macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(list(truth), list(predicted), average="macro"))


def _by_repo(issues: Sequence[LabelledIssue]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for index, issue in enumerate(issues):
        groups[issue.repo].append(index)
    return dict(sorted(groups.items()))


@dataclass(frozen=True)
class Trainer:
    """How each per-repository classifier is trained and applied in an evaluation."""

    model_id: str
    method: str
    encoder: Any = None  # the base Encoder for `finetuned` (loaded for model_id when None)
    state_cache: dict | None = None

    def fit_predict(self, issues, vectors, train_rows, test_rows) -> tuple[np.ndarray, list[str]]:
        classifier = label_classifier_train(
            texts=[issues[i].text for i in train_rows],
            vectors=vectors[train_rows],
            labels=[issues[i].label for i in train_rows],
            embedding_model_id=self.model_id,
            method=self.method,
            encoder=self.encoder,
            state_cache=self.state_cache,
        )
        probabilities = classifier.probabilities(
            vectors=vectors[test_rows],
            texts=[issues[i].text for i in test_rows],
            cache=self.state_cache,
        )
        return probabilities, classifier.labels

    def vectors(self, encode: Encode, texts: list[str]) -> np.ndarray:
        if self.method == METHOD_FINETUNED:  # it encodes texts itself: nothing to precompute
            return np.zeros((len(texts), 0), dtype=np.float32)
        return encode(texts)


def label_eval_split(
    *,
    train: Sequence[LabelledIssue],
    evaluate: Sequence[LabelledIssue],
    encode: Encode,
    model_id: str,
    method: str | None = None,
    encoder: Any = None,
) -> dict:
    """Train per repository on `train`, score on `evaluate` (repositories present in both)."""
    trainer = Trainer(model_id=model_id, method=method or label_method_default(), encoder=encoder)
    issues = [*train, *evaluate]
    vectors = trainer.vectors(encode, [issue.text for issue in issues])
    train_groups = _by_repo(train)
    scores = {}
    for repo, eval_rows in _by_repo(evaluate).items():
        if repo not in train_groups:
            continue
        eval_rows = [len(train) + i for i in eval_rows]
        probabilities, labels = trainer.fit_predict(issues, vectors, train_groups[repo], eval_rows)
        predicted = [labels[i] for i in probabilities.argmax(axis=1)]
        scores[repo] = round(macro_f1([issues[i].label for i in eval_rows], predicted), 4)
    return _summary(scores)


def label_cross_validate(
    *,
    issues: Sequence[LabelledIssue],
    encode: Encode,
    model_id: str,
    folds: int = 5,
    seed: int = 0,
    method: str | None = None,
    encoder: Any = None,
    fold_limit: int | None = None,
) -> dict:
    """Stratified k-fold per repository; out-of-fold predictions scored per repository.

    `fold_limit` scores only the first folds of each repository (quick runs while tuning)."""
    from sklearn.model_selection import StratifiedKFold

    trainer = Trainer(
        model_id=model_id,
        method=method or label_method_default(),
        encoder=encoder,
        state_cache={},
    )
    vectors = trainer.vectors(encode, [issue.text for issue in issues])
    scores, confidences, correct = {}, [], []
    for repo, rows in _by_repo(issues).items():
        rows = np.asarray(rows)
        truth = np.asarray([issues[i].label for i in rows], dtype=object)
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        scored, predicted = [], []
        for train_at, test_at in list(splitter.split(rows, truth))[:fold_limit]:
            probabilities, labels = trainer.fit_predict(
                issues, vectors, rows[train_at], rows[test_at]
            )
            predicted.extend(labels[i] for i in probabilities.argmax(axis=1))
            scored.extend(test_at)
            confidences.extend(probabilities.max(axis=1))
        correct.extend(np.asarray(predicted, dtype=object) == truth[scored])
        scores[repo] = round(macro_f1(list(truth[scored]), predicted), 4)
    summary = _summary(scores)
    summary.update(coverage_at_precision(np.asarray(confidences), np.asarray(correct), 0.9))
    return summary


def coverage_at_precision(confidence: np.ndarray, correct: np.ndarray, precision: float) -> dict:
    """The lowest confidence threshold whose accepted suggestions reach `precision`, and the
    share of issues that still get a label there (the rest abstain)."""
    order = np.argsort(-confidence, kind="stable")
    hits = np.cumsum(correct[order])
    running = hits / np.arange(1, len(order) + 1)
    reaching = np.nonzero(running >= precision)[0]
    key = f"coverage_at_{round(precision * 100)}_precision"
    if len(reaching) == 0:
        return {key: 0.0, "abstain_below": None}
    last = int(reaching[-1])
    return {
        key: round((last + 1) / len(order), 4),
        "precision_there": round(float(running[last]), 4),
        "abstain_below": round(float(confidence[order[last]]), 4),
    }


def _summary(scores: dict[str, float]) -> dict:
    average = round(float(np.mean(list(scores.values()))), 4) if scores else 0.0
    return {"per_repository_macro_f1": scores, "average_macro_f1": average}
