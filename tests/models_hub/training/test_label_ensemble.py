"""The `ensemble` label classifier: its n-gram member, training, the combination of its members,
the safetensors round trip, the exported loader and the evaluation path's per-member scores.

The fake encoder has no layers to tune, so these ensembles are trained with `tune=False` (their
`main` member reads the stored vectors, as `frozen` does); tuning itself is finetune.py's and
is tested with the real model in test_finetune.py.
"""

from __future__ import annotations

import importlib.util
import json
import sys

import numpy as np
import pytest

from models_hub.export.folder import loader_source
from models_hub.training import ensemble as ensemble_module
from models_hub.training.ensemble import (
    COMBINE_MEAN,
    COMBINE_PRODUCT,
    ENSEMBLE_COMBINATION,
    ENSEMBLE_MEMBERS,
    ablations,
    combined,
)
from models_hub.training.evaluation import Trainer, label_suggestions, suggestions_score
from models_hub.training.label_files import (
    label_classifier_config,
    label_classifier_load,
    label_classifier_save,
)
from models_hub.training.labels import (
    BEST_METHOD,
    METHOD_ENSEMBLE,
    label_classifier_train,
    label_method_default,
)
from models_hub.training.ngrams import NGRAM_FEATURES, NGRAM_MIN_DF, ngram_counts, ngram_train
from tests.models_hub.label_texts import SYNTHETIC_BUGS as BUGS
from tests.models_hub.label_texts import SYNTHETIC_FEATURES as FEATURES
from tests.models_hub.label_texts import SYNTHETIC_QUESTIONS as QUESTIONS

UNSEEN = ["Crash with traceback when saving twice", "Feature request: please add a toggle"]


@pytest.fixture
def training(fake_encoder):
    texts = [*BUGS, *FEATURES, *QUESTIONS]
    labels = ["bug"] * 12 + ["feature"] * 12 + ["question"] * 12
    return texts, fake_encoder.encode(texts), labels


def _untuned_ensemble(training, model_id: str):
    texts, vectors, labels = training
    return label_classifier_train(
        texts=texts,
        vectors=vectors,
        labels=labels,
        embedding_model_id=model_id,
        method=METHOD_ENSEMBLE,
        tune=False,
    )


@pytest.fixture
def ensemble(training, fake_encoder):
    return _untuned_ensemble(training, fake_encoder.model_id)


@pytest.fixture
def three_members(monkeypatch):
    """Training lists the `frozen` member again (as before 2026-12)."""
    members = {**ENSEMBLE_MEMBERS, "frozen": 1.0}
    monkeypatch.setattr(ensemble_module, "ENSEMBLE_MEMBERS", members)
    return members


@pytest.fixture
def old_ensemble(three_members, training, fake_encoder):
    """An ensemble as trained before 2026-12: main, ngrams and a frozen-embedding member."""
    return _untuned_ensemble(training, fake_encoder.model_id)


def test_the_ensemble_is_the_default_method(settings):
    settings.STEWARD_LABEL_CLASSIFIER_METHOD = ""
    assert label_method_default() == BEST_METHOD == METHOD_ENSEMBLE
    settings.STEWARD_LABEL_CLASSIFIER_METHOD = "ensemble"
    assert label_method_default() == "ensemble"


def test_ngram_tfidf_is_scikit_learns_on_the_hashed_counts():
    from sklearn.feature_extraction.text import TfidfTransformer

    texts = ["App crashes on save", "Add a dark theme", "How do I save? crashes", "save save"]
    labels = ["bug", "feature", "question", "bug"]
    model = ngram_train(texts=texts, labels=labels, classes=["bug", "feature", "question"])
    expected = []
    for block, min_df in zip(ngram_counts(texts), NGRAM_MIN_DF, strict=True):
        block = block.tocsc()
        kept = np.flatnonzero(np.diff(block.indptr) >= min_df)  # texts per column
        dense = np.zeros(block.shape)
        dense[:, kept] = TfidfTransformer(sublinear_tf=True).fit_transform(block[:, kept]).toarray()
        expected.append(dense)

    features = model.features(texts)
    assert features.shape == (4, 2 * NGRAM_FEATURES)
    np.testing.assert_allclose(features.toarray(), np.hstack(expected), rtol=1e-5, atol=1e-7)
    # Word n-grams never seen get the largest idf, as TfidfTransformer gives them (4 rows);
    # character n-grams in fewer than two texts are dropped.
    assert model.idf[0].max() == pytest.approx(np.log(5 / 1) + 1)
    assert NGRAM_MIN_DF == (1, 2) and (model.idf[1] == 0).sum() > NGRAM_FEATURES - 100


