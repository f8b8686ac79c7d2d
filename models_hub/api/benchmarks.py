"""Read-only API of benchmarks, their results and leaderboards. Results of versions of models a
user may not see are left out, as on the pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from models_hub.api import serializers as s
from models_hub.benchmarks.leaderboard import leaderboard
from models_hub.models import Benchmark
from models_hub.selectors import hub as selectors

LEADERBOARD_PAGE = 100


def _benchmark(request: Request, name: str) -> Benchmark:
    benchmark = selectors.benchmark_get(name=name)
    if benchmark is None:
        raise Http404("No such benchmark")
    benchmark.visible_results = selectors.result_counts(user=request.user).get(benchmark.pk, 0)
    return benchmark


class BenchmarkListView(APIView):
    @extend_schema(responses=s.BenchmarkSerializer(many=True), summary="Benchmarks")
    def get(self, request: Request) -> Response:
        counts = selectors.result_counts(user=request.user)
        benchmarks = list(selectors.benchmark_list())
        for benchmark in benchmarks:
            benchmark.visible_results = counts.get(benchmark.pk, 0)
        return Response(s.BenchmarkSerializer(benchmarks, many=True).data)


class BenchmarkDetailView(APIView):
    @extend_schema(responses=s.BenchmarkSerializer, summary="One benchmark's definition")
    def get(self, request: Request, name: str) -> Response:
        return Response(s.BenchmarkSerializer(_benchmark(request, name)).data)


class ResultListView(ListAPIView):
    serializer_class = s.ResultSerializer

    @extend_schema(summary="A benchmark's results you may see, best first, with their source")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        benchmark = _benchmark(self.request, self.kwargs["name"])
        return selectors.results_visible_to(user=self.request.user, benchmark=benchmark)


class LeaderboardView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("subset", str, description="One subset's board (default: whole)"),
            OpenApiParameter("page", int, description=f"{LEADERBOARD_PAGE} rows a page"),
        ],
        responses=s.LeaderboardSerializer,
        summary="A benchmark's leaderboard: Steward's versions and published baselines",
    )
    def get(self, request: Request, name: str) -> Response:
        benchmark = _benchmark(request, name)
        subset = request.query_params.get("subset", "")
        if subset and subset not in benchmark.subsets:
            raise Http404("No such subset")
        board = leaderboard(benchmark=benchmark, user=request.user, subset=subset)
        page = Paginator(board.rows, LEADERBOARD_PAGE).get_page(request.query_params.get("page"))
        body = {
            "benchmark": benchmark.name,
            "metric": board.metric,
            "subset": board.subset,
            "subsets": board.subsets,
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "rows": page.object_list,
        }
        return Response(s.LeaderboardSerializer(body).data)
