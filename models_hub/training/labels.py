"""The label classifier: one per repository, trained on its own labelled issues.

Features are an embedding of the issue (the meaning) beside hashed word uni- and bigrams of its
prepared text and, in a block of their own, of its title (the repository's own vocabulary and
template headings, which a sentence model blurs; a word in the title says more than the same
word deep in a body). All blocks are unit length; one multinomial logistic regression reads them.

Three methods:
- `frozen`: the embedding is the base model's stored embedding, as the triage engine passes it
  (`vectors`);
- `finetuned`: the embedding is the base model with its top layers tuned on the repository's
  issues (finetune.py); the classifier encodes `texts` itself;
- `ensemble` (the default): two models' probabilities combined (ensemble.py), each trained
  on the same rows: the `finetuned` classifier above and a TF-IDF word and character n-gram
  regression (ngrams.py). They err on different issues; see BEST_METHOD for what that buys.

The hashing trick keeps the whole model in tensors, so the artifact is a single safetensors file:
the regression's weights, the tuned layers' tensors (finetuned), and in its metadata what it was
trained on, how, and how long it took (label_files.py saves, loads and describes it).
Suggestions abstain below `threshold`: a maintainer sees no label rather than a likely-wrong one.
scikit-learn and torch are imported inside functions (the worker's `ml` extra).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from models_hub.training.ensemble import (
    COMBINE_MEAN,
    ensemble_probabilities,
    fit_members,
)
from models_hub.training.finetune import FineTuneSettings, StateCache
from models_hub.training.ngrams import NgramModel, softmax, two_class_rows

HASH_FEATURES = 2**16
WORD_FEATURES = "text 1-2 grams + title 1-2 grams, hashed, l2 per block"
# Weight of the embedding block against the word blocks, and the inverse regularisation
# strength: tuned by 5-fold cross-validation per repository on NLBSE'24 (bench/triage_quality.py).
EMBEDDING_WEIGHT = 1.0
REGULARISATION_C = 10.0
DEFAULT_THRESHOLD = 0.5

METHOD_FROZEN = "frozen"
METHOD_FINETUNED = "finetuned"
METHOD_ENSEMBLE = "ensemble"
METHODS = (METHOD_FROZEN, METHOD_FINETUNED, METHOD_ENSEMBLE)
# Methods that tune the base model's top layers (and encode `texts` with them).
TUNED = (METHOD_FINETUNED, METHOD_ENSEMBLE)
# Methods that may read the stored embedding (`vectors`: frozen; an ensemble trained with
# tune=False, or with a `frozen` member); the others need none.
READS_VECTORS = (METHOD_FROZEN, METHOD_ENSEMBLE)
# The best method measured (CV per repository on NLBSE'24, the folds of bench/triage_quality.py,
# all five repositories). With the top 2 layers tuned (5 folds): average macro F1 0.789 for
# `finetuned` (coverage at 90% precision 60.0%), 0.805 for `ensemble` averaging its members
# (61.9%), 0.806 multiplying them (64.7%, ensemble.py). With all 6 layers tuned (finetune.py,
# folds 1-2): `finetuned` 0.813 (67%), `ensemble` 0.822 (65%), against 0.775 and 0.793 for the
# 2-layer versions on those folds; all 5 folds: `finetuned` 0.802 (67.5%), `ensemble` 0.814
# (70.3%) with a third member on the frozen embedding, 0.816 (70.0%) without it (the default
# now, ensemble.py). settings.STEWARD_LABEL_CLASSIFIER_METHOD picks the one used.
BEST_METHOD = METHOD_ENSEMBLE


def tuned(method: str, metadata: dict[str, str]) -> bool:
    """Whether a stored classifier's embedding is the tuned model's (else the stored vectors)."""
    if method == METHOD_ENSEMBLE:
        return "finetune_top_layers" in metadata
    return method in TUNED


def label_method_default() -> str:
    """The configured method (STEWARD_LABEL_CLASSIFIER_METHOD), else the benchmark's best."""
    from django.conf import settings

    method = getattr(settings, "STEWARD_LABEL_CLASSIFIER_METHOD", "") or BEST_METHOD
    if method not in METHODS:
        raise ValueError(f"STEWARD_LABEL_CLASSIFIER_METHOD={method!r}: one of {', '.join(METHODS)}")
    return method


@dataclass(frozen=True)
class LabelSuggestion:
    label: str | None  # None: abstained
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)


