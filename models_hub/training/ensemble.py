"""The `ensemble` label classifier's other members, and how the members' probabilities combine.

Members (each trained on the same rows): `main`, the `finetuned` method's own classifier (the
`frozen` one when trained with tune=False), and `ngrams`, a TF-IDF word and character n-gram
regression (ngrams.py). They err on different issues. Classifiers trained before 2026-12 have a
third, `frozen`, a regression on the stored embedding alone; it still loads and combines, and
listing it in ENSEMBLE_MEMBERS trains it again. Why it went: every cross-validation of the three
on NLBSE'24 scored the two better (bench/triage_quality.py's `without frozen` row; average macro
F1, coverage at 90% precision): 5 folds 0.816 / 70.0% against 0.814 / 70.3%; folds 1-2 0.825 /
69.3% against 0.822 / 65.2%, and in two runs of rejected tuning variants 0.808 against 0.802,
0.815 against 0.798. The tuned embedding already holds what the frozen one knew.

How they combine (`combination`, stored with the classifier):
- `product` (what training writes): the normalised product of the members' probabilities, each
  raised to its weight, i.e. the members' log-probabilities added — independent pieces of
  evidence. When the members agree the combined confidence rises above each one's, when they
  disagree it falls, so confidence ranks right from wrong better than the average does: on
  NLBSE'24 (5-fold CV per repository, the folds of bench/triage_quality.py, the same members'
  out-of-fold probabilities) the share of issues that keep a label at 90% precision went from
  61.9% (average) to 64.7%, macro F1 0.805 -> 0.806.
- `mean`: the weighted average of the probabilities (classifiers saved before `product`).

Pure numpy / scikit-learn, no torch and no Django: the exported loader bundles this module.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

import numpy as np

from models_hub.training.ngrams import (
    NGRAM_C,
    NGRAM_PREFIX,
    NGRAM_SPEC,
    NgramModel,
    ngram_train,
    softmax,
    two_class_rows,
)

# The members trained and the weight of each (equal: weights tuned on the training split would
# be tuned to it). "frozen" may be added back (see above).
ENSEMBLE_MEMBERS = {"main": 1.0, "ngrams": 1.0}
FROZEN_MEMBER = "frozen"
# Inverse regularisation of the regression on the stored embedding alone (5-fold CV).
FROZEN_MEMBER_C = 1.0
FROZEN_PREFIX = "frozen."
COMBINE_PRODUCT = "product"
COMBINE_MEAN = "mean"
COMBINATIONS = (COMBINE_PRODUCT, COMBINE_MEAN)
ENSEMBLE_COMBINATION = COMBINE_PRODUCT
# Probabilities are floored here before their logarithm: one member's certainty that a label is
# impossible must not veto the others outright.
PROBABILITY_FLOOR = 1e-6


def combined(
    found: dict[str, np.ndarray], members: dict[str, float], combination: str
) -> np.ndarray:
    """The members' probabilities (`found`, name -> (rows, labels)) combined."""
    total = sum(members[name] for name in found)
    if combination == COMBINE_MEAN:
        return sum(members[name] * found[name] for name in found) / total
    if combination != COMBINE_PRODUCT:
        raise ValueError(f"unknown combination {combination!r}: one of {', '.join(COMBINATIONS)}")
    logs = sum(members[name] * np.log(np.maximum(found[name], PROBABILITY_FLOOR)) for name in found)
    return softmax(logs)


def ablations(
    found: dict[str, np.ndarray], members: dict[str, float], combination: str
) -> dict[str, np.ndarray]:
    """`without NAME`: the combination of every member but that one, for each member of an
    ensemble of three or more (what each member adds, from the same training)."""
    found = {name: found[name] for name in members if name in found}
    if len(found) < 3:
        return {}
    return {
        f"without {left_out}": combined(
            {name: value for name, value in found.items() if name != left_out}, members, combination
        )
        for left_out in found
    }


