"""The leaderboard of a benchmark: what a user may see of its results, best first.

A row is an entry scored on the whole benchmark: a published figure, a training run's headline
(no version; its members are the subset versions, aggregate.py), or a version scored on every
subset (`manage.py evaluate` of a model that declares no subset). Results of one subset's
version are that run's members, not rows of their own; `subset=` gives the board of one subset
instead, where they are the rows (with the published figures' value for that subset).

Visibility: a row whose version (or any member version) belongs to a model of a repository the
user may not see is left out (`repositories_visible_to`: a private repository's models are as
private as it). Published figures and models without a repository are public.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from community.selectors.visibility import repositories_visible_to
from models_hub.models import Benchmark, BenchmarkResult, ModelVersion

# A board reads a version's name, number and visibility, never its metrics or lineage (large
# JSON on thousands of rows): only these columns are loaded.
VERSION_FIELDS = (
    "version",
    "model__name",
    "model__benchmark_subset",
    "model__repository_id",
    "model__repository__full_name",
)
RESULT_FIELDS = (
    "id",
    "entry",
    "source",
    "value",
    "breakdown",
    "coverage",
    "command",
    "evaluated_at",
    "reference",
    "seed",
    "code_version",
    "dataset_sha256",
    "notes",
    "version",
)


@dataclass(frozen=True)
class VersionLink:
    """Enough to link to a version's page: model name and version number."""

    model: str
    version: int
    subset: str = ""
    repository: str | None = None  # OWNER/NAME of the model's repository, if any
    repository_id: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int
    result_id: int
    entry: str
    source: str  # verified, self-reported or published
    value: float
    subsets: dict[str, float | None]  # a value per column of the board, None where not scored
    coverage: float | None
    command: str
    evaluated_at: dt.datetime
    # The version scored: model name, version number, its repository (OWNER/NAME or None);
    # all None for a published figure or a run's headline.
    model: str | None
    version: int | None
    repository: str | None
    members: tuple[VersionLink, ...]  # a run headline's versions, one per subset
    reference: str
    seed: int | None
    code_version: str
    dataset_sha256: str
    notes: str


@dataclass(frozen=True)
class Leaderboard:
    benchmark: Benchmark
    subset: str  # "" for the whole benchmark
    subsets: list[str]  # the columns: the benchmark's subsets in its order, or the one chosen
    rows: list[LeaderboardRow]

    @property
    def metric(self) -> str:
        return self.benchmark.metric_name


def leaderboard(*, benchmark: Benchmark, user, subset: str = "") -> Leaderboard:
    """The benchmark's rows the user may see, best value first (see the module docstring)."""
    visible_repositories = repositories_visible_to(user=user)
    # Plain rows, not model instances: a subset's board may hold thousands of versions.
    results = list(
        _candidates(benchmark=benchmark, subset=subset)
        .filter(
            Q(version__isnull=True)
            | Q(version__model__repository__isnull=True)
            | Q(version__model__repository__in=visible_repositories)
        )
        .values(*RESULT_FIELDS, *(f"version__{field}" for field in VERSION_FIELDS))
    )
    members = _member_versions(results)
    visible = set(visible_repositories.values_list("pk", flat=True))

    def may_see(link: VersionLink | None) -> bool:
        return link is None or link.repository_id is None or link.repository_id in visible

    rows = []
    for result in results:
        own = [members[m["version_id"]] for m in result["breakdown"].get("members", [])]
        link = _link(result, prefix="version__") if result["version"] is not None else None
        if not may_see(link) or not all(may_see(v) for v in own):
            continue
        on_board = _values(result, benchmark, subset)
        if on_board is not None:
            rows.append((result, link, *on_board, own))
    rows.sort(key=lambda row: (-row[2], row[0]["evaluated_at"], row[0]["id"]))
    return Leaderboard(
        benchmark=benchmark,
        subset=subset,
        subsets=[subset] if subset else list(benchmark.subsets),
        rows=[_row(rank, *row) for rank, row in enumerate(rows, start=1)],
    )


def _candidates(*, benchmark: Benchmark, subset: str) -> QuerySet[BenchmarkResult]:
    """The results that may be rows of this board (`_values` decides), chosen in SQL: a board
    over thousands of one subset's versions reads only its own rows."""
    results = BenchmarkResult.objects.filter(benchmark=benchmark)
    if not subset:
        return results.exclude(breakdown__has_key="subset")
    whole = ~Q(breakdown__has_key="subset") & ~Q(breakdown__has_key="members")
    return results.filter(Q(breakdown__subset=subset) | whole)


def _member_versions(results: list[dict]) -> dict[int, VersionLink | None]:
    ids = {m["version_id"] for r in results for m in r["breakdown"].get("members", [])}
    found = ModelVersion.objects.filter(pk__in=ids).values("id", *VERSION_FIELDS)
    versions: dict[int, VersionLink | None] = dict.fromkeys(ids)
    versions.update((row["id"], _link(row)) for row in found)
    return versions


def _values(result: dict, benchmark: Benchmark, subset: str) -> tuple | None:
    """(value, per-subset columns, coverage) of the result on this board; None when it is not
    a row of it."""
    breakdown, value, coverage = result["breakdown"], result["value"], result["coverage"]
    per_subset, scored_subset = breakdown.get("per_subset", {}), breakdown.get("subset", "")
    if not subset:
        if scored_subset:
            return None  # a member of a run: the run's headline is the row
        return value, {s: per_subset.get(s) for s in benchmark.subsets}, coverage
    if scored_subset == subset:
        return value, {subset: value}, coverage
    if scored_subset or "members" in breakdown or per_subset.get(subset) is None:
        return None  # another subset's version; a run's headline (its member is the row)
    coverage = breakdown.get("per_subset_coverage", {}).get(subset)
    return per_subset[subset], {subset: per_subset[subset]}, coverage


def _row(rank, result, link, value, per_subset, coverage, own) -> LeaderboardRow:
    return LeaderboardRow(
        rank=rank,
        result_id=result["id"],
        entry=result["entry"],
        source=result["source"],
        value=value,
        subsets=per_subset,
        coverage=coverage,
        command=result["command"],
        evaluated_at=result["evaluated_at"],
        model=link.model if link else None,
        version=link.version if link else None,
        repository=link.repository if link else None,
        members=tuple(version for version in own if version is not None),
        reference=result["reference"],
        seed=result["seed"],
        code_version=result["code_version"],
        dataset_sha256=result["dataset_sha256"],
        notes=result["notes"],
    )


def _link(row: dict, prefix: str = "") -> VersionLink:
    """A version's link from a row of VERSION_FIELDS (prefixed when read through a result)."""
    return VersionLink(
        model=row[f"{prefix}model__name"],
        version=row[f"{prefix}version"],
        subset=row[f"{prefix}model__benchmark_subset"],
        repository=row[f"{prefix}model__repository__full_name"],
        repository_id=row[f"{prefix}model__repository_id"],
    )
