"""The n-gram member of the `ensemble` label classifier: TF-IDF over hashed word 1-2 grams and
character 2-5 grams (within words) of the prepared text, and a logistic regression over them.

Why: a sentence model blurs what a repository's issues say in their own words: template
headings (`### Please describe the feature you'd like to see added`), error fragments, API
names, version strings. Character n-grams catch those even when tokenisation splits them. On
NLBSE'24 (5-fold CV per repository, the folds of bench/triage_quality.py) this model alone
scores an average macro F1 of 0.757 (0.749 keeping character n-grams seen once), the frozen
MiniLM embedding alone 0.717, the average of the two models' probabilities 0.776: their mistakes
are different ones.

Hashing instead of a vocabulary keeps the whole model in tensors: the inverse document
frequencies (one float per hashed feature, learned from the training rows only) and the
regression's weights, stored as safetensors tensors beside the rest of the classifier.
Pure numpy / scipy / scikit-learn, no torch and no Django: the exported loader bundles this
module as is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

NGRAM_FEATURES = 2**18  # per block (words, characters)
NGRAM_SPEC = (
    "tf-idf (sublinear) of hashed word 1-2 grams and char_wb 2-5 grams (those in >= 2 training "
    "texts), l2 per block"
)
# Per block: n-grams in fewer training texts get idf 0 (dropped). Character n-grams seen once
# are mostly noise (hashes, paths, ids); dropping them: 0.749 -> 0.757 (see the docstring).
NGRAM_MIN_DF = (1, 2)
NGRAM_C = 10.0
NGRAM_PREFIX = "ngrams."


def _vectorizers():
    from sklearn.feature_extraction.text import HashingVectorizer

    common = {"n_features": NGRAM_FEATURES, "alternate_sign": False, "norm": None}
    return (
        HashingVectorizer(ngram_range=(1, 2), **common),
        HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), **common),
    )


def ngram_counts(texts: Sequence[str]) -> list:
    """Hashed counts of each block: (texts, NGRAM_FEATURES) sparse matrices, words then chars."""
    return [vectorizer.transform(list(texts)) for vectorizer in _vectorizers()]


def _tfidf(counts, idf: np.ndarray):
    """Sublinear tf times idf, unit length per row (scikit-learn's TfidfTransformer)."""
    from sklearn.preprocessing import normalize

    counts = counts.tocsr().astype(np.float64)
    counts.data = np.log(counts.data) + 1.0
    return normalize(counts.multiply(idf[None, :]).tocsr(), norm="l2")


def _idf(counts, min_df: int = 1) -> np.ndarray:
    """Smoothed inverse document frequency, as TfidfTransformer(smooth_idf=True) computes it;
    0 for n-grams in fewer than `min_df` texts (TfidfVectorizer(min_df=...) drops them)."""
    documents = counts.shape[0]
    frequency = np.bincount(counts.tocsr().indices, minlength=counts.shape[1])
    idf = np.log((1 + documents) / (1 + frequency)) + 1.0
    if min_df > 1:
        idf[frequency < min_df] = 0.0
    return idf.astype(np.float32)


@dataclass
class NgramModel:
    labels: list[str]
    idf: list[np.ndarray]  # one (NGRAM_FEATURES,) vector per block
    weights: np.ndarray  # (labels, blocks * NGRAM_FEATURES)
    bias: np.ndarray  # (labels,)

    def features(self, texts: Sequence[str], counts: list | None = None):
        from scipy import sparse

        counts = ngram_counts(texts) if counts is None else counts
        blocks = [_tfidf(block, idf) for block, idf in zip(counts, self.idf, strict=True)]
        return sparse.hstack(blocks, format="csr")

    def probabilities(self, texts: Sequence[str], counts: list | None = None) -> np.ndarray:
        logits = self.features(texts, counts) @ self.weights.T + self.bias
        return softmax(np.asarray(logits))

    def tensors(self) -> dict[str, np.ndarray]:
        out = {f"{NGRAM_PREFIX}idf.{i}": np.ascontiguousarray(v) for i, v in enumerate(self.idf)}
        out[f"{NGRAM_PREFIX}weights"] = np.ascontiguousarray(self.weights, dtype=np.float32)
        out[f"{NGRAM_PREFIX}bias"] = np.ascontiguousarray(self.bias, dtype=np.float32)
        return out

    @classmethod
    def from_tensors(cls, labels: list[str], tensors: Mapping[str, np.ndarray]) -> NgramModel:
        blocks = sorted(
            int(name.rsplit(".", 1)[1])
            for name in tensors
            if name.startswith(f"{NGRAM_PREFIX}idf.")
        )
        return cls(
            labels=list(labels),
            idf=[np.asarray(tensors[f"{NGRAM_PREFIX}idf.{i}"]) for i in blocks],
            weights=np.asarray(tensors[f"{NGRAM_PREFIX}weights"]),
            bias=np.asarray(tensors[f"{NGRAM_PREFIX}bias"]),
        )


def ngram_train(
    *, texts: Sequence[str], labels: Sequence[str], classes: list[str], c: float = NGRAM_C
) -> NgramModel:
    """Fit the idf on these texts and a multinomial logistic regression on their tf-idf."""
    from sklearn.linear_model import LogisticRegression

    counts = ngram_counts(texts)
    idf = [_idf(block, min_df) for block, min_df in zip(counts, NGRAM_MIN_DF, strict=True)]
    model = NgramModel(labels=classes, idf=idf, weights=np.zeros(0), bias=np.zeros(0))
    regression = LogisticRegression(C=c, max_iter=3000)
    regression.fit(model.features(texts, counts), [str(label) for label in labels])
    weights, bias = regression.coef_, regression.intercept_
    if [str(label) for label in regression.classes_] != classes:
        raise ValueError("the n-gram model saw other labels than the classifier")
    model.weights, model.bias = two_class_rows(weights, bias, len(classes))
    return model


def two_class_rows(weights: np.ndarray, bias: np.ndarray, classes: int):
    """scikit-learn keeps one row for two classes: spell out both (C-contiguous float32)."""
    if classes == 2:
        weights = np.vstack([-weights[0] / 2, weights[0] / 2])
        bias = np.array([-bias[0], bias[0]]) / 2
    return (
        np.ascontiguousarray(weights, dtype=np.float32),
        np.ascontiguousarray(bias, dtype=np.float32),
    )


def softmax(logits: np.ndarray) -> np.ndarray:
    logits = np.asarray(logits, dtype=np.float64)
    logits = logits - np.max(logits, axis=1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)