def _title(text: str) -> str:
    """The title of a text prepared by `issue_text` (title, blank line, body)."""
    return text.split("\n\n", 1)[0]


def _word_features(texts: Sequence[str]):
    from scipy import sparse
    from sklearn.feature_extraction.text import HashingVectorizer

    vectorizer = HashingVectorizer(
        n_features=HASH_FEATURES, ngram_range=(1, 2), alternate_sign=False, norm="l2"
    )
    texts = list(texts)
    return sparse.hstack(
        [vectorizer.transform(texts), vectorizer.transform([_title(t) for t in texts])]
    )


def _features(vectors: np.ndarray, texts: Sequence[str], embedding_weight: float):
    from scipy import sparse

    dense = sparse.csr_matrix(np.asarray(vectors, dtype=np.float32) * embedding_weight)
    return sparse.hstack([dense, _word_features(texts)], format="csr")


@dataclass
class LabelClassifier:
    labels: list[str]
    weights: np.ndarray  # (labels, embedding dimension + 2 * HASH_FEATURES)
    bias: np.ndarray  # (labels,)
    embedding_model_id: str
    embedding_weight: float = EMBEDDING_WEIGHT
    threshold: float = DEFAULT_THRESHOLD
    metadata: dict[str, str] = field(default_factory=dict)
    method: str = METHOD_FROZEN
    # finetuned: the tuned top layers' tensors, named as in the base model, and how they were tuned
    encoder_tensors: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    finetune: FineTuneSettings | None = None
    # ensemble: the n-gram model, the regression on the stored embedding (weights, bias) and the
    # weight of each member in the average
    ngrams: NgramModel | None = field(default=None, repr=False)
    frozen_member: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    members: dict[str, float] = field(default_factory=dict)
    combination: str = COMBINE_MEAN  # how the members' probabilities combine (ensemble.py)
    # The base encoder (models_hub.embeddings.encoder.Encoder) for `finetuned`; loaded on first
    # use when None. The tuned layers are built from it once and kept.
    encoder: Any = field(default=None, repr=False, compare=False)
    _layers: Any = field(default=None, repr=False, compare=False)

    def embeddings(
        self, *, vectors: np.ndarray, texts: Sequence[str], cache: StateCache | None = None
    ) -> np.ndarray:
        """The embedding block: the stored vectors, or the tuned model's encoding of `texts`
        (finetuned; an ensemble unless trained with `tune=False`)."""
        if self.finetune is None:
            return np.asarray(vectors, dtype=np.float32)
        from models_hub.training import finetune

        if self.encoder is None:
            self.encoder = finetune.base_encoder(self.embedding_model_id)
        if self._layers is None:
            self._layers = finetune.tuned_layers(
                encoder=self.encoder,
                top_layers=self.finetune.top_layers,
                tensors=self.encoder_tensors,
            )
        states = finetune.frozen_states(
            encoder=self.encoder,
            texts=texts,
            top_layers=self.finetune.top_layers,
            tokens=self.finetune.max_tokens,
            cache=cache,
        )
        return finetune.finetuned_embed(layers=self._layers, states=states)

    def probabilities(
        self, *, vectors: np.ndarray, texts: Sequence[str], cache: StateCache | None = None
    ) -> np.ndarray:
        return self.member_probabilities(vectors=vectors, texts=texts, cache=cache)["combined"]

    def member_probabilities(
        self, *, vectors: np.ndarray, texts: Sequence[str], cache: StateCache | None = None
    ) -> dict[str, np.ndarray]:
        """Each member's probabilities and their weighted average (`combined`); a frozen or
        finetuned classifier is its one member, `main`."""
        embedded = self.embeddings(vectors=vectors, texts=texts, cache=cache)
        main = main_probabilities(embedded, texts, self.weights, self.bias, self.embedding_weight)
        if self.method != METHOD_ENSEMBLE:
            return {"main": main, "combined": main}
        return ensemble_probabilities(
            main=main,
            texts=texts,
            vectors=vectors,
            ngrams=self.ngrams,
            frozen_member=self.frozen_member,
            members=self.members,
            combination=self.combination,
        )

    def suggest(
        self, *, vectors: np.ndarray, texts: Sequence[str], cache: StateCache | None = None
    ) -> list[LabelSuggestion]:
        return suggestions_of(self.probabilities(vectors=vectors, texts=texts, cache=cache), self)


