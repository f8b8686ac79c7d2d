"""Digest API: a repository's stored digests, and one digest's content (and its markdown)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from analytics.api.serializers import AttentionItemSerializer
from analytics.digests import digest_markdown, period_start_parse
from analytics.models.rollups import Period
from analytics.selectors.digests import digest_get, digest_list
from community.selectors import repository_get_visible


class DigestQuerySerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=Period.choices, default=Period.WEEK)


class DigestSummarySerializer(serializers.Serializer):
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(help_text="first day after the period")
    is_final = serializers.BooleanField(help_text="generated after the period ended")
    generated_at = serializers.DateTimeField()
    url = serializers.URLField(help_text="this digest's API resource")


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberValueField(serializers.Field):
    """A count (integer) or a duration in hours (float) as stored, or null when unknown."""

    def to_representation(self, value):
        return value


class NumberSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField(help_text='"h" for hours; empty for counts')
    lower_is_better = serializers.BooleanField()
    current = NumberValueField(allow_null=True)
    previous = NumberValueField(allow_null=True)
    delta = NumberValueField(allow_null=True)


class ThemeSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="the most representative title")
    keywords = serializers.ListField(child=serializers.CharField())
    size = serializers.IntegerField()
    representative = serializers.ListField(child=serializers.DictField())
    members = serializers.ListField(child=serializers.DictField())


class ThemesSerializer(serializers.Serializer):
    model_id = serializers.CharField()
    items = serializers.IntegerField(help_text="human-opened issues and PRs of the period")
    embedded = serializers.IntegerField()
    left_out = serializers.IntegerField(help_text="items without a stored vector yet")
    reason = serializers.CharField(allow_null=True, help_text="why there are no themes")
    k = serializers.IntegerField(required=False)
    silhouette = serializers.FloatField(required=False)
    themes = ThemeSerializer(many=True)


class AttentionSectionSerializer(serializers.Serializer):
    as_of = serializers.DateTimeField()
    stale_days = serializers.IntegerField()
    titles = serializers.DictField(child=serializers.CharField())
    totals = serializers.DictField(child=serializers.IntegerField())
    lists = serializers.DictField(child=AttentionItemSerializer(many=True))


class DigestContentSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    repository = serializers.CharField()
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    previous_start = serializers.DateField()
    numbers = NumberSerializer(many=True)
    merged_pull_requests = serializers.ListField(child=serializers.DictField())
    releases = serializers.ListField(child=serializers.DictField())
    newcomers = serializers.ListField(child=serializers.DictField())
    attention = AttentionSectionSerializer()
    themes = ThemesSerializer()


class DigestSerializer(DigestSummarySerializer):
    repository = serializers.CharField()
    content = DigestContentSerializer()
    markdown = serializers.CharField()


def _repository(request: Request, owner: str, name: str):
    repository = repository_get_visible(user=request.user, owner=owner, name=name)
    if repository is None:
        raise Http404("No such repository")
    return repository


def _summary(request: Request, owner: str, name: str, digest) -> dict:
    url = reverse(
        "analytics-api:digest",
        args=(owner, name, digest.period, digest.start.isoformat()),
        request=request,
    )
    return {
        "period": digest.period,
        "start": digest.start,
        "end": digest.end,
        "is_final": digest.is_final,
        "generated_at": digest.generated_at,
        "url": url,
    }


class DigestListView(APIView):
    @extend_schema(
        parameters=[DigestQuerySerializer],
        responses=DigestSummarySerializer(many=True),
        summary="A repository's stored weekly or monthly digests, newest first",
    )
    def get(self, request: Request, owner: str, name: str) -> Response:
        repository = _repository(request, owner, name)
        query = DigestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        digests = digest_list(repository=repository, period=query.validated_data["period"])
        rows = [_summary(request, owner, name, digest) for digest in digests]
        return Response(DigestSummarySerializer(rows, many=True).data)


class DigestDetailView(APIView):
    @extend_schema(
        responses=DigestSerializer,
        summary="One digest: numbers that moved, merged PRs, releases, newcomers, attention, "
        "themes, and the same as markdown",
    )
    def get(self, request: Request, owner: str, name: str, period: str, start: str) -> Response:
        repository = _repository(request, owner, name)
        day = period_start_parse(period=period, text=start)
        digest = day and digest_get(repository=repository, period=period, start=day)
        if not digest:
            raise Http404("No such digest")
        body = {
            **_summary(request, owner, name, digest),
            "repository": repository.full_name,
            "content": digest.content,
            "markdown": digest_markdown(digest),
        }
        return Response(DigestSerializer(body).data)
