"""`manage.py triage_eval`: per-repository scores of the label classifier, JSON last."""

from __future__ import annotations

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from models_hub.training.csv_evaluation import labelled_issues_read
from tests.models_hub.label_texts import BUGS as BUG_TITLES
from tests.models_hub.label_texts import FEATURES as FEATURE_TITLES
from tests.models_hub.label_texts import QUESTIONS as QUESTION_TITLES
from tests.models_hub.label_texts import SYNTHETIC_BUGS as BUGS
from tests.models_hub.label_texts import SYNTHETIC_FEATURES as FEATURES
from tests.models_hub.label_texts import SYNTHETIC_QUESTIONS as QUESTIONS


def _write_csv(path, rows) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["repo", "created_at", "label", "title", "body"])
        writer.writerows(rows)


def _rows(repo: str, titles_by_label) -> list[tuple]:
    return [
        (repo, "2024-01-01", label, title, "line one\nline two")
        for titles, label in titles_by_label
        for title in titles
    ]


def _run(tmp_path, **options) -> dict:
    out = StringIO()
    call_command(
        "triage_eval",
        train_csv=tmp_path / "train.csv",
        eval_csv=tmp_path / "eval.csv",
        stdout=out,
        **options,
    )
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_triage_eval_command_prints_json_last(tmp_path, configured_fake):
    rows = _rows("o/r", ((BUGS, "bug"), (FEATURES, "feature"), (QUESTIONS, "question")))
    _write_csv(tmp_path / "train.csv", [*rows[0::2], ("only/train", "", "bug", "x", "")])
    _write_csv(tmp_path / "eval.csv", rows[1::2])

    result = _run(tmp_path)

    assert list(result["per_repository_macro_f1"]) == ["o/r"]
    assert result["average_macro_f1"] == result["per_repository_macro_f1"]["o/r"] > 0.9
    assert (result["train_issues"], result["eval_issues"]) == (19, 18)
    assert result["method"] == "frozen"
    assert len(labelled_issues_read(path=tmp_path / "eval.csv")) == 18


@pytest.mark.slow
def test_triage_eval_finetunes_one_model_per_repository(tmp_path, worker_encoder):
    titles = ((BUG_TITLES, "bug"), (FEATURE_TITLES, "feature"), (QUESTION_TITLES, "question"))
    rows = [*_rows("a/one", titles), *_rows("b/two", titles)]
    _write_csv(tmp_path / "train.csv", [row for i, row in enumerate(rows) if i % 4])
    _write_csv(tmp_path / "eval.csv", rows[0::4])

    result = _run(tmp_path, method="finetuned")

    assert result["method"] == "finetuned"
    assert set(result["per_repository_macro_f1"]) == {"a/one", "b/two"}
    assert all(0.0 <= score <= 1.0 for score in result["per_repository_macro_f1"].values())
    assert (result["train_issues"], result["eval_issues"]) == (36, 12)


def test_triage_eval_command_rejects_a_bad_csv(tmp_path):
    (tmp_path / "bad.csv").write_text("repo,title\nx,y\n")
    with pytest.raises(CommandError, match="missing columns"):
        call_command("triage_eval", train_csv=tmp_path / "bad.csv", eval_csv=tmp_path / "bad.csv")
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("triage_eval", "--train-csv", "x", "--eval-csv", "y", "--method", "magic")