def main_probabilities(embedded, texts, weights, bias, embedding_weight: float) -> np.ndarray:
    """The regression on the embedding and the hashed words (frozen, finetuned; the ensemble's
    `main` member)."""
    return softmax(np.asarray(_features(embedded, texts, embedding_weight) @ weights.T + bias))


def suggestions_of(probabilities: np.ndarray, classifier) -> list[LabelSuggestion]:
    """The most likely label of each row, or None below the classifier's threshold."""
    out = []
    for row in probabilities:
        best = int(row.argmax())
        out.append(
            LabelSuggestion(
                label=classifier.labels[best] if row[best] >= classifier.threshold else None,
                confidence=float(row[best]),
                scores={label: float(p) for label, p in zip(classifier.labels, row, strict=True)},
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
    method: str | None = None,
    finetune: FineTuneSettings | None = None,
    encoder: Any = None,
    state_cache: StateCache | None = None,
    tune: bool = True,
) -> LabelClassifier:
    """Fit the classifier on prepared texts, their embeddings and their labels.

    `method`: None for the configured one (`label_method_default`). `finetuned` first tunes the
    base model's top layers (`encoder`, or the base model loaded for `embedding_model_id`);
    `state_cache` lets repeated trainings on overlapping texts (cross-validation) compute the
    frozen layers once per text. `ensemble` tunes its first member like `finetuned` unless
    `tune` is False (its first member then reads `vectors`, like `frozen`).
    """
    if len(set(labels)) < 2:
        raise ValueError("a label classifier needs at least two distinct labels")
    method = method or label_method_default()
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: one of {', '.join(METHODS)}")
    started = time.perf_counter()
    classes = sorted({str(label) for label in labels})
    classifier = LabelClassifier(
        labels=classes,
        weights=np.zeros(0, dtype=np.float32),
        bias=np.zeros(0, dtype=np.float32),
        embedding_model_id=embedding_model_id,
        embedding_weight=embedding_weight,
        threshold=threshold,
        method=method,
        encoder=encoder,
    )
    cache = {} if state_cache is None else state_cache  # tuning and fitting share the states
    if method == METHOD_FINETUNED or (method == METHOD_ENSEMBLE and tune):
        _tune(classifier, texts, labels, finetune or FineTuneSettings(), cache)
    embedded = classifier.embeddings(vectors=vectors, texts=texts, cache=cache)
    _fit_regression(classifier, embedded, texts, labels, regularisation_c)
    seconds = {"main": time.perf_counter() - started}
    if method == METHOD_ENSEMBLE:
        fit_members(classifier, texts, vectors, labels, seconds)
    classifier.metadata = {
        "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "method": method,
        "samples": str(len(texts)),
        "label_counts": json.dumps({c: [str(x) for x in labels].count(c) for c in classes}),
        "regularisation_c": str(regularisation_c),
        "train_seconds": f"{time.perf_counter() - started:.1f}",
        "member_seconds": json.dumps({name: round(t, 2) for name, t in seconds.items()}),
        **(classifier.finetune.as_metadata() if classifier.finetune else {}),
        **(
            {
                "ensemble_combination": classifier.combination,
                "ensemble_members": json.dumps(sorted(classifier.members)),
            }
            if method == METHOD_ENSEMBLE
            else {}
        ),
    }
    return classifier


def _tune(classifier, texts, labels, settings: FineTuneSettings, cache) -> None:
    from models_hub.training import finetune

    if classifier.encoder is None:
        classifier.encoder = finetune.base_encoder(classifier.embedding_model_id)
    states = finetune.frozen_states(
        encoder=classifier.encoder,
        texts=texts,
        top_layers=settings.top_layers,
        tokens=settings.max_tokens,
        cache=cache,
    )
    targets = [classifier.labels.index(str(label)) for label in labels]
    layers = finetune.top_layers_finetune(
        encoder=classifier.encoder, states=states, targets=targets, settings=settings
    )
    classifier.finetune = settings
    classifier.encoder_tensors = finetune.layer_tensors(encoder=classifier.encoder, layers=layers)
    classifier._layers = layers


def _fit_regression(classifier, embedded, texts, labels, regularisation_c: float) -> None:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=regularisation_c, max_iter=2000)
    model.fit(_features(embedded, texts, classifier.embedding_weight), [str(x) for x in labels])
    assert [str(label) for label in model.classes_] == classifier.labels
    classifier.weights, classifier.bias = two_class_rows(
        model.coef_, model.intercept_, len(classifier.labels)
    )
