"""Steward label classifier: the label Steward would suggest for an issue, outside Steward.

This folder holds one of Steward's label classifiers, exported with `manage.py export_model`:
README.md (its card), model.safetensors (the weights; their metadata repeats config.json),
config.json and this module. It needs numpy, safetensors, scikit-learn and
sentence-transformers (which brings torch); no Steward, no Django:

    pip install numpy safetensors scikit-learn sentence-transformers

    from steward_label_classifier import StewardLabelClassifier

    classifier = StewardLabelClassifier.from_folder("path/to/this/folder")
    suggestion = classifier.suggest_issue(title="App crashes on save", body="Traceback: …")
    suggestion.label       # the suggested label, or None: the classifier abstains
    suggestion.confidence  # the probability of the most likely label
    suggestion.scores      # every label's probability

    classifier.suggest_issues([(title, body), …])  # many at once (faster)

It computes what Steward computes, with Steward's own code (copied below by the exporter):
1. the text: `issue_text(title=…, body=…)`, the title, a blank line and the body without HTML
   comments, with long code blocks and stack traces cut and images and URLs reduced;
   `suggest` and `probabilities` take texts prepared this way;
2. its embedding by the base sentence model (config.json `base_model`):
   - `frozen` method: the base model's unit-length sentence embedding;
   - `finetuned` and `ensemble` methods: the base model's lower layers, then its top layers
     with the tuned tensors stored in model.safetensors (`encoder.layer.N.…`), mean-pooled,
     unit length;
3. the features: the embedding times `embedding_weight`, beside hashed word 1-2 grams of the
   text and, in a block of their own, of its title (2**16 each, unit length per block);
4. a multinomial logistic regression over the labels;
5. `ensemble` method only: that regression's probabilities combined (config.json
   `ensemble_combination`: their normalised product, or their average) with those of a
   regression on TF-IDF of hashed word 1-2 grams and character 2-5 grams of the text
   (`ngrams.*` tensors) and, in classifiers trained before 2026-12 (config.json `ensemble`
   lists its members), one on the base model's frozen sentence embedding (`frozen.*` tensors).
The most likely label is suggested only when its probability reaches `threshold` (calibrated
by Steward; see the card).

`base_model=`: the sentence model to use instead of downloading `base_model` from the Hugging
Face Hub (a local folder, or a loaded SentenceTransformer). `embeddings=` (frozen and ensemble
methods): the base model's frozen embeddings of the texts, when you have them already;
Steward's own come from the same model, in bfloat16 on CPUs that support it, so they agree to
about 1e-3 with the float32 model used here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models_hub.embeddings.text import issue_text
from models_hub.training.ensemble import COMBINE_MEAN, ensemble_parts, ensemble_probabilities
from models_hub.training.finetune import (
    TENSOR_PREFIX,
    FineTuneSettings,
    finetuned_embed,
    frozen_states,
    tuned_layers,
)
from models_hub.training.labels import (
    HASH_FEATURES,
    METHOD_ENSEMBLE,
    METHOD_FROZEN,
    WORD_FEATURES,
    main_probabilities,
    tuned,
)

WEIGHTS_FILE = "model.safetensors"


@dataclass(frozen=True)
class Suggestion:
    label: str | None  # None: the classifier abstains (confidence below the threshold)
    confidence: float
    scores: dict[str, float]


@dataclass
class _BaseModel:
    """The base model as Steward's encoder functions read it."""

    model: Any  # sentence_transformers.SentenceTransformer

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)


