"""The label classifier: per-repository training, abstention, safetensors artifacts, scoring."""

from __future__ import annotations

import json

import numpy as np
import pytest

from models_hub.training.csv_evaluation import LabelledIssue, label_cross_validate
from models_hub.training.evaluation import coverage_at_precision
from models_hub.training.label_files import label_classifier_load, label_classifier_save
from models_hub.training.labels import (
    BEST_METHOD,
    METHOD_ENSEMBLE,
    label_classifier_train,
    label_method_default,
)
from tests.models_hub.label_texts import SYNTHETIC_BUGS as BUGS
from tests.models_hub.label_texts import SYNTHETIC_FEATURES as FEATURES
from tests.models_hub.label_texts import SYNTHETIC_QUESTIONS as QUESTIONS


@pytest.fixture
def training(fake_encoder):
    texts = [*BUGS, *FEATURES, *QUESTIONS]
    labels = ["bug"] * 12 + ["feature"] * 12 + ["question"] * 12
    return texts, fake_encoder.encode(texts), labels


def test_classifier_learns_the_vocabulary_and_abstains_when_unsure(training, fake_encoder):
    texts, vectors, labels = training
    classifier = label_classifier_train(
        texts=texts, vectors=vectors, labels=labels, embedding_model_id=fake_encoder.model_id
    )
    unseen = ["Crash with traceback when saving twice", "Feature request: please add a toggle"]

    sure = classifier.suggest(vectors=fake_encoder.encode(unseen), texts=unseen)
    assert [s.label for s in sure] == ["bug", "feature"]
    assert all(s.confidence == max(s.scores.values()) for s in sure)
    assert sum(sure[0].scores.values()) == pytest.approx(1.0)

    classifier.threshold = 0.999
    vague = ["something"]
    assert classifier.suggest(vectors=fake_encoder.encode(vague), texts=vague)[0].label is None


def test_two_labels_are_enough(training, fake_encoder):
    texts, vectors, labels = training
    classifier = label_classifier_train(
        texts=texts[:24], vectors=vectors[:24], labels=labels[:24], embedding_model_id="m"
    )
    assert classifier.labels == ["bug", "feature"] and classifier.weights.shape[0] == 2
    query = ["Feature request: please add option 99 to the settings"]
    assert classifier.suggest(vectors=fake_encoder.encode(query), texts=query)[0].label == "feature"
    with pytest.raises(ValueError, match="two distinct labels"):
        label_classifier_train(
            texts=texts[:3], vectors=vectors[:3], labels=["bug"] * 3, embedding_model_id="m"
        )


def test_artifact_round_trips_through_safetensors(training, fake_encoder, tmp_path):
    texts, vectors, labels = training
    trained = label_classifier_train(
        texts=texts, vectors=vectors, labels=labels, embedding_model_id=fake_encoder.model_id
    )
    path = tmp_path / "labels.safetensors"

    label_classifier_save(classifier=trained, path=path)
    loaded = label_classifier_load(path=path)

    assert loaded.labels == trained.labels and loaded.threshold == trained.threshold
    assert loaded.embedding_model_id == fake_encoder.model_id
    assert loaded.metadata["samples"] == "36"
    assert json.loads(loaded.metadata["label_counts"]) == {"bug": 12, "feature": 12, "question": 12}
    np.testing.assert_allclose(
        loaded.probabilities(vectors=vectors, texts=texts),
        trained.probabilities(vectors=vectors, texts=texts),
        rtol=1e-6,
    )


def test_coverage_at_precision_picks_the_lowest_safe_threshold():
    confidence = np.array([0.99, 0.95, 0.9, 0.8, 0.7, 0.6])
    correct = np.array([True, True, True, True, False, False])

    result = coverage_at_precision(confidence, correct, 0.8)

    assert result["coverage_at_80_precision"] == pytest.approx(5 / 6, abs=1e-4)
    assert result["abstain_below"] == 0.7 and result["precision_there"] == 0.8


def test_cross_validation_scores_each_repository(fake_encoder):
    issues = [
        LabelledIssue(repo, text, label)
        for repo in ("a/one", "b/two")
        for texts, label in ((BUGS, "bug"), (FEATURES, "feature"), (QUESTIONS, "question"))
        for text in texts
    ]
    result = label_cross_validate(issues=issues, encode=fake_encoder.encode, model_id="m", folds=3)
    assert set(result["per_repository_macro_f1"]) == {"a/one", "b/two"}
    assert result["average_macro_f1"] > 0.9


def test_the_method_comes_from_settings(settings, training):
    settings.STEWARD_LABEL_CLASSIFIER_METHOD = ""
    assert label_method_default() == BEST_METHOD == METHOD_ENSEMBLE
    settings.STEWARD_LABEL_CLASSIFIER_METHOD = "frozen"
    texts, vectors, labels = training
    trained = label_classifier_train(
        texts=texts, vectors=vectors, labels=labels, embedding_model_id="m"
    )
    assert trained.method == trained.metadata["method"] == "frozen"
    settings.STEWARD_LABEL_CLASSIFIER_METHOD = "magic"
    with pytest.raises(ValueError, match="one of frozen, finetuned, ensemble"):
        label_method_default()
    with pytest.raises(ValueError, match="unknown method 'magic'"):
        label_classifier_train(
            texts=texts, vectors=vectors, labels=labels, embedding_model_id="m", method="magic"
        )
