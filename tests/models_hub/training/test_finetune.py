"""The fine-tuned label classifier with the real MiniLM: tuning, artifacts, abstention."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from models_hub.embeddings import encoder as encoder_module
from models_hub.training import finetune
from models_hub.training.evaluation import Trainer
from models_hub.training.finetune import FineTuneSettings
from models_hub.training.label_files import label_classifier_load, label_classifier_save
from models_hub.training.labels import METHOD_FINETUNED, label_classifier_train
from tests.models_hub.label_texts import BUGS, FEATURES, QUESTIONS

pytestmark = pytest.mark.slow

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


@pytest.mark.parametrize("top_layers", [2, 6, 12])
def test_split_forward_through_frozen_and_top_layers_matches_the_encoder(real_encoder, top_layers):
    """2 of MiniLM's 6 layers, all 6 (the default), and more than it has: all of them."""
    texts = [*TEXTS[:3], "a longer body " * 200]
    states = finetune.frozen_states(encoder=real_encoder, texts=texts, top_layers=top_layers)
    layers = finetune.tuned_layers(encoder=real_encoder, top_layers=top_layers)
    assert len(layers) == min(top_layers, 6)
    tensors = finetune.layer_tensors(encoder=real_encoder, layers=layers)
    assert "encoder.layer.0.output.dense.weight" in tensors or top_layers < 6

    embedded = finetune.finetuned_embed(layers=layers, states=states)

    # The sentence-transformers model itself (float32), whatever faster path `encode` takes.
    reference = real_encoder.model.encode(texts, normalize_embeddings=True)
    np.testing.assert_allclose(embedded, reference, atol=2e-5)
    assert states[-1].shape == (real_encoder.max_tokens, real_encoder.dimension)


def test_frozen_states_are_computed_once_per_text(real_encoder):
    cache: dict = {}
    first = finetune.frozen_states(encoder=real_encoder, texts=TEXTS[:2], top_layers=1, cache=cache)
    again = finetune.frozen_states(
        encoder=real_encoder, texts=[TEXTS[1], TEXTS[0], TEXTS[1]], top_layers=1, cache=cache
    )
    assert len(cache) == 2
    assert again[1].data_ptr() == first[0].data_ptr() and torch_equal(again[0], again[2])
    cut = finetune.frozen_states(encoder=real_encoder, texts=TEXTS[:1], top_layers=1, tokens=4)
    assert cut[0].shape == (4, real_encoder.dimension)
    np.testing.assert_allclose(cut[0].numpy(), first[0][:4].numpy(), atol=1e-5)  # other batch


def torch_equal(a, b) -> bool:
    return a.shape == b.shape and bool((a == b).all())


def test_contrastive_loss_prefers_issues_grouped_by_label():
    torch = pytest.importorskip("torch")
    target = torch.tensor([0, 0, 1, 1])
    grouped = torch.nn.functional.normalize(torch.tensor([[1.0, 0], [1, 0.1], [0, 1], [0.1, 1]]))
    mixed = grouped[[0, 2, 1, 3]]

    loss = finetune._supervised_contrastive
    assert loss(grouped, target, 0.1) < loss(mixed, target, 0.1)
    assert float(loss(grouped, torch.tensor([0, 1, 2, 3]), 0.1)) == 0.0  # no positives


def test_finetuned_classifier_learns_and_abstains(tuned, real_encoder, monkeypatch):
    untuned = finetune.tuned_layers(encoder=real_encoder, top_layers=QUICK.top_layers)
    base = finetune.layer_tensors(encoder=real_encoder, layers=untuned)
    assert sorted(base) == sorted(tuned.encoder_tensors)
    assert "encoder.layer.5.output.dense.weight" in base
    assert any(not np.allclose(tuned.encoder_tensors[n], value) for n, value in base.items())

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


def test_tuning_steps_are_capped_for_large_repositories():
    small = FineTuneSettings(epochs=3, batch_size=16)
    batches = list(finetune._batches(40, small, finetune._steps(40, small)))
    assert len(batches) == 9  # 3 epochs of 3 batches, each epoch sees every issue once
    assert sorted(np.concatenate(batches[:3])) == list(range(40))

    capped = FineTuneSettings(epochs=3, batch_size=16, max_steps=5)
    assert finetune._steps(4000, capped) == 5
    assert len(list(finetune._batches(4000, capped, 5))) == 5


def test_an_evaluation_trains_with_the_settings_it_is_given(real_encoder):
    trainer = Trainer(
        model_id=real_encoder.model_id,
        method=METHOD_FINETUNED,
        encoder=real_encoder,
        finetune=QUICK,
    )
    classifier = trainer.fit(TEXTS, np.zeros((len(TEXTS), 0)), LABELS)
    assert classifier.finetune == QUICK
    assert classifier.metadata["finetune_epochs"] == "2"


def test_the_quality_benchmark_names_a_wrong_setting(tmp_path):
    csv = tmp_path / "issues.csv"
    csv.write_text("repo,created_at,label,title,body\n")
    bench = Path(__file__).resolve().parents[3] / "bench" / "triage_quality.py"
    run = subprocess.run(
        [sys.executable, str(bench), "--csv", str(csv), "--finetune", "epochz=3"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert "--finetune epochz=3: NAME=VALUE with NAME one of" in run.stderr
    assert "max_tokens" in run.stderr