def ensemble_probabilities(
    *,
    main: np.ndarray,
    texts: Sequence[str],
    vectors: np.ndarray,
    ngrams: NgramModel,
    frozen_member: tuple[np.ndarray, np.ndarray] | None,
    members: dict[str, float],
    combination: str = COMBINE_MEAN,
) -> dict[str, np.ndarray]:
    """The members' probabilities and their combination (`combined`)."""
    found = {"main": main, "ngrams": ngrams.probabilities(texts)}
    if frozen_member is not None:
        weights, bias = frozen_member
        found[FROZEN_MEMBER] = softmax(np.asarray(vectors, dtype=np.float32) @ weights.T + bias)
    return {**found, "combined": combined(found, members, combination)}


def fit_members(classifier, texts, vectors, labels, seconds: dict[str, float]) -> None:
    """The ensemble's other members: the n-gram regression and, when ENSEMBLE_MEMBERS lists it
    and the stored embeddings are given, a regression on them; and the combination training
    writes."""
    from sklearn.linear_model import LogisticRegression

    started = time.perf_counter()
    classifier.ngrams = ngram_train(texts=texts, labels=labels, classes=classifier.labels)
    seconds["ngrams"] = time.perf_counter() - started
    members = dict(ENSEMBLE_MEMBERS)
    vectors = np.asarray(vectors, dtype=np.float32)
    if FROZEN_MEMBER in members and vectors.ndim == 2 and vectors.shape[1] > 0:
        started = time.perf_counter()
        model = LogisticRegression(C=FROZEN_MEMBER_C, max_iter=3000)
        model.fit(vectors, [str(x) for x in labels])
        classifier.frozen_member = two_class_rows(
            model.coef_, model.intercept_, len(classifier.labels)
        )
        seconds[FROZEN_MEMBER] = time.perf_counter() - started
    else:
        members.pop(FROZEN_MEMBER, None)
    classifier.members = members
    classifier.combination = ENSEMBLE_COMBINATION


def ensemble_metadata(*, members: dict[str, float], combination: str) -> dict[str, str]:
    return {
        "ensemble_members": json.dumps(members),
        "ensemble_combination": combination,
        "ngram_features": NGRAM_SPEC,
        "ngram_c": str(NGRAM_C),
        **({"frozen_member_c": str(FROZEN_MEMBER_C)} if FROZEN_MEMBER in members else {}),
    }


def ensemble_tensors(
    *, ngrams: NgramModel, frozen_member: tuple[np.ndarray, np.ndarray] | None
) -> dict[str, np.ndarray]:
    tensors = dict(ngrams.tensors())
    if frozen_member is not None:
        weights, bias = frozen_member
        tensors[f"{FROZEN_PREFIX}weights"] = np.ascontiguousarray(weights)
        tensors[f"{FROZEN_PREFIX}bias"] = np.ascontiguousarray(bias)
    return tensors


def ensemble_parts(
    *, labels: list[str], metadata: dict[str, str], tensors: dict[str, np.ndarray]
) -> tuple[NgramModel, tuple[np.ndarray, np.ndarray] | None, dict[str, float], str]:
    """An ensemble's n-gram model, stored-embedding regression, member weights and combination,
    read from its safetensors file (tensors and metadata). A file without a combination was
    saved when the average was the only one."""
    if metadata.get("ngram_features") != NGRAM_SPEC:
        raise ValueError("classifier was trained with other n-gram features")
    frozen = None
    if f"{FROZEN_PREFIX}weights" in tensors:
        frozen = (tensors[f"{FROZEN_PREFIX}weights"], tensors[f"{FROZEN_PREFIX}bias"])
    ngrams = NgramModel.from_tensors(
        labels, {n: t for n, t in tensors.items() if n.startswith(NGRAM_PREFIX)}
    )
    combination = metadata.get("ensemble_combination", COMBINE_MEAN)
    if combination not in COMBINATIONS:
        raise ValueError(f"classifier combines its members by an unknown rule: {combination!r}")
    return ngrams, frozen, json.loads(metadata["ensemble_members"]), combination
