"""The fine-tuned label classifier with the real MiniLM: tuning, artifacts, abstention."""

from __future__ import annotations

import json

import numpy as np
import pytest

from models_hub.embeddings import encoder as encoder_module
from models_hub.triage import finetune
from models_hub.triage.finetune import FineTuneSettings
from models_hub.triage.labels import (
    METHOD_FINETUNED,
    label_classifier_load,
    label_classifier_save,
    label_classifier_train,
)

pytestmark = pytest.mark.slow

BUGS = [
    "App crashes with a segmentation fault when opening large files",
    "Error: undefined is not a function after upgrading to 2.0",
    "Exception thrown when saving settings, stack trace attached",
    "Regression: the build fails on Windows since yesterday",
    "Crash on startup with a null pointer exception",
    "The export button throws an error and nothing is written",
    "Memory leak makes the server crash after an hour",
    "Wrong result: sorting a list returns items out of order",
]
FEATURES = [
    "Feature request: add a dark theme to the editor",
    "Please support exporting reports as CSV files",
    "Add an option to configure the default branch name",
    "It would be nice to have keyboard shortcuts for navigation",
    "Proposal: allow plugins to register custom commands",
    "Support for the new image format would be great",
    "Add a setting to disable telemetry",
    "Enhancement: let users pin favourite projects",
]
QUESTIONS = [
    "How do I install this on an offline machine?",
    "Question: what is the recommended way to deploy with Docker?",
    "Is it possible to use the library from a Jupyter notebook?",
    "How can I change the log level at runtime?",
    "What does the --strict flag do exactly?",
    "Where can I find documentation about the config file?",
    "Why is my configuration ignored? Am I using it wrong?",
    "Can someone explain how authentication works here?",
]
TEXTS = [*BUGS, *FEATURES, *QUESTIONS]
LABELS = ["bug"] * 8 + ["feature"] * 8 + ["question"] * 8
UNSEEN = [
    "Crash with an exception when opening a file",
    "Feature request: please add a light theme",
    "How do I configure the proxy? Is there documentation?",
]
QUICK = FineTuneSettings(epochs=2, batch_size=8)


@pytest.fixture(scope="module")
def tuned(real_encoder):
    return label_classifier_train(
        texts=TEXTS,
        vectors=np.zeros((len(TEXTS), 0)),
        labels=LABELS,
        embedding_model_id=real_encoder.model_id,
        method=METHOD_FINETUNED,
        finetune=QUICK,
        encoder=real_encoder,
    )


def test_split_forward_through_frozen_and_top_layers_matches_the_encoder(real_encoder):
    texts = [*TEXTS[:3], "a longer body " * 200]
    states = finetune.frozen_states(encoder=real_encoder, texts=texts, top_layers=2)
    layers = finetune.tuned_layers(encoder=real_encoder, top_layers=2)

    embedded = finetune.finetuned_embed(layers=layers, states=states)

    np.testing.assert_allclose(embedded, real_encoder.encode(texts), atol=2e-5)
    assert states[-1].shape == (real_encoder.max_tokens, real_encoder.dimension)


def test_frozen_states_are_computed_once_per_text(real_encoder):
    cache: dict = {}
    first = finetune.frozen_states(encoder=real_encoder, texts=TEXTS[:2], top_layers=1, cache=cache)
    again = finetune.frozen_states(
        encoder=real_encoder, texts=[TEXTS[1], TEXTS[0], TEXTS[1]], top_layers=1, cache=cache
    )
    assert len(cache) == 2 and again[1] is first[0] and again[0] is again[2] is first[1]


def test_finetuned_classifier_learns_and_abstains(tuned, real_encoder, monkeypatch):
    base = finetune.tuned_layers(encoder=real_encoder, top_layers=QUICK.top_layers)
    changed = [
        not np.allclose(tuned.encoder_tensors[f"encoder.layer.5.{name}"], value.numpy())
        for name, value in base[0].state_dict().items()
    ]
    assert any(changed)  # the top layer did train

    suggestions = tuned.suggest(vectors=np.zeros((3, 0)), texts=UNSEEN)

    assert [s.label for s in suggestions] == ["bug", "feature", "question"]
    assert tuned.metadata["method"] == METHOD_FINETUNED
    monkeypatch.setattr(tuned, "threshold", 0.999)
    assert all(s.label is None for s in tuned.suggest(vectors=np.zeros((3, 0)), texts=UNSEEN))


def test_tuning_is_deterministic(tuned, real_encoder):
    again = label_classifier_train(
        texts=TEXTS,
        vectors=np.zeros((len(TEXTS), 0)),
        labels=LABELS,
        embedding_model_id=real_encoder.model_id,
        method=METHOD_FINETUNED,
        finetune=QUICK,
        encoder=real_encoder,
    )
    for name, value in tuned.encoder_tensors.items():
        np.testing.assert_array_equal(again.encoder_tensors[name], value)


def test_one_safetensors_file_round_trips_offline(tuned, real_encoder, tmp_path, monkeypatch):
    path = tmp_path / "labels.safetensors"
    label_classifier_save(classifier=tuned, path=path)
    # Loading without an encoder takes the process's configured base model: the real one here.
    monkeypatch.setattr(encoder_module, "_cache", {(real_encoder.model_id, ""): real_encoder})

    loaded = label_classifier_load(path=path)

    expected = tuned.probabilities(vectors=np.zeros((3, 0)), texts=UNSEEN)
    np.testing.assert_array_equal(
        loaded.probabilities(vectors=np.zeros((3, 0)), texts=UNSEEN), expected
    )
    assert loaded.encoder is real_encoder and loaded.finetune == QUICK
    metadata = loaded.metadata
    assert (metadata["method"], metadata["samples"]) == (METHOD_FINETUNED, "24")
    assert json.loads(metadata["label_counts"]) == {"bug": 8, "feature": 8, "question": 8}
    assert float(metadata["train_seconds"]) > 0 and metadata["finetune_epochs"] == "2"
    assert sorted(loaded.encoder_tensors) == sorted(tuned.encoder_tensors)
