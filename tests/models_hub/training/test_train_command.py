"""`manage.py train triage-labels`: a repository's classifier, and a benchmark's classifiers end
to end (register → files → verified result → champion gate → alias history → run headline)."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from celery import current_app
from django.core.management import CommandError, call_command
from django.test import override_settings

from models_hub.models import (
    CHAMPION,
    AliasEvent,
    BenchmarkResult,
    ModelAlias,
    ModelVersion,
    RegisteredModel,
    ResultSource,
    TrainedVia,
)
from models_hub.training.retrain import label_classifier_retrain
from models_hub.training.tasks import train_benchmark
from tests.models_hub.benchmarks.test_benchmarks import (
    last_json,
    mini_benchmark_create,
    mini_csvs,
)
from tests.models_hub.scenarios.triage import labelled_repository

pytestmark = pytest.mark.django_db


@pytest.fixture
def mini_benchmark(db):
    return mini_benchmark_create()


@pytest.fixture
def benchmark_csvs(tmp_path):
    return lambda *, noisy=False: mini_csvs(tmp_path, noisy=noisy)


def _load(benchmark_csvs, *, noisy: bool = False) -> None:
    train, test = benchmark_csvs(noisy=noisy)
    call_command("benchmark_load", "mini", train_csv=train, test_csv=test, stdout=StringIO())


def _train(*args: str) -> dict:
    out = StringIO()
    call_command("train", "triage-labels", "--no-progress", *args, stdout=out)
    return last_json(out)


def test_a_benchmark_run_registers_scores_and_promotes_one_version_per_subset(
    configured_fake, model_store, mini_benchmark, benchmark_csvs
):
    _load(benchmark_csvs)

    run = _train("--benchmark", "mini", "--method", "frozen", "--seed", "3")

    mini_benchmark.refresh_from_db()
    assert list(run["subsets"]) == ["a/one", "b/two"]
    for subset in ("a/one", "b/two"):
        model = RegisteredModel.objects.get(benchmark=mini_benchmark, benchmark_subset=subset)
        assert model.repository is None
        assert model.name == f"mini-{subset.replace('/', '-')}-label-classifier"
        version = model.versions.get()
        assert {f.path for f in version.files.all()} == {"model.safetensors", "config.json"}
        assert version.trained_via == TrainedVia.CLI and version.seed == 3
        assert version.command == (
            f"python manage.py train triage-labels --benchmark mini --subset {subset} "
            "--method frozen --seed 3"
        )
        assert version.training_rows == 24 and version.metadata["subset"] == subset
        assert version.metrics["evaluated"] and version.metadata["threshold"] >= 0.5
        result = BenchmarkResult.objects.get(version=version)
        assert result.source == ResultSource.VERIFIED and result.breakdown["subset"] == subset
        assert result.value == run["per_subset"][subset] > 0.9
        assert set(result.breakdown["per_class"]) == {"bug", "feature", "question"}
        assert result.dataset_sha256 == mini_benchmark.test_sha256 != ""
        assert result.seed == 3 and result.code_version
        assert result.command == f"python manage.py evaluate {model.name}@1 --benchmark mini"
        assert ModelAlias.objects.get(model=model, name=CHAMPION).version == version
        assert (
            run["subsets"][subset]["promoted"]
            and "first champion" in run["subsets"][subset]["gate"]
        )
    headline = BenchmarkResult.objects.get(pk=run["aggregate_result"])
    assert headline.version is None and headline.source == ResultSource.VERIFIED
    assert headline.entry == "Steward (frozen, fake-encoder)" == run["entry"]
    assert headline.value == pytest.approx(sum(run["per_subset"].values()) / 2, abs=1e-4)
    assert headline.breakdown["per_subset"] == run["per_subset"]
    assert [m["subset"] for m in headline.breakdown["members"]] == ["a/one", "b/two"]
    assert headline.command.endswith("--benchmark mini --method frozen --seed 3")


def test_the_same_run_again_gives_the_same_versions_and_updates_its_results(
    configured_fake, model_store, mini_benchmark, benchmark_csvs
):
    _load(benchmark_csvs)
    first = _train("--benchmark", "mini", "--method", "frozen")
    results = BenchmarkResult.objects.filter(benchmark=mini_benchmark).count()

    again = _train("--benchmark", "mini", "--method", "frozen")

    assert [s["version"] for s in again["subsets"].values()] == [
        s["version"] for s in first["subsets"].values()
    ]
    assert not any(s["created"] for s in again["subsets"].values())
    assert again["per_subset"] == first["per_subset"] and again["value"] == first["value"]
    assert BenchmarkResult.objects.filter(benchmark=mini_benchmark).count() == results == 3
    assert again["aggregate_result"] == first["aggregate_result"]


def test_the_champion_gate_compares_verified_results_on_the_declared_benchmark(
    configured_fake, model_store, mini_benchmark, benchmark_csvs
):
    _load(benchmark_csvs, noisy=True)
    worse = _train("--benchmark", "mini", "--subset", "a/one", "--method", "frozen")
    _load(benchmark_csvs)
    better = _train("--benchmark", "mini", "--subset", "a/one", "--method", "frozen")
    _load(benchmark_csvs, noisy=True)
    refused = _train("--benchmark", "mini", "--subset", "a/one", "--method", "frozen")

    model = RegisteredModel.objects.get(name="mini-a-one-label-classifier")
    assert worse["per_subset"]["a/one"] < 0.2 < 0.9 < better["per_subset"]["a/one"]
    assert better["subsets"]["a/one"]["promoted"]
    assert "verified mini" in better["subsets"]["a/one"]["gate"]
    # The noisy weights again: the same version 1, which does not beat version 2.
    assert refused["subsets"]["a/one"]["version"] == "mini-a-one-label-classifier@1"
    assert not refused["subsets"]["a/one"]["promoted"]
    assert "does not beat" in refused["subsets"]["a/one"]["gate"]
    assert ModelAlias.objects.get(model=model, name=CHAMPION).version.version == 2
    history = AliasEvent.objects.filter(model=model).order_by("created_at", "pk")
    assert [(e.from_version and e.from_version.version, e.to_version.version) for e in history] == [
        (None, 1),
        (1, 2),
    ]
    assert history.last().metrics["gate"]["evaluation"] == "verified mini"
    assert history.last().actor_label == TrainedVia.CLI
    # Only one subset was trained: no headline for the run.
    assert refused["aggregate_result"] is None and refused["value"] is None


def test_no_promote_registers_without_moving_the_champion(
    configured_fake, model_store, mini_benchmark, benchmark_csvs
):
    _load(benchmark_csvs)
    run = _train("--benchmark", "mini", "--subset", "b/two", "--method", "frozen", "--no-promote")

    assert not run["subsets"]["b/two"]["promoted"]
    assert not ModelAlias.objects.filter(model__name="mini-b-two-label-classifier").exists()
    assert BenchmarkResult.objects.filter(version__model__name="mini-b-two-label-classifier")


def test_benchmark_errors_are_clear(configured_fake, model_store, mini_benchmark, benchmark_csvs):
    with pytest.raises(CommandError, match=re.escape("mini has no data loaded: python manage")):
        _train("--benchmark", "mini")
    _load(benchmark_csvs)
    with pytest.raises(CommandError, match="c/three is not a subset of mini"):
        _train("--benchmark", "mini", "--subset", "c/three")
    with pytest.raises(CommandError, match="unknown benchmark 'other'"):
        _train("--benchmark", "other")
    with pytest.raises(CommandError, match="one of the arguments --repo --benchmark is required"):
        _train()


def test_the_benchmark_task_runs_on_the_embeddings_worker(
    configured_fake, model_store, mini_benchmark, benchmark_csvs
):
    _load(benchmark_csvs)

    done = train_benchmark.delay(mini_benchmark.pk, ["a/one"], "frozen", 0, True).get()

    assert done["subsets"]["a/one"]["version"] == "mini-a-one-label-classifier@1"
    assert ModelVersion.objects.get(model__name="mini-a-one-label-classifier").trained_via == (
        TrainedVia.WORKER
    )
    assert train_benchmark.delay(0).get() == {"skipped": "unknown benchmark"}
    route = current_app.amqp.router.route({}, train_benchmark.name, (), {})
    assert route["queue"].name == "embeddings"


def test_a_repository_s_classifier_is_trained_from_the_command_line(configured_fake, model_store):
    repository, _, _ = labelled_repository(
        per_label={"bug": 10, "enhancement": 10}, encoder=configured_fake
    )

    run = _train("--repo", repository.full_name, "--method", "frozen", "--seed", "3")

    version = ModelVersion.objects.get(model__repository=repository)
    assert run["version"] == f"{version.model.name}@1" and run["promoted"]
    assert version.trained_via == TrainedVia.CLI and version.seed == 3
    assert version.command == (
        f"python manage.py train triage-labels --repo {repository.full_name} "
        "--method frozen --seed 3"
    )
    assert run["command"] == version.command and run["macro_f1"] == version.metrics["macro_f1"]
    assert ModelAlias.objects.get(model=version.model, name=CHAMPION).version == version
    assert AliasEvent.objects.get(model=version.model).actor_label == TrainedVia.CLI


@override_settings(STEWARD_LABEL_CLASSIFIER_METHOD="frozen")
def test_a_version_trained_elsewhere_records_the_method_and_folds_that_reproduce_it(
    configured_fake, model_store
):
    # A worker or admin retrain runs the configured method: the command names it all the
    # same, since the configuration may change before someone reruns it.
    repository, _, _ = labelled_repository(
        per_label={"bug": 10, "enhancement": 10}, encoder=configured_fake
    )

    outcome = label_classifier_retrain(repository=repository, encoder=configured_fake, folds=3)

    assert outcome.version.command == (
        f"python manage.py train triage-labels --repo {repository.full_name} "
        "--method frozen --folds 3 --seed 0"
    )
    assert outcome.version.hyperparameters["method"] == "frozen"


def test_repository_training_errors_are_clear(configured_fake, model_store):
    with pytest.raises(CommandError, match="unknown repository nobody/nothing"):
        _train("--repo", "nobody/nothing")
    with pytest.raises(CommandError, match="--subset and --queue go with --benchmark"):
        _train("--repo", "nobody/nothing", "--subset", "a/one")
