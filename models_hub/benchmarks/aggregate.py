"""A benchmark run's headline: one `verified` BenchmarkResult with no version.

A benchmark like NLBSE'24 scores a set of classifiers (one per repository) as one entry, while
each classifier is a version of its own model with its own verified result. The run's entry on
the leaderboard is this row: entry "Steward (<method>, <base model>)", value = the mean of the
member versions' values (the benchmark's averaging), coverage = their mean coverage, and
breakdown {"per_subset", "per_subset_coverage", "per_class" (mean F1 per class over subsets),
"members": [{subset, model, version, version_id, result}], "method", "base_model", "run_key"}.
`run_key` (the test data's sha256 and the member versions) makes recording the same run twice
update the row instead of adding one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

import numpy as np
from django.utils import timezone

from models_hub.models import Benchmark, BenchmarkResult, ModelVersion, ResultSource
from models_hub.registry.versions import steward_code_version


def entry_name(*, method: str, base_model: str) -> str:
    return f"Steward ({method}, {base_model.rsplit('/', 1)[-1]})"


def run_result_record(
    *,
    benchmark: Benchmark,
    members: Sequence[tuple[ModelVersion, BenchmarkResult]],
    method: str,
    base_model: str,
    seed: int,
    command: str,
) -> BenchmarkResult:
    """Record (or update) the run's headline from its members' verified results."""
    order = {subset: i for i, subset in enumerate(benchmark.subsets)}
    members = sorted(members, key=lambda pair: order.get(_subset(pair[1]), len(order)))
    listed = [
        {
            "subset": _subset(result),
            "model": version.model.name,
            "version": version.version,
            "version_id": version.pk,
            "result": result.pk,
        }
        for version, result in members
    ]
    results = [result for _, result in members]
    run_key = hashlib.sha256(
        json.dumps([benchmark.test_sha256, [m["version_id"] for m in listed]]).encode()
    ).hexdigest()
    values = {
        "entry": entry_name(method=method, base_model=base_model),
        "value": _mean(r.value for r in results),
        "coverage": _mean(r.coverage or 0.0 for r in results),
        "breakdown": {
            "per_subset": {_subset(r): r.value for r in results},
            "per_subset_coverage": {_subset(r): r.coverage for r in results},
            "per_class": _per_class(results),
            "members": listed,
            "method": method,
            "base_model": base_model,
            "run_key": run_key,
        },
        "evaluated_at": timezone.now(),
        "seed": seed,
        "code_version": steward_code_version(),
        "command": command,
        "submitted_by": results[0].submitted_by,
    }
    found = BenchmarkResult.objects.filter(
        benchmark=benchmark, version=None, source=ResultSource.VERIFIED, breakdown__run_key=run_key
    ).first()
    if found is None:
        return BenchmarkResult.objects.create(
            benchmark=benchmark,
            version=None,
            source=ResultSource.VERIFIED,
            dataset_sha256=benchmark.test_sha256,
            **values,
        )
    for name, value in values.items():
        setattr(found, name, value)
    found.save()
    return found


def _subset(result: BenchmarkResult) -> str:
    return result.breakdown.get("subset", "")


def _mean(values) -> float:
    return round(float(np.mean(list(values))), 4)


def _per_class(results: list[BenchmarkResult]) -> dict[str, float]:
    classes = sorted({c for r in results for c in r.breakdown.get("per_class", {})})
    return {
        label: _mean(r.breakdown["per_class"].get(label, {}).get("f1", 0.0) for r in results)
        for label in classes
    }
