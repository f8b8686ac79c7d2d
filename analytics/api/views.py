"""Thin API views: validate the query, call one selector, serialize."""

from __future__ import annotations

import inspect

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics import metrics
from analytics.api import serializers as s
from analytics.models import Scope
from analytics.selectors import dashboards as selectors
from analytics.services.catalog import METRICS, METRICS_BY_NAME
from community.selectors import repository_get_visible

# The pure function behind each metric, whose docstring is the metric's definition.
DEFINITIONS = {
    "issue_first_response": metrics.time_to_first_response,
    "pr_first_response": metrics.time_to_first_response,
    "issue_time_to_close": metrics.time_to_close,
    "pr_merge_lead_time": metrics.merge_lead_time,
    "pr_first_review": metrics.time_to_first_review,
    "pr_review_rounds": metrics.review_rounds,
    "issue_flow": metrics.item_flow,
    "pr_flow": metrics.item_flow,
    "change_request_closure_ratio": metrics.change_request_closure_ratio,
    "issue_responsiveness": metrics.responsiveness,
    "contributors": metrics.active_contributors,
    "contributor_cohorts": metrics.cohort_activity,
    "first_time_funnel": metrics.first_time_funnel,
    "absence_factor": metrics.absence_factor,
    "stars": metrics.stars_over_time,
    "forks": metrics.forks_over_time,
    "releases": metrics.release_cadence,
    "labels": metrics.label_distribution,
}


def _repository(request: Request, full_name: str | None):
    if not full_name:
        return None
    owner, _, name = full_name.partition("/")
    repository = repository_get_visible(user=request.user, owner=owner, name=name)
    if repository is None:
        raise Http404("No such repository")
    return repository


class MetricListView(APIView):
    @extend_schema(responses=s.MetricSerializer(many=True), summary="The stored metrics")
    def get(self, request: Request) -> Response:
        rows = [
            {
                "name": spec.name,
                "title": spec.title,
                "periods": list(spec.periods),
                "definition": inspect.getdoc(DEFINITIONS[spec.name]) or "",
            }
            for spec in METRICS
        ]
        return Response(s.MetricSerializer(rows, many=True).data)


class MetricSeriesView(APIView):
    @extend_schema(
        parameters=[s.MetricQuerySerializer],
        responses=s.MetricSeriesSerializer,
        summary="One metric per week or month, for a repository or all you may see",
    )
    def get(self, request: Request, name: str) -> Response:
        spec = METRICS_BY_NAME.get(name)
        if spec is None:
            raise Http404("No such metric")
        query = s.MetricQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        repository = _repository(request, query.validated_data.get("repository"))
        default = selectors.metric_range_default(period=query.validated_data["period"])
        metric_range = selectors.MetricRange(
            period=default.period,
            start=query.validated_data.get("start") or default.start,
            end=query.validated_data.get("end") or default.end,
        )
        series = selectors.rollup_series(
            user=request.user, repository=repository, metric_range=metric_range, metrics=[name]
        )
        scope = Scope.REPOSITORY if repository else selectors.aggregate_scope_for(user=request.user)
        body = {
            "metric": name,
            "title": spec.title,
            "scope": scope,
            "repository": repository.full_name if repository else None,
            "period": metric_range.period,
            "start": metric_range.start,
            "end": metric_range.end,
            "series": series.get(name, []),
        }
        return Response(s.MetricSeriesSerializer(body).data)


class AttentionView(APIView):
    @extend_schema(
        parameters=[s.AttentionQuerySerializer],
        responses=s.AttentionSerializer,
        summary="Items waiting for a maintainer (unanswered issues, PRs waiting for review…)",
    )
    def get(self, request: Request) -> Response:
        repository = _repository(request, request.query_params.get("repository"))
        attention = selectors.attention_lists(user=request.user, repository=repository)
        return Response(s.AttentionSerializer(attention).data)
