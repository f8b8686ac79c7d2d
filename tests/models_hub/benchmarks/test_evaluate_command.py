"""`manage.py evaluate MODEL@VERSION --benchmark NAME`: a stored version scored on stored data,
recorded as a verified result; and the leaderboard that shows what a user may see of them."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from models_hub.benchmarks.leaderboard import leaderboard
from models_hub.models import Benchmark, BenchmarkResult, ResultSource
from tests.factories import RepositoryFactory
from tests.models_hub.benchmarks.test_benchmarks import (
    last_json,
    mini_benchmark_create,
    mini_csvs,
    mini_rows,
    repository_version_train,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(configured_fake, model_store, tmp_path) -> Benchmark:
    """The mini benchmark with its data loaded."""
    benchmark = mini_benchmark_create()
    train, test = mini_csvs(tmp_path)
    call_command("benchmark_load", "mini", train_csv=train, test_csv=test, stdout=StringIO())
    benchmark.refresh_from_db()
    return benchmark


def _evaluate(spec: str, benchmark: str = "mini") -> dict:
    out = StringIO()
    call_command("evaluate", spec, benchmark=benchmark, stdout=out)
    return last_json(out)


def _repository_version(encoder, *, private: bool):
    """A repository's classifier trained on the mini rows: a model that declares no benchmark."""
    rows = mini_rows(test=False)
    return repository_version_train(
        encoder,
        repository=RepositoryFactory(private=private),
        texts=[f"{title}\n\n{body}" for _, title, body, _ in rows],
        labels=[label for *_, label in rows],
    )


def test_evaluate_records_the_verified_result_training_recorded(loaded):
    out = StringIO()
    call_command(
        "train", "triage-labels", "--benchmark", "mini", "--method", "frozen", "--no-progress",
        stdout=out,
    )  # fmt: skip
    trained = BenchmarkResult.objects.get(version__model__name="mini-a-one-label-classifier")
    before = (trained.value, trained.coverage, trained.breakdown, trained.dataset_sha256)
    count = BenchmarkResult.objects.count()

    by_number = _evaluate("mini-a-one-label-classifier@1")
    by_alias = _evaluate("mini-a-one-label-classifier@champion")

    trained.refresh_from_db()
    assert by_number == by_alias
    assert (by_number["value"], by_number["coverage"], by_number["breakdown"]) == before[:3]
    assert by_number["dataset_sha256"] == loaded.test_sha256 == before[3]
    assert (trained.value, trained.coverage, trained.breakdown) == before[:3]
    assert BenchmarkResult.objects.count() == count  # the same result, scored again
    assert by_number["command"] == (
        "python manage.py evaluate mini-a-one-label-classifier@1 --benchmark mini"
    )


def test_a_model_without_a_benchmark_is_scored_on_every_subset(loaded, configured_fake):
    version = _repository_version(configured_fake, private=False)

    result = _evaluate(f"{version.model.name}@v{version.version}")

    assert set(result["breakdown"]["per_subset"]) == {"a/one", "b/two"}
    assert result["value"] == pytest.approx(
        sum(result["breakdown"]["per_subset"].values()) / 2, abs=1e-4
    )
    stored = BenchmarkResult.objects.get(pk=result["result"])
    assert stored.source == ResultSource.VERIFIED and stored.version == version
    assert 0.0 <= stored.coverage <= 1.0


def test_evaluate_errors_are_clear(loaded, configured_fake, settings):
    version = _repository_version(configured_fake, private=False)
    name = version.model.name
    for spec, message in (
        ("no-at-sign", "write MODEL@VERSION"),
        ("nobody@1", "no registered model named 'nobody'"),
        (f"{name}@7", f"{name} has no version '7'"),
        (f"{name}@staging", f"{name} has no version 'staging'"),
    ):
        with pytest.raises(CommandError, match=message):
            _evaluate(spec)
    with pytest.raises(CommandError, match="unknown benchmark 'other'"):
        _evaluate(f"{name}@1", benchmark="other")
    with pytest.raises(CommandError, match="nlbse2024 has no data loaded"):
        _evaluate(f"{name}@1", benchmark="nlbse2024")
    configured_fake.model_id = "another/encoder"
    with pytest.raises(CommandError, match="reads test/fake-encoder embeddings; this worker"):
        _evaluate(f"{name}@1")


def test_the_leaderboard_hides_a_private_repository_s_model_from_anonymous_users(
    loaded, configured_fake, admin_user
):
    private = _repository_version(configured_fake, private=True)
    public = _repository_version(configured_fake, private=False)
    _evaluate(f"{private.model.name}@1")
    _evaluate(f"{public.model.name}@1")
    call_command(
        "train", "triage-labels", "--benchmark", "mini", "--method", "frozen", "--no-progress",
        stdout=StringIO(),
    )  # fmt: skip
    BenchmarkResult.objects.create(
        benchmark=loaded,
        entry="A paper",
        source=ResultSource.PUBLISHED,
        value=0.5,
        breakdown={"per_subset": {"a/one": 0.4, "b/two": 0.6}},
        evaluated_at="2024-01-01T00:00:00Z",
    )

    anonymous = leaderboard(benchmark=loaded, user=AnonymousUser())
    staff = leaderboard(benchmark=loaded, user=admin_user)

    assert staff.subsets == ["a/one", "b/two"] and staff.metric == "Macro F1"
    entries = {row.entry for row in staff.rows}
    assert f"{private.model.name} v1" in entries and f"{public.model.name} v1" in entries
    assert {row.entry for row in anonymous.rows} == entries - {f"{private.model.name} v1"}
    assert [row.value for row in staff.rows] == sorted(
        (row.value for row in staff.rows), reverse=True
    )
    assert [row.rank for row in staff.rows] == list(range(1, len(staff.rows) + 1))
    # Subset versions are the run's members, not rows of their own.
    run = next(row for row in staff.rows if row.entry == "Steward (frozen, fake-encoder)")
    assert run.source == ResultSource.VERIFIED and run.model is None
    assert [(m.model, m.version, m.subset) for m in run.members] == [
        ("mini-a-one-label-classifier", 1, "a/one"),
        ("mini-b-two-label-classifier", 1, "b/two"),
    ]
    assert set(run.subsets) == {"a/one", "b/two"} and run.command.startswith("python manage.py")
    private_row = next(row for row in staff.rows if row.model == private.model.name)
    assert private_row.version == 1 and private_row.repository == private.model.repository.full_name
    paper = next(row for row in anonymous.rows if row.entry == "A paper")
    assert paper.subsets == {"a/one": 0.4, "b/two": 0.6} and paper.model is None
    # One subset's board: its versions are the rows, with the others' value for that subset.
    board = leaderboard(benchmark=loaded, user=AnonymousUser(), subset="b/two")
    assert board.subsets == ["b/two"]
    assert "mini-b-two-label-classifier v1" in {row.entry for row in board.rows}
    assert "Steward (frozen, fake-encoder)" not in {row.entry for row in board.rows}
    assert next(row for row in board.rows if row.entry == "A paper").value == 0.6
    assert json.dumps([row.subsets for row in board.rows])  # plain data for templates and API
