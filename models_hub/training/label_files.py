"""A label classifier's one file and its config.json: saving, loading, describing.

The file is safetensors: the regression's weights, the tuned layers' tensors (finetuned,
ensemble) and the ensemble's other members, and in its metadata everything needed to use them
(labels, base model, threshold, word features, fine-tuning settings, what it was trained on).
safetensors is imported inside functions (the worker's `ml` extra).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from models_hub.training.ensemble import (
    COMBINE_MEAN,
    FROZEN_MEMBER,
    ensemble_metadata,
    ensemble_parts,
    ensemble_tensors,
)
from models_hub.training.finetune import TENSOR_PREFIX, FineTuneSettings
from models_hub.training.labels import (
    HASH_FEATURES,
    METHOD_ENSEMBLE,
    METHOD_FROZEN,
    WORD_FEATURES,
    LabelClassifier,
    tuned,
)


def label_classifier_save(*, classifier: LabelClassifier, path: Path) -> None:
    """One safetensors file: the weights (and tuned layers), and in its metadata everything
    needed to use them."""
    from safetensors.numpy import save_file

    metadata = {
        **{key: str(value) for key, value in classifier.metadata.items()},
        "method": classifier.method,
        "labels": json.dumps(classifier.labels),
        "embedding_model_id": classifier.embedding_model_id,
        "embedding_weight": str(classifier.embedding_weight),
        "threshold": str(classifier.threshold),
        "hash_features": str(HASH_FEATURES),
        "word_features": WORD_FEATURES,
        "features": _architecture(classifier),
    }
    if classifier.finetune is not None:
        metadata.update(classifier.finetune.as_metadata())
    # safetensors writes the raw buffer: Fortran-ordered arrays (scikit-learn coef_) come back
    # scrambled unless made C-contiguous.
    tensors = {
        "weights": np.ascontiguousarray(classifier.weights),
        "bias": np.ascontiguousarray(classifier.bias),
        **{name: np.ascontiguousarray(t) for name, t in classifier.encoder_tensors.items()},
    }
    if classifier.method == METHOD_ENSEMBLE:
        metadata.update(
            ensemble_metadata(members=classifier.members, combination=classifier.combination)
        )
        tensors.update(
            ensemble_tensors(ngrams=classifier.ngrams, frozen_member=classifier.frozen_member)
        )
    save_file(tensors, str(path), metadata=metadata)


def label_classifier_load(*, path: Path, encoder: Any = None) -> LabelClassifier:
    """The classifier saved at `path`; a finetuned one loads its base model on first use
    (offline: the bundled MiniLM) unless `encoder` is given."""
    from safetensors import safe_open

    with safe_open(str(path), framework="numpy") as handle:
        metadata = dict(handle.metadata())
        tensors = {name: handle.get_tensor(name) for name in handle.keys()}  # noqa: SIM118
    if int(metadata.pop("hash_features")) != HASH_FEATURES or (
        metadata.pop("word_features", None) != WORD_FEATURES
    ):
        raise ValueError("classifier was trained with other word features")
    metadata.pop("features", None)
    method = metadata.get("method", METHOD_FROZEN)
    labels = json.loads(metadata.pop("labels"))
    ngrams, frozen_member, members, combination = None, None, {}, COMBINE_MEAN
    if method == METHOD_ENSEMBLE:
        ngrams, frozen_member, members, combination = ensemble_parts(
            labels=labels, metadata=metadata, tensors=tensors
        )
    return LabelClassifier(
        labels=labels,
        weights=tensors.pop("weights"),
        bias=tensors.pop("bias"),
        embedding_model_id=metadata.pop("embedding_model_id"),
        embedding_weight=float(metadata.pop("embedding_weight")),
        threshold=float(metadata.pop("threshold")),
        metadata=metadata,
        method=method,
        encoder_tensors={n: t for n, t in tensors.items() if n.startswith(TENSOR_PREFIX)},
        finetune=FineTuneSettings.from_metadata(metadata) if tuned(method, metadata) else None,
        ngrams=ngrams,
        frozen_member=frozen_member,
        members=members,
        combination=combination,
        encoder=encoder,
    )


def label_classifier_config(classifier: LabelClassifier) -> dict[str, Any]:
    """config.json of an exported classifier: what a loader needs besides the weights (which
    also carry it, in the safetensors metadata)."""
    return {
        "steward_kind": "label-classifier",
        "architecture": _architecture(classifier),
        "method": classifier.method,
        "base_model": classifier.embedding_model_id,
        "labels": classifier.labels,
        "id2label": {str(i): label for i, label in enumerate(classifier.labels)},
        "label2id": {label: i for i, label in enumerate(classifier.labels)},
        "threshold": classifier.threshold,
        "embedding_weight": classifier.embedding_weight,
        "hash_features": HASH_FEATURES,
        "word_features": WORD_FEATURES,
        "text": "title, a blank line, then the body prepared by Steward's issue_text",
        "finetune": classifier.finetune.as_metadata() if classifier.finetune else None,
        **(
            {
                "ensemble": {
                    **ensemble_metadata(
                        members=classifier.members, combination=classifier.combination
                    ),
                    "members": classifier.members,
                }
            }
            if classifier.method == METHOD_ENSEMBLE
            else {}
        ),
    }


def _architecture(classifier: LabelClassifier) -> str:
    """What the classifier reads, member by member for an ensemble (as trained: two members
    since 2026-12, three before)."""
    embedding = "tuned sentence embedding" if classifier.finetune else "stored sentence embedding"
    if classifier.method != METHOD_ENSEMBLE:
        return f"{embedding} + hashed word n-grams, logistic regression"
    reads = {
        "main": f"{embedding} + hashed words",
        "ngrams": "tf-idf word/char n-grams",
        FROZEN_MEMBER: "stored sentence embedding",
    }
    members = ", ".join(reads[name] for name in classifier.members)
    return (
        f"{classifier.combination} of the probabilities of: {members}; each a logistic regression"
    )


def training_set_sha256(*, texts: Sequence[str], labels: Sequence[str]) -> str:
    """sha256 of the exact training set: its (text, label) pairs in training order."""
    import hashlib

    payload = json.dumps([[str(t), str(label)] for t, label in zip(texts, labels, strict=True)])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