class StewardLabelClassifier:
    def __init__(
        self,
        *,
        metadata: dict[str, str],
        tensors: dict[str, np.ndarray],
        base_model: Any = None,
        device: str = "cpu",
    ) -> None:
        if int(metadata["hash_features"]) != HASH_FEATURES or (
            metadata.get("word_features") != WORD_FEATURES
        ):
            raise ValueError("this classifier was trained with other word features")
        self.labels: list[str] = json.loads(metadata["labels"])
        self.method = metadata.get("method", METHOD_FROZEN)
        self.threshold = float(metadata["threshold"])
        self.embedding_weight = float(metadata["embedding_weight"])
        self.base_model_id = metadata["embedding_model_id"]
        self.weights = tensors["weights"]
        self.bias = tensors["bias"]
        self.encoder_tensors = {n: t for n, t in tensors.items() if n.startswith(TENSOR_PREFIX)}
        self.finetune = (
            FineTuneSettings.from_metadata(metadata) if tuned(self.method, metadata) else None
        )
        self.ngrams, self.frozen_member, self.members = None, None, {}
        self.combination = COMBINE_MEAN
        if self.method == METHOD_ENSEMBLE:
            self.ngrams, self.frozen_member, self.members, self.combination = ensemble_parts(
                labels=self.labels, metadata=metadata, tensors=tensors
            )
        self.metadata = metadata
        self.device = device
        self._base_model = base_model
        self._layers = None

    @classmethod
    def from_folder(
        cls, folder: str | Path = ".", *, base_model: Any = None, device: str = "cpu"
    ) -> StewardLabelClassifier:
        """The classifier in `folder` (model.safetensors holds all it needs)."""
        from safetensors import safe_open

        with safe_open(str(Path(folder) / WEIGHTS_FILE), framework="numpy") as handle:
            metadata = dict(handle.metadata())
            tensors = {name: handle.get_tensor(name) for name in handle.keys()}  # noqa: SIM118
        return cls(metadata=metadata, tensors=tensors, base_model=base_model, device=device)

    def prepare(self, *, title: str, body: str | None = None) -> str:
        """The text Steward classifies for an issue."""
        return issue_text(title=title, body=body)

    def embeddings(self, texts: Sequence[str]) -> np.ndarray:
        """The embedding block of the features, one unit-length row per prepared text."""
        if self.finetune is None:
            return self.frozen_embeddings(texts)
        base = self._base()
        top_layers, tokens = self.finetune.top_layers, self.finetune.max_tokens
        if self._layers is None:
            self._layers = tuned_layers(
                encoder=base, top_layers=top_layers, tensors=self.encoder_tensors
            )
        states = frozen_states(encoder=base, texts=texts, top_layers=top_layers, tokens=tokens)
        return finetuned_embed(layers=self._layers, states=states)

    def frozen_embeddings(self, texts: Sequence[str]) -> np.ndarray:
        """The base model's unit-length sentence embeddings."""
        vectors = self._base().model.encode(list(texts), normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)

    def probabilities(
        self, texts: Sequence[str], *, embeddings: np.ndarray | None = None
    ) -> np.ndarray:
        """(texts, labels) probabilities; columns in the order of `labels`. `embeddings`: the
        base model's frozen embeddings of the texts (frozen and ensemble methods; computed here
        only when the classifier reads them)."""
        texts = list(texts)
        if embeddings is not None and self.method not in (METHOD_FROZEN, METHOD_ENSEMBLE):
            raise ValueError("a finetuned classifier computes its embeddings itself")
        frozen = embeddings
        if frozen is None and (self.finetune is None or self.frozen_member is not None):
            frozen = self.frozen_embeddings(texts)
        frozen = None if frozen is None else np.asarray(frozen, dtype=np.float32)
        embedded = frozen if self.finetune is None else self.embeddings(texts)
        main = main_probabilities(embedded, texts, self.weights, self.bias, self.embedding_weight)
        if self.method != METHOD_ENSEMBLE:
            return main
        return ensemble_probabilities(
            main=main,
            texts=texts,
            vectors=frozen,
            ngrams=self.ngrams,
            frozen_member=self.frozen_member,
            members=self.members,
            combination=self.combination,
        )["combined"]

    def suggest(
        self, texts: Sequence[str], *, embeddings: np.ndarray | None = None
    ) -> list[Suggestion]:
        """One suggestion per prepared text; `label` is None below the threshold."""
        out = []
        for row in self.probabilities(texts, embeddings=embeddings):
            best = int(row.argmax())
            out.append(
                Suggestion(
                    label=self.labels[best] if row[best] >= self.threshold else None,
                    confidence=float(row[best]),
                    scores={label: float(p) for label, p in zip(self.labels, row, strict=True)},
                )
            )
        return out

    def suggest_issues(
        self, issues: Iterable[tuple[str, str | None]], *, embeddings: np.ndarray | None = None
    ) -> list[Suggestion]:
        """Suggestions for (title, body) pairs."""
        texts = [self.prepare(title=title, body=body) for title, body in issues]
        return self.suggest(texts, embeddings=embeddings)

    def suggest_issue(self, *, title: str, body: str | None = None) -> Suggestion:
        return self.suggest_issues([(title, body)])[0]

    def _base(self) -> _BaseModel:
        if not isinstance(self._base_model, _BaseModel):
            model = self._base_model
            if model is None or isinstance(model, str | Path):
                from sentence_transformers import SentenceTransformer

                model = SentenceTransformer(str(model or self.base_model_id), device=self.device)
            model.eval()
            self._base_model = _BaseModel(model)
        return self._base_model
