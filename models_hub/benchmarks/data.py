"""A benchmark's data: the user's train and test CSVs, checked against the definition and kept
in the model storage by sha256 (what a verified result records it was scored on).

A CSV has the columns repo, title, body, label (others are ignored; bodies may span lines).
Every row must belong to one of the benchmark's subsets and classes: a row of another
repository or label is refused, not skipped, so a verified score is always on the data the
benchmark defines. A subset may be absent (a partial load trains and scores the ones present).
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from models_hub.models import Benchmark
from models_hub.registry.files import ArtifactError, blob_local_path, blob_put
from models_hub.training.csv_evaluation import CSV_COLUMNS, LabelledIssue, labelled_issues_read

SPLITS = ("train", "test")


class BenchmarkDataError(ValueError):
    """The data does not fit the benchmark, or none is loaded."""


@dataclass(frozen=True)
class SplitCheck:
    rows: int
    per_subset: dict[str, int]


def benchmark_csv_check(*, benchmark: Benchmark, path: Path, split: str) -> SplitCheck:
    """Raise BenchmarkDataError, saying what is wrong, unless the CSV fits the benchmark."""
    try:
        with Path(path).open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError) as error:
        raise BenchmarkDataError(f"{split} CSV {path}: cannot read it ({error})") from error
    missing = [column for column in CSV_COLUMNS if column not in header]
    if missing:
        raise BenchmarkDataError(
            f"{split} CSV {path}: missing column(s) {', '.join(missing)}; a benchmark CSV has "
            f"the columns {', '.join(CSV_COLUMNS)} (found: {', '.join(header) or 'no header'})"
        )
    issues = labelled_issues_read(path=path)
    if not issues:
        raise BenchmarkDataError(f"{split} CSV {path}: no rows")
    _refuse_unknown(split, "repositories", [i.repo for i in issues], benchmark.subsets)
    _refuse_unknown(split, "labels", [i.label for i in issues], benchmark.classes)
    return SplitCheck(rows=len(issues), per_subset=dict(Counter(i.repo for i in issues)))


def _refuse_unknown(split: str, what: str, values: list[str], known: list[str]) -> None:
    unknown = Counter(value for value in values if value not in known)
    if unknown:
        listed = ", ".join(f"{value!r} ({_rows(count)})" for value, count in unknown.most_common(5))
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise BenchmarkDataError(
            f"{split} CSV: {_rows(sum(unknown.values()))} of {what} the benchmark does not define: "
            f"{listed}{more}. Its {what}: {', '.join(known)}"
        )


def _rows(count: int) -> str:
    return f"{count} row{'' if count == 1 else 's'}"


def benchmark_data_load(*, benchmark: Benchmark, train_csv: Path, test_csv: Path) -> Benchmark:
    """Check both CSVs, store them (content-addressed) and record them on the benchmark."""
    checks = {
        split: benchmark_csv_check(benchmark=benchmark, path=path, split=split)
        for split, path in (("train", train_csv), ("test", test_csv))
    }
    shared = set(checks["train"].per_subset) & set(checks["test"].per_subset)
    if not shared:
        raise BenchmarkDataError("no subset has rows in both the train and the test CSV")
    for split, path in (("train", train_csv), ("test", test_csv)):
        try:
            # Stored as text: a CSV is UTF-8 text, which the store checks as such.
            sha256, _, key = blob_put(name=f"{benchmark.name}-{split}.csv", path=Path(path))
        except ArtifactError as error:
            raise BenchmarkDataError(f"{split} CSV {path}: {error}") from error
        setattr(benchmark, f"{split}_key", key)
        setattr(benchmark, f"{split}_sha256", sha256)
        setattr(benchmark, f"{split}_rows", checks[split].rows)
    benchmark.loaded_at = timezone.now()
    benchmark.save(
        update_fields=[f"{s}_{f}" for s in SPLITS for f in ("key", "sha256", "rows")]
        + ["loaded_at"]
    )
    return benchmark


def benchmark_rows(*, benchmark: Benchmark, split: str) -> list[LabelledIssue]:
    """The stored split's rows (its bytes checked against their sha256 first)."""
    if split not in SPLITS:
        raise ValueError(f"split {split!r}: train or test")
    key, sha256 = getattr(benchmark, f"{split}_key"), getattr(benchmark, f"{split}_sha256")
    if not key:
        raise BenchmarkDataError(
            f"{benchmark.name} has no data loaded: python manage.py benchmark_load "
            f"{benchmark.name} --train-csv TRAIN.csv --test-csv TEST.csv"
        )
    return labelled_issues_read(path=blob_local_path(key=key, sha256=sha256))


def rows_of_subset(rows: list[LabelledIssue], subset: str) -> list[LabelledIssue]:
    return [row for row in rows if row.repo == subset]
