"""Which benchmark results a version's card shows, and which one leads for each benchmark."""

from __future__ import annotations

from dataclasses import dataclass

from models_hub.models import BenchmarkResult, ModelVersion, ResultSource

# The result that leads for a benchmark (card tables and model-index): Steward's own
# computation first, then a published figure, then what someone entered.
SOURCE_RANK = {ResultSource.VERIFIED: 0, ResultSource.PUBLISHED: 1, ResultSource.SELF_REPORTED: 2}
SOURCE_TITLES = {
    ResultSource.VERIFIED: "Verified",
    ResultSource.PUBLISHED: "Published",
    ResultSource.SELF_REPORTED: "Self-reported",
}
SOURCE_MEANINGS = {
    ResultSource.VERIFIED: "Steward computed it from this version's stored weights and the "
    "benchmark's stored data (its sha256 is recorded)",
    ResultSource.PUBLISHED: "a figure published for this model (paper, benchmark authors); "
    "not recomputed by Steward",
    ResultSource.SELF_REPORTED: "entered by a person; not checked by Steward",
}


@dataclass(frozen=True)
class VersionResults:
    results: list[BenchmarkResult]  # every result of the version, newest first
    leading: list[BenchmarkResult]  # one per benchmark: the best-sourced, newest
    references: list[BenchmarkResult]  # published figures of other systems on those benchmarks


def version_results(*, version: ModelVersion) -> VersionResults:
    results = list(
        BenchmarkResult.objects.filter(version=version)
        .select_related("benchmark", "submitted_by")
        .order_by("-evaluated_at", "-pk")
    )
    leading: dict[int, BenchmarkResult] = {}
    for result in sorted(results, key=lambda r: SOURCE_RANK.get(r.source, 9)):  # stable
        leading.setdefault(result.benchmark_id, result)
    declared = version.model.benchmark_id
    ordered = sorted(leading.values(), key=lambda r: (r.benchmark_id != declared, r.benchmark.name))
    references = list(
        BenchmarkResult.objects.filter(
            version__isnull=True, source=ResultSource.PUBLISHED, benchmark_id__in=leading
        )
        .select_related("benchmark")
        .order_by("benchmark__name", "-value", "pk")
    )
    return VersionResults(results=results, leading=ordered, references=references)
