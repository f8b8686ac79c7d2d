"""Thin read-only views: the visible queryset, the query's filters, a cursor page."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.filters import OrderingFilter
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from community.api import filters, serializers
from community.api.pagination import DataCursorPagination
from community.models import Actor, Label
from community.selectors.visibility import (
    comments_visible_to,
    issues_visible_to,
    pull_requests_visible_to,
    repositories_visible_to,
    reviews_visible_to,
)

ITEM_ORDERINGS = ["created_at", "updated_at", "number"]


class _DataList(ListAPIView):
    pagination_class = DataCursorPagination
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering = "-created_at"


class RepositoryListView(_DataList):
    """Repositories you may see (private ones only for those allowed)."""

    serializer_class = serializers.RepositorySerializer
    filterset_class = filters.RepositoryFilter
    ordering_fields = ["created_at", "updated_at", "full_name", "stargazers_count"]
    ordering = "full_name"

    def get_queryset(self) -> QuerySet:
        return repositories_visible_to(user=self.request.user).select_related("owner")


class RepositoryDetailView(RetrieveAPIView):
    serializer_class = serializers.RepositorySerializer

    def get_object(self):
        full_name = f"{self.kwargs['owner']}/{self.kwargs['name']}"
        repository = (
            repositories_visible_to(user=self.request.user)
            .select_related("owner")
            .filter(full_name__iexact=full_name)
            .first()
        )
        if repository is None:
            raise Http404("No such repository")
        return repository


def _items(queryset: QuerySet, *, pulls: bool) -> QuerySet:
    related = ["repository", "author", "milestone", "closed_by"] + (["merged_by"] if pulls else [])
    prefetched = [
        Prefetch("labels", queryset=Label.objects.only("id", "name")),
        Prefetch("assignees", queryset=Actor.objects.only("id", "login")),
    ]
    if pulls:
        prefetched.append(
            Prefetch("requested_reviewers", queryset=Actor.objects.only("id", "login"))
        )
    return queryset.select_related(*related).prefetch_related(*prefetched)


class IssueListView(_DataList):
    """Issues of the repositories you may see (pull requests are at /api/pulls/)."""

    serializer_class = serializers.IssueSerializer
    filterset_class = filters.IssueFilter
    ordering_fields = ITEM_ORDERINGS

    def get_queryset(self) -> QuerySet:
        return _items(issues_visible_to(user=self.request.user), pulls=False)


class PullRequestListView(_DataList):
    """Pull requests of the repositories you may see."""

    serializer_class = serializers.PullRequestSerializer
    filterset_class = filters.PullRequestFilter
    ordering_fields = ITEM_ORDERINGS

    def get_queryset(self) -> QuerySet:
        return _items(pull_requests_visible_to(user=self.request.user), pulls=True)


class _ItemDetail(RetrieveAPIView):
    visible = staticmethod(issues_visible_to)
    pulls = False

    def get_object(self):
        full_name = f"{self.kwargs['owner']}/{self.kwargs['name']}"
        item = (
            _items(self.visible(user=self.request.user), pulls=self.pulls)
            .filter(repository__full_name__iexact=full_name, number=self.kwargs["number"])
            .first()
        )
        if item is None:
            raise Http404("No such item")
        return item


class IssueDetailView(_ItemDetail):
    serializer_class = serializers.IssueSerializer


class PullRequestDetailView(_ItemDetail):
    serializer_class = serializers.PullRequestSerializer
    visible = staticmethod(pull_requests_visible_to)
    pulls = True


class CommentListView(_DataList):
    """Conversation and review comments of the repositories you may see."""

    serializer_class = serializers.CommentSerializer
    filterset_class = filters.CommentFilter
    ordering_fields = ["created_at", "updated_at"]

    def get_queryset(self) -> QuerySet:
        return (
            comments_visible_to(user=self.request.user)
            .filter(issue__deleted_at__isnull=True, pull_request__deleted_at__isnull=True)
            .select_related("repository", "author", "issue", "pull_request")
        )


def _count(rows: QuerySet, actor_field: str) -> Coalesce:
    counted = (
        rows.filter(**{actor_field: OuterRef("pk")})
        .order_by()
        .values(actor_field)
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "repository", OpenApiTypes.STR, description="owner/name: activity there only"
        )
    ]
)
class ContributorListView(_DataList):
    """People and bots with activity (issues, pull requests, comments, reviews) in the
    repositories you may see, with their counts there."""

    serializer_class = serializers.ContributorSerializer
    filterset_class = filters.ContributorFilter
    ordering_fields = ["login"]
    ordering = "login"

    def get_queryset(self) -> QuerySet:
        user = self.request.user
        repositories = repositories_visible_to(user=user)
        if full_name := self.request.query_params.get("repository"):
            repositories = repositories.filter(full_name__iexact=full_name)
        sources = {
            "issues": (issues_visible_to(user=user).filter(repository__in=repositories), "author"),
            "pull_requests": (
                pull_requests_visible_to(user=user).filter(repository__in=repositories),
                "author",
            ),
            "comments": (
                comments_visible_to(user=user).filter(repository__in=repositories),
                "author",
            ),
            "reviews": (
                reviews_visible_to(user=user).filter(pull_request__repository__in=repositories),
                "reviewer",
            ),
        }
        active = Q()
        for rows, actor_field in sources.values():
            active |= Q(pk__in=rows.filter(**{f"{actor_field}__isnull": False}).values(actor_field))
        return Actor.objects.filter(active).annotate(
            **{f"{kind}_count": _count(rows, field) for kind, (rows, field) in sources.items()}
        )


class ApiRootView(APIView):
    """Every endpoint of the API, with its address."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        def link(name: str) -> str:
            return reverse(name, request=request)

        return Response(
            {
                "repositories": link("community-api:repository_list"),
                "issues": link("community-api:issue_list"),
                "pull_requests": link("community-api:pull_request_list"),
                "comments": link("community-api:comment_list"),
                "contributors": link("community-api:contributor_list"),
                "search": link("community-api:search"),
                "metrics": link("analytics-api:metric_list"),
                "attention": link("analytics-api:attention"),
                "models": link("models-api:model_list"),
                "benchmarks": link("models-api:benchmark_list"),
                "schema": link("schema"),
                "docs": link("community-api:docs"),
            }
        )


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI (vendored by drf-spectacular-sidecar) in two requests, the page and then its
    script, so that the Content-Security-Policy needs no inline script nor style; its data: icons
    come from static/css/api-docs.css instead."""

    template_name = "api/docs.html"
