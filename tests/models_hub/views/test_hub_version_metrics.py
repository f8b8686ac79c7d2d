"""The version page names every metric in words, prints shares as percentages, and shows the
threshold the version applies (its card's) beside the calibrated one (review bug 15)."""

from __future__ import annotations

import re

import pytest

from tests.factories import ModelVersionFactory, RegisteredModelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    model = RegisteredModelFactory(name="acme-widgets-label-classifier")
    return ModelVersionFactory(
        model=model,
        version=1,
        metrics={
            "samples": 344,
            "macro_f1": 0.9077,
            "accuracy": 0.9273,
            "coverage": 0.9884,
            "precision_when_suggested": 0.9265,
            "coverage_at_90_precision": 1.0,
            "threshold_at_90_precision": 0.4538,
            "abstain_below": None,
            "evaluated": True,
            "folds": 3,
        },
        metadata={"threshold": 0.5, "threshold_floor": 0.5, "labels": ["bug", "docs"]},
    )


def test_metrics_have_human_names_percentages_and_the_threshold_in_use(client, version):
    response = client.get(f"/models/{version.model.name}/v/1/")

    assert response.status_code == 200
    rows = {row.key: row for row in response.context["metric_rows"]}
    assert rows["coverage"].label == "Coverage at the threshold in use"
    assert rows["coverage"].values == ("98.8%",)
    assert rows["coverage_at_90_precision"].values == ("100.0%",)
    assert rows["precision_when_suggested"].label == "Precision when a label is suggested"
    assert rows["threshold_in_use"].values == ("0.5000",)  # as the model card prints it
    assert rows["threshold_at_90_precision"].values == ("0.4538",)
    assert all("_" not in row.label and row.label != row.key for row in rows.values())
    body = response.content.decode()
    assert "the higher of the calibrated threshold and the maintainers&#x27; floor" in body
    assert not re.search(r"<th scope=\"row\">(coverage|precision when)", body)  # no raw keys


def test_compare_says_what_a_version_without_an_abstention_point_does(client, version):
    ModelVersionFactory(
        model=version.model,
        version=2,
        metrics={**version.metrics, "coverage_at_90_precision": 0.96, "abstain_below": 0.6343},
    )

    response = client.get(f"/models/{version.model.name}/compare/?a=1&b=2")

    rows = {row.key: row for row in response.context["metric_rows"]}
    assert rows["abstain_below"].values == (
        "never: all its suggestions together were right 90% of the time",
        "0.6343",
    )
    assert (
        "counting suggestions less confident than this drops precision under 90%" in response.text
    )


def test_compare_prints_scores_to_four_decimals_a_perfect_one_too(client, version):
    ModelVersionFactory(
        model=version.model, version=2, metrics={**version.metrics, "macro_f1": 1.0}
    )

    response = client.get(f"/models/{version.model.name}/compare/?a=1&b=2")

    rows = {row.key: row for row in response.context["metric_rows"]}
    assert rows["macro_f1"].values == ("0.9077", "1.0000")  # not "1", as the model card prints it
    assert rows["samples"].values == ("344", "344")  # counts stay whole numbers


def test_hyperparameters_are_named_in_words_the_fine_tuning_ones_together(client, version):
    ModelVersionFactory(
        model=version.model,
        version=2,
        hyperparameters={
            "method": "ensemble",
            "regularisation_c": 10.0,
            "finetune_learning_rate": "5e-05",
            "finetune_top_layers": "6",
            "embedding_weight": 1.0,
            "ensemble_members": '["main", "ngrams"]',
        },
    )

    response = client.get(f"/models/{version.model.name}/v/2/")

    rows = [(row.label, row.values) for row in response.context["hyperparameter_rows"]]
    assert rows == [
        ("Embedding weight", ("1",)),
        ("Ensemble members", ("main, ngrams",)),
        ("Fine-tuning: learning rate", ("5e-05",)),
        ("Fine-tuning: top layers", ("6",)),
        ("Method", ("ensemble",)),
        ("Regularisation C", ("10",)),
    ]


def test_ensemble_members_with_weights_read_as_words(client, version):
    ModelVersionFactory(
        model=version.model,
        version=2,
        hyperparameters={"ensemble_members": '{"main": 1.0, "ngrams": 0.5}'},
    )

    rows = client.get(f"/models/{version.model.name}/v/2/").context["hyperparameter_rows"]

    assert [(row.label, row.values) for row in rows] == [
        ("Ensemble members", ("main (weight 1), ngrams (weight 0.5)",))
    ]