def test_ensemble_learns_abstains_and_multiplies_its_members(ensemble, fake_encoder):
    assert ensemble.method == ensemble.metadata["method"] == "ensemble"
    assert ensemble.members == ENSEMBLE_MEMBERS == {"main": 1.0, "ngrams": 1.0}
    assert ensemble.finetune is None and ensemble.frozen_member is None
    assert ensemble.combination == ENSEMBLE_COMBINATION == COMBINE_PRODUCT
    assert set(json.loads(ensemble.metadata["member_seconds"])) == {"main", "ngrams"}
    assert json.loads(ensemble.metadata["ensemble_members"]) == ["main", "ngrams"]
    vectors = fake_encoder.encode(UNSEEN)

    sure = ensemble.suggest(vectors=vectors, texts=UNSEEN)
    assert [s.label for s in sure] == ["bug", "feature"]
    assert all(sum(s.scores.values()) == pytest.approx(1.0) for s in sure)

    members = ensemble.member_probabilities(vectors=vectors, texts=UNSEEN)
    assert set(members) == {"main", "ngrams", "combined"}
    product = members["main"] * members["ngrams"]
    np.testing.assert_allclose(members["combined"], product / product.sum(axis=1, keepdims=True))
    assert all(
        members["ngrams"][row].argmax() == ["bug", "feature"].index(s.label)
        for row, s in enumerate(sure)
    )

    ensemble.threshold = 0.999
    assert (
        ensemble.suggest(vectors=fake_encoder.encode(["something"]), texts=["something"])[0].label
        is None
    )


def test_the_product_rewards_agreement_and_survives_a_zero():
    agree = {"a": np.array([[0.8, 0.2]]), "b": np.array([[0.8, 0.2]])}
    split = {"a": np.array([[0.9, 0.1]]), "b": np.array([[0.0, 1.0]])}
    weights = {"a": 1.0, "b": 1.0}

    # Two members at 0.8 make 0.94; their average stays 0.8.
    assert combined(agree, weights, COMBINE_PRODUCT)[0, 0] == pytest.approx(0.64 / 0.68)
    assert combined(agree, weights, COMBINE_MEAN)[0, 0] == pytest.approx(0.8)
    # One member's zero does not veto the other outright: floored, not multiplied by 0.
    vetoed = combined(split, weights, COMBINE_PRODUCT)
    assert np.isfinite(vetoed).all() and vetoed[0, 0] > 0 and vetoed.sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="unknown combination"):
        combined(agree, weights, "max")


def test_leaving_each_member_out_combines_the_others():
    found = {
        "a": np.array([[0.8, 0.2]]),
        "b": np.array([[0.6, 0.4]]),
        "c": np.array([[0.1, 0.9]]),
        "combined": np.array([[0.5, 0.5]]),  # not a member: never combined
    }
    weights = {"a": 1.0, "b": 1.0, "c": 1.0}

    left_out = ablations(found, weights, COMBINE_PRODUCT)

    assert set(left_out) == {"without a", "without b", "without c"}
    pair = {"a": found["a"], "b": found["b"]}
    np.testing.assert_allclose(left_out["without c"], combined(pair, weights, COMBINE_PRODUCT))
    # Two members: leaving one out leaves a member, not an ensemble.
    assert ablations(pair, weights, COMBINE_PRODUCT) == {}


def test_a_listed_frozen_member_is_trained_and_multiplied(old_ensemble, fake_encoder):
    assert set(old_ensemble.members) == {"main", "ngrams", "frozen"}
    assert set(json.loads(old_ensemble.metadata["member_seconds"])) == {"main", "ngrams", "frozen"}
    vectors = fake_encoder.encode(UNSEEN)
    members = old_ensemble.member_probabilities(vectors=vectors, texts=UNSEEN)
    product = members["main"] * members["ngrams"] * members["frozen"]
    np.testing.assert_allclose(members["combined"], product / product.sum(axis=1, keepdims=True))


