"""The label classifier: one per repository, trained on its own labelled issues.

Features are the issue's embedding (the meaning) beside hashed word uni- and bigrams of its
prepared text (the repository's own vocabulary and template headings, which a frozen sentence
model blurs). Both blocks are unit length; one multinomial logistic regression reads them.
The hashing trick keeps the whole model in tensors, so the artifact is a single safetensors file
whose metadata records what it was trained on.

Suggestions abstain below `threshold`: a maintainer sees no label rather than a likely-wrong one.
scikit-learn and safetensors are imported inside functions (the worker's `ml` extra).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HASH_FEATURES = 2**16
# Weight of the embedding block against the word block, and the inverse regularisation
# strength: tuned by 5-fold cross-validation per repository on NLBSE'24 (bench/triage_quality.py).
EMBEDDING_WEIGHT = 1.0
REGULARISATION_C = 10.0
DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class LabelSuggestion:
    label: str | None  # None: abstained
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)


def _word_features(texts: Sequence[str]):
    from sklearn.feature_extraction.text import HashingVectorizer

    vectorizer = HashingVectorizer(
        n_features=HASH_FEATURES, ngram_range=(1, 2), alternate_sign=False, norm="l2"
    )
    return vectorizer.transform(list(texts))


def _features(vectors: np.ndarray, texts: Sequence[str], embedding_weight: float):
    from scipy import sparse

    dense = sparse.csr_matrix(np.asarray(vectors, dtype=np.float32) * embedding_weight)
    return sparse.hstack([dense, _word_features(texts)], format="csr")


@dataclass
class LabelClassifier:
    labels: list[str]
    weights: np.ndarray  # (labels, embedding dimension + HASH_FEATURES)
    bias: np.ndarray  # (labels,)
    embedding_model_id: str
    embedding_weight: float = EMBEDDING_WEIGHT
    threshold: float = DEFAULT_THRESHOLD
    metadata: dict[str, str] = field(default_factory=dict)

    def probabilities(self, *, vectors: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        logits = _features(vectors, texts, self.embedding_weight) @ self.weights.T + self.bias
        logits = np.asarray(logits) - np.max(logits, axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def suggest(self, *, vectors: np.ndarray, texts: Sequence[str]) -> list[LabelSuggestion]:
        out = []
        for row in self.probabilities(vectors=vectors, texts=texts):
            best = int(row.argmax())
            out.append(
                LabelSuggestion(
                    label=self.labels[best] if row[best] >= self.threshold else None,
                    confidence=float(row[best]),
                    scores={label: float(p) for label, p in zip(self.labels, row, strict=True)},
                )
            )
        return out


def label_classifier_train(
    *,
    texts: Sequence[str],
    vectors: np.ndarray,
    labels: Sequence[str],
    embedding_model_id: str,
    threshold: float = DEFAULT_THRESHOLD,
    regularisation_c: float = REGULARISATION_C,
    embedding_weight: float = EMBEDDING_WEIGHT,
) -> LabelClassifier:
    """Fit the classifier on prepared texts, their embeddings and their labels."""
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:
        raise ValueError("a label classifier needs at least two distinct labels")
    model = LogisticRegression(C=regularisation_c, max_iter=2000)
    model.fit(_features(vectors, texts, embedding_weight), list(labels))
    classes = [str(label) for label in model.classes_]
    weights, bias = model.coef_, model.intercept_
    if len(classes) == 2:  # scikit-learn keeps one row for two classes: spell out both
        weights, bias = (
            np.vstack([-weights[0] / 2, weights[0] / 2]),
            np.array([-bias[0], bias[0]]) / 2,
        )
    return LabelClassifier(
        labels=classes,
        weights=np.ascontiguousarray(weights, dtype=np.float32),
        bias=np.ascontiguousarray(bias, dtype=np.float32),
        embedding_model_id=embedding_model_id,
        embedding_weight=embedding_weight,
        threshold=threshold,
        metadata={
            "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "samples": str(len(texts)),
            "label_counts": json.dumps({c: list(labels).count(c) for c in classes}),
            "regularisation_c": str(regularisation_c),
        },
    )


def label_classifier_save(*, classifier: LabelClassifier, path: Path) -> None:
    """One safetensors file: the weights, and in its metadata everything needed to use them."""
    from safetensors.numpy import save_file

    metadata = {
        **classifier.metadata,
        "labels": json.dumps(classifier.labels),
        "embedding_model_id": classifier.embedding_model_id,
        "embedding_weight": str(classifier.embedding_weight),
        "threshold": str(classifier.threshold),
        "hash_features": str(HASH_FEATURES),
        "features": "embedding + hashed word 1-2 grams (l2), multinomial logistic regression",
    }
    # safetensors writes the raw buffer: Fortran-ordered arrays (scikit-learn coef_) come back
    # scrambled unless made C-contiguous.
    tensors = {
        "weights": np.ascontiguousarray(classifier.weights),
        "bias": np.ascontiguousarray(classifier.bias),
    }
    save_file(tensors, str(path), metadata=metadata)


def label_classifier_load(*, path: Path) -> LabelClassifier:
    from safetensors import safe_open

    with safe_open(str(path), framework="numpy") as handle:
        metadata = dict(handle.metadata())
        weights, bias = handle.get_tensor("weights"), handle.get_tensor("bias")
    if int(metadata.pop("hash_features")) != HASH_FEATURES:
        raise ValueError("classifier was trained with another word-hashing size")
    metadata.pop("features", None)
    return LabelClassifier(
        labels=json.loads(metadata.pop("labels")),
        weights=weights,
        bias=bias,
        embedding_model_id=metadata.pop("embedding_model_id"),
        embedding_weight=float(metadata.pop("embedding_weight")),
        threshold=float(metadata.pop("threshold")),
        metadata=metadata,
    )
