"""Benchmarks: the NLBSE'24 definition and its published rows, loading data, one evaluation path.

The helpers here (`mini_benchmark_create`, `mini_csvs`, `last_json`) serve the
train, evaluate, leaderboard and replay tests too: a two-repository benchmark with small CSVs
built from synthetic issues, trained on the fake encoder.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from models_hub.benchmarks.catalogue import benchmarks_ensure
from models_hub.benchmarks.data import benchmark_rows
from models_hub.benchmarks.definitions import NLBSE2024
from models_hub.models import Benchmark, BenchmarkResult, ModelKind, ResultSource
from models_hub.registry.versions import (
    WEIGHTS,
    Lineage,
    model_version_register,
    registered_model_for_repository,
)
from models_hub.training import retrain
from models_hub.training.evaluation import (
    label_kfold_score,
    label_suggestions,
    suggestions_score,
)
from models_hub.training.label_files import label_classifier_save
from models_hub.training.labels import LabelSuggestion, label_classifier_train
from tests.models_hub.label_texts import SYNTHETIC_BUGS as BUGS
from tests.models_hub.label_texts import SYNTHETIC_FEATURES as FEATURES
from tests.models_hub.label_texts import SYNTHETIC_QUESTIONS as QUESTIONS

pytestmark = pytest.mark.django_db

MINI_SUBSETS = ["a/one", "b/two"]
CLASSES = ["bug", "feature", "question"]


def write_csv(
    path: Path, rows: list[tuple[str, str, str, str]], header=("repo", "title", "body", "label")
):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def mini_rows(*, test: bool, noisy: bool = False, repos=MINI_SUBSETS) -> list[tuple]:
    """8 train or 4 test issues per class and repository; `noisy` trains on rotated labels
    (bug as feature, feature as question, question as bug): a classifier that is always wrong."""
    rotate = {"bug": "feature", "feature": "question", "question": "bug"}
    picked = slice(8, 12) if test else slice(0, 8)
    return [
        (repo, title, "Steps:\nline one\nline two", rotate[label] if noisy else label)
        for repo in repos
        for titles, label in ((BUGS, "bug"), (FEATURES, "feature"), (QUESTIONS, "question"))
        for title in titles[picked]
    ]


def mini_benchmark_create() -> Benchmark:
    return Benchmark.objects.create(
        name="mini",
        title="Mini issue benchmark",
        dataset="tests/mini",
        averaging="macro F1 per repository, then the mean",
        protocol="one classifier per repository",
        subsets=MINI_SUBSETS,
        classes=CLASSES,
    )


def mini_csvs(folder: Path, *, noisy: bool = False) -> tuple[Path, Path]:
    """(train, test) CSVs of the mini benchmark; `noisy` for the always-wrong training."""
    train = write_csv(
        folder / ("noisy.csv" if noisy else "train.csv"), mini_rows(test=False, noisy=noisy)
    )
    return train, write_csv(folder / "test.csv", mini_rows(test=True))


@pytest.fixture
def mini_benchmark(db) -> Benchmark:
    return mini_benchmark_create()


def repository_version_train(
    encoder, *, repository, texts: list[str], labels: list[str], threshold: float = 0.5
):
    """A frozen classifier trained on these texts, registered as the next version of the
    repository's label classifier (a model that declares no benchmark)."""
    classifier = label_classifier_train(
        texts=texts,
        vectors=encoder.encode(texts),
        labels=labels,
        embedding_model_id=encoder.model_id,
        threshold=threshold,
        method="frozen",
    )
    model = registered_model_for_repository(kind=ModelKind.LABEL_CLASSIFIER, repository=repository)
    with tempfile.TemporaryDirectory() as folder:
        weights = Path(folder) / WEIGHTS
        label_classifier_save(classifier=classifier, path=weights)
        version, _ = model_version_register(
            model=model, files={WEIGHTS: weights}, lineage=Lineage(seed=0), metrics={}
        )
    return version


def last_json(out) -> dict:
    return json.loads(out.getvalue().strip().splitlines()[-1])


# The definition and its published results.