def test_without_stored_vectors_a_listed_frozen_member_is_left_out(three_members, training):
    texts, _, labels = training
    empty = np.zeros((len(texts), 0), dtype=np.float32)
    trained = label_classifier_train(
        texts=texts,
        vectors=empty,
        labels=labels,
        embedding_model_id="m",
        method="ensemble",
        tune=False,
        embedding_weight=0.0,
    )
    assert set(trained.members) == {"main", "ngrams"} and trained.frozen_member is None
    suggestion = trained.suggest(vectors=np.zeros((1, 0), np.float32), texts=UNSEEN[:1])[0]
    assert suggestion.label == "bug"


def test_two_labels_are_enough(training, fake_encoder):
    texts, vectors, labels = training
    trained = label_classifier_train(
        texts=texts[:24],
        vectors=vectors[:24],
        labels=labels[:24],
        embedding_model_id="m",
        method="ensemble",
        tune=False,
    )
    assert trained.labels == ["bug", "feature"]
    assert trained.ngrams.weights.shape == (2, 2 * NGRAM_FEATURES)
    query = ["Feature request: please add option 99 to the settings"]
    assert trained.suggest(vectors=fake_encoder.encode(query), texts=query)[0].label == "feature"


def test_the_ensemble_round_trips_through_one_safetensors_file(ensemble, training, tmp_path):
    from safetensors import safe_open

    texts, vectors, _ = training
    path = tmp_path / "model.safetensors"
    label_classifier_save(classifier=ensemble, path=path)
    with safe_open(str(path), framework="numpy") as handle:
        names = set(handle.keys())
        metadata = handle.metadata()
    assert {"weights", "bias", "ngrams.idf.0", "ngrams.idf.1", "ngrams.weights"} <= names
    assert not {"frozen.weights", "frozen.bias"} & names
    assert json.loads(metadata["ensemble_members"]) == ENSEMBLE_MEMBERS
    assert metadata["ensemble_combination"] == "product"

    loaded = label_classifier_load(path=path)

    assert loaded.method == "ensemble" and loaded.members == ensemble.members
    assert loaded.combination == "product"
    assert loaded.finetune is None and loaded.labels == ensemble.labels
    np.testing.assert_allclose(
        loaded.probabilities(vectors=vectors, texts=texts),
        ensemble.probabilities(vectors=vectors, texts=texts),
        rtol=1e-6,
    )
    config = label_classifier_config(loaded)
    assert config["method"] == "ensemble"
    assert config["ensemble"]["members"] == ENSEMBLE_MEMBERS
    assert config["architecture"] == (
        "product of the probabilities of: stored sentence embedding + hashed words, "
        "tf-idf word/char n-grams; each a logistic regression"
    )


def test_a_three_member_file_round_trips(old_ensemble, training, tmp_path):
    from safetensors import safe_open

    texts, vectors, _ = training
    path = tmp_path / "model.safetensors"
    label_classifier_save(classifier=old_ensemble, path=path)
    with safe_open(str(path), framework="numpy") as handle:
        assert {"frozen.weights", "frozen.bias"} <= set(handle.keys())
        assert handle.metadata()["frozen_member_c"] == "1.0"

    loaded = label_classifier_load(path=path)

    assert loaded.members == old_ensemble.members and loaded.frozen_member is not None
    np.testing.assert_allclose(
        loaded.probabilities(vectors=vectors, texts=texts),
        old_ensemble.probabilities(vectors=vectors, texts=texts),
        rtol=1e-6,
    )
    assert label_classifier_config(loaded)["architecture"].endswith(
        "tf-idf word/char n-grams, stored sentence embedding; each a logistic regression"
    )


