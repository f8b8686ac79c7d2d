"""Scoring the label classifier per repository on `repo,title,body,label` CSV rows, the way
the NLBSE'24 issue-report benchmark does: one classifier per repository, macro F1 per repository,
then the mean over repositories. `label_eval_split` trains on one CSV and scores another
(`manage.py triage_eval`); `label_cross_validate` runs k-fold on one CSV
(bench/triage_quality.py). Both go through the one evaluation path of evaluation.py.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models_hub.embeddings.text import issue_text
from models_hub.training.evaluation import (
    FOLDS,
    TARGET_PRECISION,
    Encode,
    Trainer,
    best_label,
    classifier_score,
    coverage_at_precision,
    suggestions_score,
)
from models_hub.training.labels import label_method_default

CSV_COLUMNS = ("repo", "title", "body", "label")


@dataclass(frozen=True)
class LabelledIssue:
    repo: str
    text: str  # prepared with issue_text
    label: str


def labelled_issues_read(*, path: Path) -> list[LabelledIssue]:
    """Rows of a `repo,title,body,label` CSV (extra columns ignored; bodies may span lines)."""
    csv.field_size_limit(sys.maxsize)
    with Path(path).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = set(CSV_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        return [
            LabelledIssue(
                row["repo"], issue_text(title=row["title"], body=row["body"]), row["label"]
            )
            for row in reader
        ]


def issues_by_repo(issues: Sequence[LabelledIssue]) -> dict[str, list[int]]:
    """Row indexes of each repository, repositories in name order."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, issue in enumerate(issues):
        groups[issue.repo].append(index)
    return dict(sorted(groups.items()))


def label_eval_split(
    *,
    train: Sequence[LabelledIssue],
    evaluate: Sequence[LabelledIssue],
    encode: Encode,
    model_id: str,
    method: str | None = None,
    encoder: Any = None,
    seed: int = 0,
) -> dict:
    """Train per repository on `train`, score on `evaluate` (repositories present in both)."""
    trainer = Trainer(
        model_id=model_id, method=method or label_method_default(), seed=seed, encoder=encoder
    )
    issues = [*train, *evaluate]
    vectors = trainer.vectors(encode, [issue.text for issue in issues])
    train_groups = issues_by_repo(train)
    scores = {}
    for repo, eval_rows in issues_by_repo(evaluate).items():
        if repo not in train_groups:
            continue
        fit_rows, eval_rows = train_groups[repo], [len(train) + i for i in eval_rows]
        classifier = trainer.fit(
            [issues[i].text for i in fit_rows],
            vectors[fit_rows],
            [issues[i].label for i in fit_rows],
        )
        scores[repo] = classifier_score(
            classifier=classifier,
            texts=[issues[i].text for i in eval_rows],
            vectors=vectors[eval_rows],
            labels=[issues[i].label for i in eval_rows],
        )
    return _summary(scores)


def label_cross_validate(
    *,
    issues: Sequence[LabelledIssue],
    encode: Encode,
    model_id: str,
    folds: int = FOLDS,
    seed: int = 0,
    method: str | None = None,
    encoder: Any = None,
    fold_limit: int | None = None,
    members: bool = False,
    finetune: Any = None,
) -> dict:
    """Stratified k-fold per repository; out-of-fold suggestions scored per repository, and
    the coverage at 90% precision over all of them, and the training seconds per repository.
    `fold_limit` scores only the first folds of each repository (quick runs while tuning).
    `members`: also each member's scores (`members`: name -> the same summary; a tuned
    ensemble's `main` member is the `finetuned` method trained on the same rows). `finetune`:
    FineTuneSettings other than the defaults (with their own seed)."""
    trainer = Trainer(
        model_id=model_id,
        method=method or label_method_default(),
        seed=seed,
        encoder=encoder,
        state_cache={},
        finetune=finetune,
    )
    vectors = trainer.vectors(encode, [issue.text for issue in issues])
    scores: dict[str, dict[str, dict]] = defaultdict(dict)
    truth: list[str] = []
    found: dict[str, list] = defaultdict(list)
    seconds: dict[str, dict[str, float]] = defaultdict(dict)
    for repo, rows in issues_by_repo(issues).items():
        rows = np.asarray(rows)
        labels = [issues[i].label for i in rows]
        scored, suggested, repo_seconds = trainer.out_of_fold_members(
            [issues[i].text for i in rows], vectors[rows], labels, folds, fold_limit=fold_limit
        )
        truth.extend(labels[i] for i in scored)
        for name, suggestions in suggested.items():
            scores[name][repo] = suggestions_score(
                truth=[labels[i] for i in scored], suggestions=suggestions
            )
            found[name].extend(suggestions)
            seconds[name][repo] = repo_seconds.get("total" if name == "combined" else name, 0.0)
    result = _cross_summary(scores["combined"], found["combined"], truth, seconds["combined"])
    if members:
        result["members"] = {
            name: _cross_summary(scores[name], found[name], truth, seconds[name])
            for name in scores
            if name != "combined"
        }
    return result


def _cross_summary(scores, suggestions, truth, seconds) -> dict:
    confidence = np.asarray([s.confidence for s in suggestions])
    correct = np.asarray([best_label(s) == str(t) for s, t in zip(suggestions, truth, strict=True)])
    return {
        **_summary(scores),
        **coverage_at_precision(confidence, correct, TARGET_PRECISION),
        "per_repository_train_seconds": seconds,
    }


def _summary(scores: dict[str, dict]) -> dict:
    per_repository = {repo: score["macro_f1"] for repo, score in scores.items()}
    average = round(float(np.mean(list(per_repository.values()))), 4) if scores else 0.0
    return {
        "per_repository_macro_f1": per_repository,
        "average_macro_f1": average,
        "per_repository_coverage": {repo: score["coverage"] for repo, score in scores.items()},
    }