def test_nlbse2024_and_its_published_baselines_exist_after_migrate():
    benchmark = Benchmark.objects.get(name="nlbse2024")

    assert benchmark.subsets == [
        "facebook/react",
        "tensorflow/tensorflow",
        "microsoft/vscode",
        "bitcoin/bitcoin",
        "opencv/opencv",
    ]
    assert benchmark.classes == CLASSES
    assert benchmark.url == "https://github.com/nlbse2024/issue-report-classification"
    assert benchmark.dataset_revision == "2927bc67eb42db8affd16eaf3e5a6d74f3063961"
    assert (benchmark.split, benchmark.metric, benchmark.task) == (
        "test",
        "f1",
        "text-classification",
    )
    assert "mean over the 5 repositories" in benchmark.averaging
    assert "only on that repository's training rows" in benchmark.protocol
    assert "The NLBSE'24 Tool Competition" in benchmark.citation
    published = {
        r.entry: r
        for r in BenchmarkResult.objects.filter(benchmark=benchmark, source=ResultSource.PUBLISHED)
    }
    assert {entry: r.value for entry, r in published.items()} == {
        "SetFit (all-mpnet-base-v2)": 0.827,
        "RoBERTa": 0.7923,
        "fastText": 0.7184,
    }
    for result in published.values():
        per_subset = result.breakdown["per_subset"]
        assert set(per_subset) == set(benchmark.subsets) and result.version is None
        # The headline is the mean over repositories, as the benchmark averages.
        assert np.mean(list(per_subset.values())) == pytest.approx(result.value, abs=5e-4)
        assert result.reference.startswith(benchmark.url)
    assert published["SetFit (all-mpnet-base-v2)"].breakdown["per_subset"]["facebook/react"] == (
        0.8718
    )


def test_benchmarks_ensure_is_idempotent_and_restores_a_changed_figure():
    setfit = BenchmarkResult.objects.get(entry="SetFit (all-mpnet-base-v2)")
    setfit.value = 0.5
    setfit.save()
    Benchmark.objects.filter(name="nlbse2024").update(train_rows=7, title="changed")

    benchmarks_ensure()
    benchmarks_ensure()

    benchmark = Benchmark.objects.get(name="nlbse2024")
    assert benchmark.title == NLBSE2024.title and benchmark.train_rows == 7  # data untouched
    assert BenchmarkResult.objects.filter(benchmark=benchmark).count() == 3
    assert BenchmarkResult.objects.get(pk=setfit.pk).value == 0.827


@pytest.mark.conformance
def test_published_figures_match_the_benchmark_results_files(corpus):
    """Conformance: the NLBSE'24 results files of the corpus (nlbse2024/)."""
    figures = {figure.entry: figure for figure in NLBSE2024.published}
    for name, entry in (("roberta", "RoBERTa"), ("fasttext", "fastText"), ("setfit", None)):
        data = json.loads((corpus / "nlbse2024" / f"baseline_results_{name}.json").read_text())
        per_repo = {r: round(v["average"]["f1-score"], 4) for r, v in data.items() if "/" in r}
        if entry is not None:
            assert figures[entry].per_subset == per_repo
            assert figures[entry].value == round(np.mean(list(per_repo.values())), 4)
    # SetFit's row is the README's table; the results file is another run, named in the notes.
    setfit = figures["SetFit (all-mpnet-base-v2)"]
    assert f"{per_repo['facebook/react']:.4f}" in setfit.notes and "0.8240" in setfit.notes


# Loading data.


def test_benchmark_load_stores_both_csvs_by_sha256(model_store, mini_benchmark, tmp_path):
    train, test = mini_csvs(tmp_path)
    out = StringIO()
    call_command("benchmark_load", "mini", train_csv=train, test_csv=test, stdout=out)

    mini_benchmark.refresh_from_db()
    summary = last_json(out)
    assert (mini_benchmark.train_rows, mini_benchmark.test_rows) == (48, 24)
    assert mini_benchmark.test_sha256 == hashlib.sha256(test.read_bytes()).hexdigest()
    assert summary["test_sha256"] == mini_benchmark.dataset_sha256 == mini_benchmark.test_sha256
    assert mini_benchmark.has_data and mini_benchmark.loaded_at is not None
    stored = benchmark_rows(benchmark=mini_benchmark, split="test")
    assert len(stored) == 24 and {row.repo for row in stored} == set(MINI_SUBSETS)
    assert stored[0].text.startswith(BUGS[8])


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        ([("a/one", "t", "b", "bug")], ("repo", "title", "text", "label"), "missing column"),
        (
            [("x/y", "t", "b", "bug")] * 2,
            None,
            "2 rows of repositories the benchmark does not define",
        ),
        ([("a/one", "t", "b", "enhancement")], None, r"'enhancement' \(1 row\)"),
        ([], None, "no rows"),
    ],
)
def test_benchmark_load_refuses_data_that_does_not_fit(
    model_store, mini_benchmark, tmp_path, rows, header, message
):
    bad = write_csv(tmp_path / "bad.csv", rows, header or ("repo", "title", "body", "label"))
    good = write_csv(tmp_path / "good.csv", mini_rows(test=True))

    with pytest.raises(CommandError, match=message):
        call_command("benchmark_load", "mini", train_csv=bad, test_csv=good)

    mini_benchmark.refresh_from_db()
    assert not mini_benchmark.has_data


