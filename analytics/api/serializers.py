from __future__ import annotations

from rest_framework import serializers

from analytics.models.rollups import Period


class AttentionQuerySerializer(serializers.Serializer):
    repository = serializers.CharField(
        required=False, help_text="owner/name; omitted: all repositories you may see"
    )


class MetricQuerySerializer(AttentionQuerySerializer):
    period = serializers.ChoiceField(choices=Period.choices, default=Period.MONTH)
    start = serializers.DateField(required=False, help_text="first period start (inclusive)")
    end = serializers.DateField(required=False, help_text="last period start (inclusive)")

    def validate(self, data):
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise serializers.ValidationError("start must not be after end")
        return data


class MetricSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    periods = serializers.ListField(child=serializers.CharField())
    definition = serializers.CharField()


class MetricSeriesSerializer(serializers.Serializer):
    metric = serializers.CharField()
    title = serializers.CharField()
    scope = serializers.CharField(help_text="repository, public or all")
    repository = serializers.CharField(allow_null=True)
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    series = serializers.ListField(
        child=serializers.DictField(), help_text="{period_start, …values} per period"
    )


class AttentionItemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    repository = serializers.CharField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    author = serializers.CharField()
    waiting_days = serializers.FloatField()
    url = serializers.URLField()


class AttentionSerializer(serializers.Serializer):
    computed_at = serializers.DateTimeField(allow_null=True)
    lists = serializers.DictField(child=AttentionItemSerializer(many=True))
