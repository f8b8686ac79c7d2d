"""Benchmarks, their leaderboards, and maintainers' self-reported results.

A leaderboard lists Steward's versions and the published baselines on one benchmark, with a
column per subset, where each figure came from (verified / self-reported / published) and the
command that reproduces it. Rows of models a user may not see are left out
(`models_hub.benchmarks.leaderboard` applies the visibility rule).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from community.views.pagination import paginate
from models_hub.benchmarks.leaderboard import leaderboard as leaderboard_of
from models_hub.forms_hub import ResultForm
from models_hub.models import Benchmark, BenchmarkResult, ResultSource
from models_hub.selectors import hub as selectors
from models_hub.views.access import maintainer_required
from models_hub.views.hub.lookup import is_maintainer, models_maintained_by

# Rows per leaderboard page: a benchmark scored by every version of many models has thousands.
LEADERBOARD_PAGE = 50
# Versions a maintainer may pick from when entering a result.
RESULT_VERSION_CHOICES = 500
# What a result's coverage is (benchmarks.scoring: the mean over the subsets).
COVERAGE_HELP = (
    "the share of the test issues that got a suggestion at the version's threshold "
    "(below it the classifier abstains)"
)


def benchmark_or_404(name: str) -> Benchmark:
    benchmark = selectors.benchmark_get(name=name)
    if benchmark is None:
        raise Http404("No such benchmark")
    return benchmark


@require_safe
def benchmark_list(request: HttpRequest) -> HttpResponse:
    counts = selectors.result_counts(user=request.user)
    benchmarks = [(b, counts.get(b.pk, 0)) for b in selectors.benchmark_list()]
    context = {"benchmarks": benchmarks, "hub_section": "benchmarks"}
    return render(request, "models_hub/hub/benchmarks.html", context)


@require_safe
def leaderboard(request: HttpRequest, name: str) -> HttpResponse:
    benchmark = benchmark_or_404(name)
    subset = request.GET.get("subset", "")
    subset = subset if subset in benchmark.subsets else ""
    board = leaderboard_of(benchmark=benchmark, user=request.user, subset=subset)
    page = paginate(request, board.rows, per_page=LEADERBOARD_PAGE)
    context = {
        "benchmark": benchmark,
        "board": board,
        "page": page,
        "rows": [(row, [row.subsets.get(c) for c in board.subsets]) for row in page],
        # "owner/name" subsets head their columns on two lines, so five fit at 1280 px.
        "subset_headers": [column.rpartition("/") for column in board.subsets],
        # Coverage and the command to reproduce are a run's; a board of published figures
        # only leaves both out rather than push the evaluation dates off the page's width.
        "show_coverage": any(row.coverage is not None for row in board.rows),
        "coverage_help": COVERAGE_HELP,
        "show_command": any(row.command for row in board.rows),
        "maintainer": is_maintainer(request),
        "hub_section": "benchmarks",
    }
    return render(request, "models_hub/hub/leaderboard.html", context)


def _version_choices(request: HttpRequest) -> list[tuple[int, str]]:
    versions = (
        selectors.versions_visible_to(user=request.user)
        .filter(model__in=models_maintained_by(request.user))
        .select_related("model")
        .order_by("model__name", "-version")[:RESULT_VERSION_CHOICES]
    )
    return [(v.pk, f"{v.model.name} v{v.version}") for v in versions]


def _self_reported(*, benchmark: Benchmark, form: ResultForm, user) -> BenchmarkResult:
    version = (
        selectors.versions_visible_to(user=user)
        .filter(model__in=models_maintained_by(user))
        .select_related("model")
        .get(pk=int(form.cleaned_data["version"]))
    )
    breakdown = {"per_subset": form.cleaned_data["per_subset"]}
    return BenchmarkResult.objects.create(
        benchmark=benchmark,
        version=version,
        entry=f"{version.model.name} v{version.version}",
        source=ResultSource.SELF_REPORTED,
        value=form.cleaned_data["value"],
        coverage=form.cleaned_data["coverage"],
        breakdown=breakdown if breakdown["per_subset"] else {},
        evaluated_at=timezone.now(),
        code_version=version.code_version,
        command=form.cleaned_data["command"],
        reference=form.cleaned_data["reference"],
        notes=form.cleaned_data["notes"],
        submitted_by=user,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@maintainer_required
def result_submit(request: HttpRequest, name: str) -> HttpResponse:
    benchmark = benchmark_or_404(name)
    form = ResultForm(
        request.POST or None,
        versions=_version_choices(request),
        subsets=benchmark.subsets,
        metric_name=benchmark.metric_name,
    )
    if request.method == "POST" and form.is_valid():
        result = _self_reported(benchmark=benchmark, form=form, user=request.user)
        messages.success(request, f"Recorded {result.entry}: {result.value:g} (self-reported).")
        return redirect("models_hub:leaderboard", name=benchmark.name)
    context = {"benchmark": benchmark, "form": form, "hub_section": "benchmarks"}
    status = 400 if request.method == "POST" else 200
    return render(request, "models_hub/hub/result_form.html", context, status=status)