def test_benchmark_load_names_the_benchmarks_it_knows(tmp_path):
    path = write_csv(tmp_path / "x.csv", [])
    with pytest.raises(CommandError, match=r"unknown benchmark 'nope' \(known: .*nlbse2024"):
        call_command("benchmark_load", "nope", train_csv=path, test_csv=path)


def test_unknown_repositories_are_listed_with_the_benchmark_s_own(model_store, tmp_path):
    rows = [("facebook/react", "t", "b", "bug"), ("rust-lang/rust", "t", "b", "bug")]
    bad = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(CommandError) as refused:
        call_command("benchmark_load", "nlbse2024", train_csv=bad, test_csv=bad)
    assert "'rust-lang/rust' (1 row)" in str(refused.value)
    assert "facebook/react, tensorflow/tensorflow" in str(refused.value)


# One evaluation path.


def _training_set(fake_encoder):
    texts = [*BUGS, *FEATURES, *QUESTIONS]
    labels = ["bug"] * len(BUGS) + ["feature"] * len(FEATURES) + ["question"] * len(QUESTIONS)
    return texts, fake_encoder.encode(texts), labels


def test_kfold_scores_what_retraining_measures(fake_encoder):
    texts, vectors, labels = _training_set(fake_encoder)

    ours = label_kfold_score(
        texts=texts, vectors=vectors, labels=labels, model_id="m", folds=4, method="frozen"
    )
    theirs = retrain.label_cross_validate(
        texts=texts, vectors=vectors, labels=labels, model_id="m", folds=4, method="frozen"
    )

    assert {key: ours[key] for key in theirs} == theirs
    assert 0.0 <= ours["coverage"] <= 1.0 and ours["samples"] == len(texts)


def test_suggestions_abstain_as_production_does_and_coverage_counts_them(fake_encoder):
    texts, vectors, labels = _training_set(fake_encoder)
    classifier = label_classifier_train(
        texts=texts, vectors=vectors, labels=labels, embedding_model_id="m", method="frozen"
    )
    direct = classifier.suggest(vectors=vectors, texts=texts)

    assert label_suggestions(classifier=classifier, texts=texts, vectors=vectors) == direct
    floored = label_suggestions(classifier=classifier, texts=texts, vectors=vectors, floor=1.01)
    assert all(s.label is None for s in floored)
    assert [s.confidence for s in floored] == [s.confidence for s in direct]

    score = suggestions_score(
        truth=["bug", "bug", "feature"],
        suggestions=[
            LabelSuggestion("bug", 0.9, {"bug": 0.9, "feature": 0.1}),
            LabelSuggestion(None, 0.4, {"bug": 0.4, "feature": 0.6}),  # abstained, best: feature
            LabelSuggestion("feature", 0.8, {"bug": 0.2, "feature": 0.8}),
        ],
    )
    assert score["coverage"] == pytest.approx(2 / 3, abs=1e-4)
    assert score["precision_when_suggested"] == 1.0
    assert score["accuracy"] == pytest.approx(2 / 3, abs=1e-4)  # the best label, abstained or not
    assert score["per_label"]["bug"] == {
        "precision": 1.0,
        "recall": 0.5,
        "f1": 0.6667,
        "support": 2,
    }


def test_the_web_process_may_import_the_benchmark_and_replay_modules_without_torch():
    script = (
        "import django, importlib, json, sys; django.setup()\n"
        "for name in ('models_hub.benchmarks.leaderboard', 'models_hub.benchmarks.catalogue',"
        " 'models_hub.benchmarks.training', 'models_hub.triage.replay',"
        " 'models_hub.training.tasks', 'models_hub.tasks'):\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in ('torch', 'sentence_transformers', 'transformers')"
        " if m in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[3],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
