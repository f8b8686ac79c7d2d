"""Read queries of the model hub's pages and API: which models a user may see, the index with
its search, filters and sorts, one model's versions, files, aliases and history, benchmarks and
their results.

Visibility has one rule, `community.selectors.visibility.repositories_visible_to`: a model of a
repository is visible exactly when its repository is; a model without a repository is public.
A benchmark is public, but its results on versions of models a user may not see are not.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import F, FloatField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from community.models import Repository
from community.selectors.visibility import repositories_visible_to
from models_hub.models import (
    CHAMPION,
    AliasEvent,
    Benchmark,
    BenchmarkResult,
    ModelAlias,
    ModelFile,
    ModelVersion,
    RegisteredModel,
)

# The headline metric the index sorts by and shows: the champion's k-fold macro F1.
HEADLINE_METRIC = "macro_f1"
SORTS = {
    "updated": (F("updated_at").desc(), "name"),
    "score": (F("score").desc(nulls_last=True), "name"),
    "downloads": (F("downloads").desc(), "name"),
    "name": ("name",),
}


@dataclass(frozen=True)
class ModelFilters:
    q: str = ""
    task: str = ""
    license: str = ""
    benchmark: str = ""
    repository: str = ""
    sort: str = "updated"


def models_visible_to(*, user) -> QuerySet[RegisteredModel]:
    return RegisteredModel.objects.filter(
        Q(repository__isnull=True) | Q(repository__in=repositories_visible_to(user=user))
    )


def versions_visible_to(*, user) -> QuerySet[ModelVersion]:
    return ModelVersion.objects.filter(model__in=models_visible_to(user=user))


def _with_champion(models: QuerySet[RegisteredModel]) -> QuerySet[RegisteredModel]:
    """Annotate `champion_number`, `score` (the champion's headline metric, a float) and
    `champion_samples` (how many issues that score comes from)."""
    champion = ModelAlias.objects.filter(model=OuterRef("pk"), name=CHAMPION)
    score = champion.annotate(
        value=Cast(KeyTextTransform(HEADLINE_METRIC, "version__metrics"), FloatField())
    ).values("value")
    samples = champion.annotate(
        value=Cast(KeyTextTransform("samples", "version__metrics"), FloatField())
    ).values("value")
    return models.annotate(
        champion_number=Subquery(champion.values("version__version")[:1]),
        score=Subquery(score[:1]),
        champion_samples=Subquery(samples[:1]),
    )


def model_list(*, user, filters: ModelFilters) -> QuerySet[RegisteredModel]:
    """The models `user` may see matching `filters`, with their champion annotated."""
    models = models_visible_to(user=user).select_related("repository", "benchmark")
    if filters.q:
        models = models.filter(
            Q(name__icontains=filters.q)
            | Q(description__icontains=filters.q)
            | Q(tags__icontains=filters.q)
        )
    if filters.task:
        models = models.filter(task=filters.task)
    if filters.license:
        models = models.filter(license=filters.license)
    if filters.repository:
        models = models.filter(repository__full_name__iexact=filters.repository)
    if filters.benchmark:
        scored = BenchmarkResult.objects.filter(
            benchmark__name=filters.benchmark, version__isnull=False
        ).values("version__model_id")
        models = models.filter(Q(benchmark__name=filters.benchmark) | Q(pk__in=scored))
    order = SORTS.get(filters.sort, SORTS["updated"])
    return _with_champion(models).order_by(*order)


def model_filter_options(*, user) -> dict[str, list[str]]:
    """The values the index's filters offer: those of models `user` may see."""
    visible = models_visible_to(user=user)
    return {
        "licenses": sorted(set(visible.values_list("license", flat=True))),
        "repositories": list(
            Repository.objects.filter(registered_models__in=visible)
            .order_by("full_name")
            .values_list("full_name", flat=True)
            .distinct()
        ),
        "benchmarks": list(Benchmark.objects.values_list("name", flat=True)),
    }


def model_get(*, user, name: str) -> RegisteredModel | None:
    return (
        _with_champion(models_visible_to(user=user))
        .select_related("repository", "benchmark")
        .filter(name=name)
        .first()
    )


def model_versions(*, model: RegisteredModel) -> list[ModelVersion]:
    """Every version, newest first, with its aliases and trainer (three queries in all)."""
    return list(
        model.versions.select_related("trained_by").prefetch_related(
            Prefetch("aliases", queryset=ModelAlias.objects.order_by("name"))
        )
    )


def model_version_get(*, model: RegisteredModel, number: int) -> ModelVersion | None:
    version = (
        ModelVersion.objects.filter(model=model, version=number)
        .select_related("trained_by")
        .prefetch_related(Prefetch("aliases", queryset=ModelAlias.objects.order_by("name")))
        .first()
    )
    if version is not None:
        version.model = model  # the caller's instance, with its repository and champion
    return version


def model_version_numbers(*, model: RegisteredModel) -> list[int]:
    return list(model.versions.order_by("-version").values_list("version", flat=True))


def model_aliases(*, model: RegisteredModel) -> list[ModelAlias]:
    return list(model.aliases.select_related("version").order_by("name"))


def version_files(*, version: ModelVersion) -> list[ModelFile]:
    return list(version.files.order_by("path"))


def version_file_get(*, version: ModelVersion, path: str) -> ModelFile | None:
    return version.files.filter(path=path).first()


def alias_history(*, model: RegisteredModel, limit: int | None = None) -> list[AliasEvent]:
    events = model.alias_events.select_related("from_version", "to_version", "actor")
    return list(events[:limit] if limit else events)


def version_results(*, version: ModelVersion) -> list[BenchmarkResult]:
    return list(
        version.benchmark_results.select_related("benchmark", "submitted_by").order_by(
            "benchmark__name", "-evaluated_at"
        )
    )


def _member_ids(result: BenchmarkResult) -> set[int]:
    """The versions a training run's headline result aggregates (breakdown["members"])."""
    members = result.breakdown.get("members", []) if isinstance(result.breakdown, dict) else []
    return {m["version_id"] for m in members if isinstance(m, dict) and "version_id" in m}


def results_visible_to(*, user, benchmark: Benchmark | None = None) -> list[BenchmarkResult]:
    """Results `user` may see, best first: published figures, results of versions of visible
    models, and run headlines all of whose member versions are visible (two queries)."""
    results = (
        BenchmarkResult.objects.filter(
            Q(version__isnull=True) | Q(version__model__in=models_visible_to(user=user))
        )
        .select_related("benchmark", "version__model", "submitted_by")
        .order_by("benchmark__name", "-value", "entry")
    )
    if benchmark is not None:
        results = results.filter(benchmark=benchmark)
    results = list(results)
    members = set().union(*(_member_ids(result) for result in results))
    visible = set(
        versions_visible_to(user=user).filter(pk__in=members).values_list("pk", flat=True)
    )
    return [result for result in results if _member_ids(result) <= visible]


def benchmark_list() -> QuerySet[Benchmark]:
    return Benchmark.objects.order_by("name")


def benchmark_get(*, name: str) -> Benchmark | None:
    return Benchmark.objects.filter(name=name).first()


def result_counts(*, user) -> dict[int, int]:
    """Visible results per benchmark id."""
    return dict(Counter(result.benchmark_id for result in results_visible_to(user=user)))
