"""The lean CPU forward (bfloat16 where the CPU has it): same vectors as sentence-transformers,
order and duplicates kept across parallel batches, and a fallback wherever it does not apply."""

from __future__ import annotations

import dataclasses
import logging
import random

import numpy as np
import pytest

from models_hub.embeddings import encoder as encoder_module

pytestmark = pytest.mark.slow

ODD_TEXTS = [
    "",
    "Typo",
    "🚀 emoji-only title 🎉🎉",
    "Traceback (most recent call last):\n  File \"app.py\", line 3\nKeyError: 'fg'",
    "Segmentation fault in the image decoder on large PNG files\n\n" + "details " * 400,
]


@pytest.fixture(scope="module")
def issue_texts() -> list[str]:
    """Four dozen generated issues of every category and length, plus edge cases."""
    from demo.generator.repos import BUG, DOCS, FEATURE, QUESTION
    from demo.generator.texts import issue_text as demo_issue
    from models_hub.embeddings.text import issue_text

    rng = random.Random(11)
    texts = []
    for number in range(48):
        demo = demo_issue(
            rng,
            category=(BUG, FEATURE, QUESTION, DOCS)[number % 4],
            component=rng.choice(("table", "theme loader", "cli", "markdown")),
            version=f"{rng.randint(1, 4)}.{rng.randint(0, 20)}.0",
        )
        body = demo.body if number % 3 else ""  # some titles only: short inputs
        texts.append(issue_text(title=demo.title, body=body))
    return texts + ODD_TEXTS


@pytest.fixture(scope="module")
def reference(real_encoder, issue_texts) -> np.ndarray:
    """Naive float32 sentence-transformers vectors: what the lean forward must reproduce."""
    return real_encoder.model.encode(issue_texts, batch_size=8, normalize_embeddings=True)


@pytest.fixture(scope="module")
def fast_encoder(real_encoder):
    if real_encoder.fast is None:
        pytest.fail("the bundled MiniLM on CPU must get the lean forward")
    return real_encoder


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_lean_forward_matches_sentence_transformers_text_by_text(
    fast_encoder, issue_texts, reference
):
    from models_hub.embeddings.fast_bert import cpu_runs_bfloat16

    vectors = fast_encoder.encode(issue_texts)

    dtype = "bfloat16" if cpu_runs_bfloat16() else "float32"
    assert fast_encoder.path == f"cpu-fast-bert-{dtype}"
    assert vectors.shape == (len(issue_texts), 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert cosines(vectors, reference).min() >= 0.999


def test_float32_lean_forward_is_exact(real_encoder, issue_texts, reference):
    """What CPUs without bfloat16 run: the same forward in float32."""
    from models_hub.embeddings.fast_bert import fast_bert

    lean = fast_bert(real_encoder.model, bfloat16=False)
    encoder = dataclasses.replace(real_encoder, fast=lean)

    assert encoder.path == "cpu-fast-bert-float32"
    assert cosines(encoder.encode(issue_texts), reference).min() > 0.99999


def test_parallel_batches_keep_order_duplicates_and_the_callers_threads(fast_encoder, issue_texts):
    import torch

    texts = [*issue_texts, issue_texts[3], issue_texts[0]]  # duplicates, encoded once
    one_at_a_time = dataclasses.replace(fast_encoder, threads=1).encode(texts, token_budget=512)
    parallel = dataclasses.replace(fast_encoder, threads=3)
    caller_threads = torch.get_num_threads()

    together = parallel.encode(texts, token_budget=512)  # ~30 batches over 3 threads
    backwards = parallel.encode(texts[::-1], token_budget=512)

    assert torch.get_num_threads() == caller_threads
    np.testing.assert_allclose(together, one_at_a_time, atol=1e-6)
    # Reversed, equal-length texts meet other neighbours (other padding): bfloat16-close, not equal.
    assert cosines(backwards, together[::-1]).min() > 0.9999
    np.testing.assert_array_equal(together[-2], together[3])
    np.testing.assert_array_equal(together[-1], together[0])
    assert parallel.encode([]).shape == (0, 384)


def test_models_other_than_mean_pooled_bert_keep_sentence_transformers(real_encoder):
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.models import Pooling

    from models_hub.embeddings.fast_bert import fast_bert

    cls_pooled = SentenceTransformer(
        modules=[real_encoder.model[0], Pooling(384, pooling_mode="cls")], device="cpu"
    )

    assert fast_bert(cls_pooled, bfloat16=True) is None
    plain = encoder_module.Encoder(model=cls_pooled, model_id="cls", device="cpu")
    assert encoder_module._checked_fast_forward(plain) is None
    assert plain.path == "cpu-sentence-transformers-float32"
    assert plain.encode(["Typo in README"]).shape == (1, 384)


def test_a_lean_forward_that_drifts_is_not_used(real_encoder, monkeypatch, caplog):
    from models_hub.embeddings import fast_bert as fast_bert_module

    good = fast_bert_module.fast_bert(real_encoder.model, bfloat16=True)
    drifted = dataclasses.replace(good, heads=6)  # attention split wrongly: vectors drift
    monkeypatch.setattr(fast_bert_module, "fast_bert", lambda model, bfloat16: drifted)
    plain = dataclasses.replace(real_encoder, fast=None)

    with caplog.at_level(logging.WARNING, logger=encoder_module.__name__):
        assert encoder_module._checked_fast_forward(plain) is None
    assert "not used" in caplog.text
    monkeypatch.undo()
    assert encoder_module._checked_fast_forward(plain) is not None


def test_the_setting_turns_the_lean_forward_off(settings):
    from models_hub.embeddings.encoder import load_encoder

    settings.STEWARD_EMBEDDING_FAST_CPU = False

    plain = load_encoder(device="cpu")

    assert plain.fast is None and plain.path == "cpu-sentence-transformers-float32"
    assert load_encoder(device="cpu", fast=True).fast is not None
