"""/api/search/: what the search page shows, as JSON."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api import serializers
from community.api.pagination import SearchPagination
from community.search.forms import SearchForm
from community.search.people import people_search
from community.search.service import search_everything
from community.selectors.visibility import repositories_visible_to
from community.templatetags.steward import item_url


class SearchView(APIView):
    @extend_schema(
        summary="Search issues, pull requests, comments and people",
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                description="words, #123, owner/name#123 or similar:owner/name#123",
            ),
            OpenApiParameter("repository", OpenApiTypes.STR, description="owner/name"),
            OpenApiParameter("type", OpenApiTypes.STR, enum=["issue", "pull", "comment", "people"]),
            OpenApiParameter("state", OpenApiTypes.STR, enum=["open", "closed", "merged"]),
            OpenApiParameter(
                "semantic", OpenApiTypes.BOOL, description="also match by meaning (default true)"
            ),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        names = repositories_visible_to(user=request.user).values_list("full_name", flat=True)
        form = SearchForm(request.query_params, repositories=list(names))
        text, filters = form.text(), form.filters()
        semantic = request.query_params.get("semantic", "true").lower() not in ("0", "false")
        people = []
        body: dict = {"query": text, "numbered": [], "semantic_note": ""}
        if not form.people_only:
            results = search_everything(
                user=request.user, text=text, filters=filters, semantic=semantic
            )
            body["numbered"] = [
                {
                    "repository": item.repository.full_name,
                    "number": item.number,
                    "title": item.title,
                    "page_url": request.build_absolute_uri(item_url(item)),
                }
                for item in results.numbered
            ]
            body["semantic_note"] = results.semantic.note
            if results.similar_to is not None:
                item = results.similar_to
                body["similar_to"] = f"{item.repository.full_name}#{item.number}"
            paginator = SearchPagination()
            page = paginator.paginate_queryset(results.ranked, request, view=self) or []
            body.update(
                count=paginator.page.paginator.count,
                next=paginator.get_next_link(),
                previous=paginator.get_previous_link(),
                results=serializers.SearchItemSerializer(
                    page, many=True, context={"request": request}
                ).data,
            )
        if text and (form.people_only or not body["numbered"]):
            people = people_search(user=request.user, text=text)
        body["people"] = [
            {"login": person.actor.login, "name": person.actor.name, "contributions": person.total}
            for person in people
        ]
        return Response(body)
