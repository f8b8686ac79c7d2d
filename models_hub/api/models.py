"""Read-only API of models, versions, files, aliases and cards. Thin: validate the query, call
the hub's selectors (which apply the visibility rule), serialize. A private repository's model
answers 404 to anyone who may not see the repository, exactly as its pages do."""

from __future__ import annotations

from django.http import Http404, HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from models_hub.api import serializers as s
from models_hub.cards import card_data, card_markdown
from models_hub.registry.aliases import champion_of
from models_hub.registry.files import ArtifactError
from models_hub.selectors import hub as selectors
from models_hub.selectors.hub import ModelFilters
from models_hub.views.hub.files import download_response, refusal_logged
from models_hub.views.hub.lookup import model_or_404, version_or_404


class ModelListView(ListAPIView):
    serializer_class = s.ModelSerializer

    @extend_schema(
        parameters=[s.ModelQuerySerializer],
        summary="Models you may see, searched, filtered and sorted as on /models/",
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = s.ModelQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        filters = ModelFilters(**{k: v for k, v in query.validated_data.items() if v})
        return selectors.model_list(user=self.request.user, filters=filters)


class ModelDetailView(APIView):
    @extend_schema(responses=s.ModelSerializer, summary="One model")
    def get(self, request: Request, name: str) -> Response:
        return Response(s.ModelSerializer(model_or_404(request, name)).data)


class VersionListView(ListAPIView):
    serializer_class = s.VersionSerializer

    @extend_schema(summary="A model's versions, newest first")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        model = model_or_404(self.request, self.kwargs["name"])
        return (
            model.versions.select_related("model", "trained_by")
            .prefetch_related("aliases")
            .order_by("-version")
        )


class VersionDetailView(APIView):
    @extend_schema(
        responses=s.VersionDetailSerializer, summary="One version: lineage, metrics, files"
    )
    def get(self, request: Request, name: str, number: int) -> Response:
        version = version_or_404(request, name, number)
        version.file_list = selectors.version_files(version=version)
        return Response(s.VersionDetailSerializer(version).data)


class FileDownloadView(APIView):
    """The file's bytes, streamed after checking them against their sha256."""

    def perform_content_negotiation(self, request, force=False):
        # Clients ask for the file's own type; errors still answer in JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        summary="Download a version's file (README.md: the live card unless one is stored)",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The bytes; X-Checksum-Sha256 and ETag carry their sha256",
            ),
            304: OpenApiResponse(description="If-None-Match matched the ETag"),
            404: OpenApiResponse(description="No such (visible) model, version or file"),
            500: OpenApiResponse(description="The stored file no longer matches its sha256"),
        },
    )
    def get(self, request: Request, name: str, number: int, path: str) -> HttpResponseBase:
        version = version_or_404(request, name, number)
        try:
            return download_response(request._request, version=version, path=path)
        except ArtifactError as error:
            return Response({"detail": refusal_logged(version, path, error)}, status=500)


class AliasListView(APIView):
    @extend_schema(responses=s.AliasSerializer(many=True), summary="A model's aliases")
    def get(self, request: Request, name: str) -> Response:
        aliases = selectors.model_aliases(model=model_or_404(request, name))
        return Response(s.AliasSerializer(aliases, many=True).data)


class AliasHistoryView(ListAPIView):
    serializer_class = s.AliasEventSerializer

    @extend_schema(summary="Every move of a model's aliases, newest first: who, why, metrics")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        model = model_or_404(self.request, self.kwargs["name"])
        return model.alias_events.select_related("from_version", "to_version")


class CardView(APIView):
    @extend_schema(
        responses=s.CardSerializer,
        summary="The model card (README.md) of the champion, or of ?version=<number>",
    )
    def get(self, request: Request, name: str) -> Response:
        model = model_or_404(request, name)
        number = request.query_params.get("version")
        if number is not None:
            version = version_or_404(request, name, int(number) if number.isdigit() else 0)
        else:
            version = champion_of(model) or model.versions.order_by("-version").first()
        if version is None:
            raise Http404("The model has no version yet")
        version.model = model
        body = {
            "model": model.name,
            "version": version.version,
            "markdown": card_markdown(version),
            "metadata": card_data(version).to_dict(),
        }
        return Response(s.CardSerializer(body).data)