def test_a_file_saved_before_the_product_still_averages(old_ensemble, training, tmp_path):
    from safetensors import safe_open
    from safetensors.numpy import save_file

    texts, vectors, _ = training
    path = tmp_path / "model.safetensors"
    label_classifier_save(classifier=old_ensemble, path=path)
    with safe_open(str(path), framework="numpy") as handle:
        metadata = {k: v for k, v in handle.metadata().items() if k != "ensemble_combination"}
        tensors = {name: handle.get_tensor(name) for name in handle.keys()}  # noqa: SIM118
    save_file(tensors, str(path), metadata=metadata)

    loaded = label_classifier_load(path=path)

    assert loaded.combination == COMBINE_MEAN
    members = loaded.member_probabilities(vectors=vectors, texts=texts)
    np.testing.assert_allclose(
        members["combined"], (members["main"] + members["ngrams"] + members["frozen"]) / 3
    )


def test_a_changed_ngram_recipe_refuses_to_load(ensemble, tmp_path):
    from safetensors import safe_open
    from safetensors.numpy import save_file

    path = tmp_path / "model.safetensors"
    label_classifier_save(classifier=ensemble, path=path)
    with safe_open(str(path), framework="numpy") as handle:
        metadata = {**handle.metadata(), "ngram_features": "words 1-3"}
        tensors = {name: handle.get_tensor(name) for name in handle.keys()}  # noqa: SIM118
    save_file(tensors, str(path), metadata=metadata)

    with pytest.raises(ValueError, match="other n-gram features"):
        label_classifier_load(path=path)


@pytest.mark.parametrize("trained", ["ensemble", "old_ensemble"])
def test_the_exported_loader_computes_the_ensembles_probabilities(
    trained, request, training, tmp_path
):
    ensemble = request.getfixturevalue(trained)
    texts, vectors, _ = training
    label_classifier_save(classifier=ensemble, path=tmp_path / "model.safetensors")
    (tmp_path / "steward_label_classifier.py").write_text(loader_source(), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(
        "exported_loader_ensemble", tmp_path / "steward_label_classifier.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module
    try:
        spec.loader.exec_module(module)
        exported = module.StewardLabelClassifier.from_folder(tmp_path)
        probabilities = exported.probabilities(texts, embeddings=vectors)
        suggestion = exported.suggest(UNSEEN, embeddings=vectors[:2])[0]
    finally:
        del sys.modules[spec.name]

    np.testing.assert_allclose(
        probabilities, ensemble.probabilities(vectors=vectors, texts=texts), rtol=1e-5
    )
    assert suggestion.label in ensemble.labels


def test_cross_validation_scores_every_member_from_one_training(training, fake_encoder):
    texts, vectors, labels = training
    trainer = Trainer(model_id=fake_encoder.model_id, method="ensemble", tune=False)

    rows, members, seconds = trainer.out_of_fold_members(texts, vectors, labels, folds=3)

    assert rows == list(range(len(texts)))
    assert set(members) == {"main", "ngrams", "combined"}  # two members: no leaving one out
    assert set(seconds) == {"total", "main", "ngrams"}


def test_cross_validation_leaves_each_of_three_members_out(three_members, training, fake_encoder):
    texts, vectors, labels = training
    trainer = Trainer(model_id=fake_encoder.model_id, method="ensemble", tune=False)

    rows, members, seconds = trainer.out_of_fold_members(texts, vectors, labels, folds=3)

    assert rows == list(range(len(texts)))
    leave_one_out = {"without main", "without ngrams", "without frozen"}
    assert set(members) == {"main", "ngrams", "frozen", "combined"} | leave_one_out
    assert set(seconds) == {"total", "main", "ngrams", "frozen"}
    assert seconds["total"] >= seconds["ngrams"]
    combined = suggestions_score(truth=labels, suggestions=members["combined"])
    assert combined["macro_f1"] > 0.9
    # The combined suggestions are what the production rule suggests for those rows.
    assert trainer.out_of_fold(texts, vectors, labels, folds=3)[1] == members["combined"]


def test_the_production_rule_reads_the_ensemble(ensemble, fake_encoder):
    vectors = fake_encoder.encode(UNSEEN)
    # A repository floor above every confidence: the rule abstains on each.
    floor = max(s.confidence for s in ensemble.suggest(vectors=vectors, texts=UNSEEN)) + 1e-6
    suggestions = label_suggestions(classifier=ensemble, texts=UNSEEN, vectors=vectors, floor=floor)
    assert all(s.label is None for s in suggestions)
    assert [max(s.scores, key=s.scores.get) for s in suggestions] == ["bug", "feature"]
