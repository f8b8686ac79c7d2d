"""Writing the benchmarks defined in code (definitions.py) to the database, and finding them."""

from __future__ import annotations

from django.db import transaction

from models_hub.benchmarks.definitions import BENCHMARKS, BenchmarkDefinition
from models_hub.models import Benchmark, BenchmarkResult, ResultSource


class UnknownBenchmark(LookupError):
    pass


def benchmarks_ensure(*, benchmark_model=Benchmark, result_model=BenchmarkResult) -> list:
    """Create or update every defined benchmark and its published results; idempotent.

    Loaded data (train/test keys, sha256, rows) is never touched. Published rows are matched by
    entry name, so a corrected figure replaces the old one. The data migration passes its
    historical models; everything else calls it without arguments (the demo, tests).
    """
    with transaction.atomic():
        return [
            _ensure(definition, benchmark_model, result_model) for definition in BENCHMARKS.values()
        ]


def _ensure(definition: BenchmarkDefinition, benchmark_model, result_model):
    benchmark, _ = benchmark_model.objects.update_or_create(
        name=definition.name, defaults=definition.fields()
    )
    for figure in definition.published:
        result_model.objects.update_or_create(
            benchmark=benchmark,
            source=ResultSource.PUBLISHED.value,
            entry=figure.entry,
            defaults={
                "version": None,
                "value": figure.value,
                "breakdown": figure.breakdown(),
                "evaluated_at": figure.evaluated_at,
                "reference": figure.reference,
                "notes": figure.notes,
                "dataset_sha256": "",
                "command": "",
            },
        )
    return benchmark


def benchmark_named(name: str) -> Benchmark:
    """The benchmark called `name`; UnknownBenchmark (listing the known ones) otherwise."""
    found = Benchmark.objects.filter(name=name).first()
    if found is None:
        known = ", ".join(Benchmark.objects.values_list("name", flat=True)) or "none"
        raise UnknownBenchmark(f"unknown benchmark {name!r} (known: {known})")
    return found
