"""One evaluation path for the label classifier: training, benchmarks and production score a
classifier the same way.

- The rule: `label_suggestions` is `LabelClassifier.suggest` (the best label, or abstain below
  the classifier's threshold), raised to a repository's floor when one is given. Benchmarks,
  `manage.py evaluate` and the challenger replay see exactly what triage would suggest.
- The score: `suggestions_score` reads suggestions against the true labels: macro F1, accuracy
  and per-label precision/recall/F1 of the best label (NLBSE'24's metric: one label per issue,
  abstaining is not an answer there), the share that gets a label under the rule (`coverage`)
  and how often that label is right, the precision-coverage curve, and the lowest confidence at
  which suggestions are right 90% of the time (`abstain_below`: what training calibrates the
  threshold from).
- Where suggestions come from: `label_kfold_score` (stratified k-fold, out of fold, on one
  labelled set: a repository's retraining, a benchmark subset's calibration), `classifier_score`
  (a trained classifier on held-out rows: a benchmark's test split, a stored version), and per
  repository on CSV rows, NLBSE-style (csv_evaluation.py).

Texts are prepared with `issue_text` as triage prepares them. A `finetuned` classifier encodes
texts itself (stored vectors are not computed for it); an `ensemble` encodes them itself and
reads the stored vectors too; k-fold shares the frozen layers' states between folds, so each
text passes through them once.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from models_hub.training.ensemble import ablations
from models_hub.training.labels import (
    DEFAULT_THRESHOLD,
    READS_VECTORS,
    TUNED,
    LabelClassifier,
    LabelSuggestion,
    label_classifier_train,
    label_method_default,
    suggestions_of,
)

Encode = Callable[[list[str]], np.ndarray]
TARGET_PRECISION = 0.9
FOLDS = 5
MIN_FOLDS = 3


# The rule and the score.


def label_suggestions(
    *,
    classifier: LabelClassifier,
    texts: Sequence[str],
    vectors: np.ndarray,
    floor: float = 0.0,
    cache: dict | None = None,
) -> list[LabelSuggestion]:
    """What triage suggests for these texts: `classifier.suggest`, abstaining below `floor`
    too (a repository's `TriageSettings.label_threshold`). `cache`: shared frozen states of a
    finetuned classifier (k-fold)."""
    suggestions = classifier.suggest(vectors=vectors, texts=texts, cache=cache)
    return [
        dataclasses.replace(s, label=None) if s.label is not None and s.confidence < floor else s
        for s in suggestions
    ]


def best_label(suggestion: LabelSuggestion) -> str:
    """The most likely label, suggested or not (the first of equals, in label order)."""
    return max(suggestion.scores, key=suggestion.scores.__getitem__)


def suggestions_score(
    *, truth: Sequence[str], suggestions: Sequence[LabelSuggestion]
) -> dict[str, Any]:
    """Scores of suggestions against the true labels (see the module docstring)."""
    from sklearn.metrics import f1_score

    truth_array = np.asarray([str(label) for label in truth], dtype=object)
    predicted = np.asarray([best_label(s) for s in suggestions], dtype=object)
    confidence = np.asarray([s.confidence for s in suggestions], dtype=float)
    suggested = np.asarray([s.label is not None for s in suggestions], dtype=bool)
    correct = predicted == truth_array
    threshold, coverage_at_target = precision_cut(confidence, correct, TARGET_PRECISION)
    return {
        "samples": len(truth_array),
        "macro_f1": round(float(f1_score(truth_array, predicted, average="macro")), 4),
        "accuracy": round(float(correct.mean()), 4),
        "per_label": per_label_scores(truth=truth_array, predicted=predicted),
        "coverage": round(float(suggested.mean()), 4),
        "precision_when_suggested": (
            round(float(correct[suggested].mean()), 4) if suggested.any() else None
        ),
        "curve": precision_coverage_curve(confidence, correct),
        "coverage_at_90_precision": round(coverage_at_target, 4),
        "threshold_at_90_precision": None if threshold is None else round(threshold, 4),
        # Every confidence seen reached the target: nothing says where to abstain.
        "abstain_below": (
            None if threshold is None or coverage_at_target == 1.0 else round(threshold, 4)
        ),
    }


def per_label_scores(*, truth: np.ndarray, predicted: np.ndarray) -> dict[str, dict]:
    from sklearn.metrics import precision_recall_fscore_support

    labels = sorted({str(x) for x in truth})
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0
    )
    return {
        label: {
            "precision": round(float(p), 4),
            "recall": round(float(r), 4),
            "f1": round(float(f), 4),
            "support": int(n),
        }
        for label, p, r, f, n in zip(labels, precision, recall, f1, support, strict=True)
    }


def precision_coverage_curve(
    confidence: np.ndarray, correct: np.ndarray, points: int = 21
) -> list[dict]:
    """[{threshold, coverage, precision}] at evenly spaced confidences from 0 to 1: what share
    of issues get a label, and how often it is right, when suggesting only above each."""
    curve = []
    for threshold in np.linspace(0.0, 1.0, points):
        chosen = confidence >= threshold
        count = int(chosen.sum())
        curve.append(
            {
                "threshold": round(float(threshold), 3),
                "coverage": round(count / len(confidence), 4) if len(confidence) else 0.0,
                "precision": round(float(correct[chosen].mean()), 4) if count else None,
            }
        )
    return curve


def precision_cut(
    confidence: np.ndarray, correct: np.ndarray, target: float
) -> tuple[float | None, float]:
    """The lowest confidence at which suggestions at or above it are right `target` of the
    time, and the share of issues at or above it; (None, 0.0) when none is."""
    ranked, running = _ranked_precision(confidence, correct)
    good = np.flatnonzero(running >= target)
    if good.size == 0:
        return None, 0.0
    cut = int(good[-1])
    return float(confidence[ranked[cut]]), (cut + 1) / len(ranked)


def coverage_at_precision(confidence: np.ndarray, correct: np.ndarray, precision: float) -> dict:
    """`precision_cut` as a dict: coverage_at_<P>_precision, precision_there, abstain_below."""
    key = f"coverage_at_{round(precision * 100)}_precision"
    threshold, coverage = precision_cut(confidence, correct, precision)
    if threshold is None:
        return {key: 0.0, "abstain_below": None}
    _, running = _ranked_precision(confidence, correct)
    return {
        key: round(coverage, 4),
        "precision_there": round(float(running[round(coverage * len(running)) - 1]), 4),
        "abstain_below": round(threshold, 4),
    }


def _ranked_precision(confidence: np.ndarray, correct: np.ndarray):
    ranked = np.argsort(-np.asarray(confidence), kind="stable")
    return ranked, np.cumsum(np.asarray(correct)[ranked]) / np.arange(1, len(ranked) + 1)


# Where suggestions come from.


def classifier_score(
    *,
    classifier: LabelClassifier,
    texts: Sequence[str],
    vectors: np.ndarray,
    labels: Sequence[str],
    floor: float = 0.0,
) -> dict[str, Any]:
    """A trained classifier on held-out labelled rows, through the production rule."""
    suggestions = label_suggestions(
        classifier=classifier, texts=texts, vectors=vectors, floor=floor
    )
    return suggestions_score(truth=labels, suggestions=suggestions)


@dataclass(frozen=True)
class Trainer:
    """How each classifier of an evaluation is trained: base model, method, seed."""

    model_id: str
    method: str
    seed: int = 0
    encoder: Any = None  # the base Encoder for tuned methods (loaded for model_id when None)
    state_cache: dict | None = None
    tune: bool = True  # False: an ensemble's main member reads the stored vectors (no tuning)
    finetune: Any = None  # FineTuneSettings for tuned methods; None: the defaults with `seed`

    def fit(
        self,
        texts: Sequence[str],
        vectors: np.ndarray,
        labels: Sequence[str],
        threshold: float = DEFAULT_THRESHOLD,
    ) -> LabelClassifier:
        from models_hub.training.finetune import FineTuneSettings

        settings = self.finetune or FineTuneSettings(seed=self.seed)
        return label_classifier_train(
            texts=list(texts),
            vectors=vectors,
            labels=list(labels),
            embedding_model_id=self.model_id,
            threshold=threshold,
            method=self.method,
            finetune=settings if self.method in TUNED else None,
            encoder=self.encoder,
            state_cache=self.state_cache,
            tune=self.tune,
        )

    def out_of_fold(
        self,
        texts: Sequence[str],
        vectors: np.ndarray,
        labels: Sequence[str],
        folds: int,
        fold_limit: int | None = None,
    ) -> tuple[list[int], list[LabelSuggestion]]:
        """Stratified k-fold: the rows scored, in row order, and their out-of-fold suggestions.
        `fold_limit` stops after that many folds (quick runs while tuning)."""
        rows, members, _ = self.out_of_fold_members(texts, vectors, labels, folds, fold_limit)
        return rows, members["combined"]

    def out_of_fold_members(
        self,
        texts: Sequence[str],
        vectors: np.ndarray,
        labels: Sequence[str],
        folds: int,
        fold_limit: int | None = None,
    ) -> tuple[list[int], dict[str, list[LabelSuggestion]], dict[str, float]]:
        """`out_of_fold`, with each member's suggestions beside the classifier's (`combined`;
        a tuned ensemble's `main` member is exactly the `finetuned` method trained on the same
        rows) and, for an ensemble of three or more, the combination without each member
        (`without NAME`), and the training seconds per member summed over the folds (`total`:
        all)."""
        from sklearn.model_selection import StratifiedKFold

        truth = np.asarray([str(label) for label in labels], dtype=object)
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.seed)
        found: dict[str, dict[int, LabelSuggestion]] = {}
        seconds: Counter = Counter()
        for train, test in list(splitter.split(np.zeros(len(truth)), truth))[:fold_limit]:
            classifier = self.fit([texts[i] for i in train], vectors[train], truth[train])
            seconds["total"] += float(classifier.metadata["train_seconds"])
            seconds.update(json.loads(classifier.metadata.get("member_seconds", "{}")))
            probabilities = classifier.member_probabilities(
                texts=[texts[i] for i in test], vectors=vectors[test], cache=self.state_cache
            )
            probabilities.update(
                ablations(probabilities, classifier.members, classifier.combination)
            )
            for name, member in probabilities.items():
                suggested = suggestions_of(member, classifier)
                found.setdefault(name, {}).update(zip(test.tolist(), suggested, strict=True))
        rows = sorted(found["combined"])
        members = {name: [by_row[i] for i in rows] for name, by_row in found.items()}
        return rows, members, {name: round(value, 1) for name, value in seconds.items()}

    def vectors(self, encode: Encode, texts: list[str]) -> np.ndarray:
        if self.method not in READS_VECTORS:  # it encodes texts itself: nothing to precompute
            return np.zeros((len(texts), 0), dtype=np.float32)
        return encode(texts)


def label_kfold_score(
    *,
    texts: Sequence[str],
    vectors: np.ndarray,
    labels: Sequence[str],
    model_id: str,
    folds: int = FOLDS,
    seed: int = 0,
    method: str | None = None,
    encoder: Any = None,
    state_cache: dict | None = None,
) -> dict[str, Any]:
    """Out-of-fold scores on one labelled set (k = min(`folds`, examples of the rarest label),
    at least 3): `suggestions_score` plus `evaluated`, `folds`; or `evaluated: False` with the
    reason when the set is too small. `state_cache`: frozen states to share with a later
    training on the same texts (finetuned)."""
    rarest = min(Counter(str(label) for label in labels).values())
    folds = min(folds, rarest)
    if folds < MIN_FOLDS:
        return {"evaluated": False, "reason": f"the rarest label has only {rarest} examples"}
    trainer = Trainer(
        model_id=model_id,
        method=method or label_method_default(),
        seed=seed,
        encoder=encoder,
        state_cache={} if state_cache is None else state_cache,
    )
    rows, suggestions = trainer.out_of_fold(texts, np.asarray(vectors), labels, folds)
    score = suggestions_score(truth=[str(labels[i]) for i in rows], suggestions=suggestions)
    return {**score, "evaluated": True, "folds": folds}
