"""What the model hub's API returns: models, versions, files, aliases and their history, cards,
benchmarks, results and leaderboards."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from models_hub.forms_hub import SORT_CHOICES
from models_hub.models import (
    AliasEvent,
    Benchmark,
    BenchmarkResult,
    ModelAlias,
    ModelFile,
    ModelTask,
    ModelVersion,
    RegisteredModel,
)


class ModelQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, help_text="Search in name, description and tags")
    task = serializers.ChoiceField(choices=ModelTask.choices, required=False)
    license = serializers.CharField(required=False)
    benchmark = serializers.CharField(required=False, help_text="A benchmark's name")
    repository = serializers.CharField(required=False, help_text="owner/name")
    sort = serializers.ChoiceField(choices=SORT_CHOICES, default="updated")


class ModelSerializer(serializers.ModelSerializer):
    repository = serializers.CharField(source="repository.full_name", allow_null=True)
    benchmark = serializers.CharField(source="benchmark.name", allow_null=True)
    champion = serializers.IntegerField(
        source="champion_number", allow_null=True, help_text="The champion's version number"
    )
    score = serializers.FloatField(
        allow_null=True, help_text="The champion's k-fold macro F1 (the index's headline)"
    )
    url = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()

    class Meta:
        model = RegisteredModel
        fields = [
            "name",
            "kind",
            "task",
            "description",
            "license",
            "tags",
            "repository",
            "benchmark",
            "benchmark_subset",
            "champion",
            "score",
            "downloads",
            "created_at",
            "updated_at",
            "url",
            "page",
        ]

    def get_url(self, model: RegisteredModel) -> str:
        return reverse("models-api:model_detail", args=[model.name])

    def get_page(self, model: RegisteredModel) -> str:
        return reverse("models_hub:model_detail", args=[model.name])


class FileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ModelFile
        fields = ["path", "size", "sha256", "content_type", "downloads", "url"]

    def get_url(self, file: ModelFile) -> str:
        version = file.version
        return reverse(
            "models-api:file_download", args=[version.model.name, version.version, file.path]
        )


class VersionSerializer(serializers.ModelSerializer):
    aliases = serializers.SerializerMethodField()
    trained_by = serializers.CharField(source="trained_by.get_username", allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = ModelVersion
        fields = [
            "version",
            "aliases",
            "sha256",
            "trained_at",
            "trained_via",
            "trained_by",
            "metrics",
            "downloads",
            "url",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_aliases(self, version: ModelVersion) -> list[str]:
        return sorted(alias.name for alias in version.aliases.all())

    def get_url(self, version: ModelVersion) -> str:
        return reverse("models-api:version_detail", args=[version.model.name, version.version])


class VersionDetailSerializer(VersionSerializer):
    files = FileSerializer(many=True, source="file_list")

    class Meta(VersionSerializer.Meta):
        fields = [
            *VersionSerializer.Meta.fields,
            "base_model_id",
            "base_model_revision",
            "training_rows",
            "training_label_counts",
            "training_sha256",
            "hyperparameters",
            "seed",
            "code_version",
            "command",
            "train_seconds",
            "metadata",
            "files",
        ]


class AliasSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.version")

    class Meta:
        model = ModelAlias
        fields = ["name", "version", "updated_at"]


class AliasEventSerializer(serializers.ModelSerializer):
    from_version = serializers.IntegerField(source="from_version.version", allow_null=True)
    to_version = serializers.IntegerField(source="to_version.version", allow_null=True)
    actor = serializers.CharField(source="actor_label")

    class Meta:
        model = AliasEvent
        fields = [
            "alias",
            "from_version",
            "to_version",
            "actor",
            "reason",
            "forced",
            "metrics",
            "created_at",
        ]


class CardSerializer(serializers.Serializer):
    model = serializers.CharField()
    version = serializers.IntegerField()
    markdown = serializers.CharField(help_text="The README.md of the version")
    metadata = serializers.DictField(help_text="The card's metadata (its YAML front matter)")


class BenchmarkSerializer(serializers.ModelSerializer):
    results = serializers.IntegerField(source="visible_results", help_text="Results you may see")

    class Meta:
        model = Benchmark
        fields = [
            "name",
            "title",
            "task",
            "description",
            "dataset",
            "dataset_revision",
            "split",
            "metric",
            "metric_name",
            "averaging",
            "protocol",
            "url",
            "citation",
            "subsets",
            "classes",
            "train_rows",
            "test_rows",
            "dataset_sha256",
            "results",
        ]


class ResultSerializer(serializers.ModelSerializer):
    model = serializers.CharField(source="version.model.name", allow_null=True)
    version = serializers.IntegerField(source="version.version", allow_null=True)
    benchmark = serializers.CharField(source="benchmark.name")
    submitted_by = serializers.CharField(source="submitted_by.get_username", allow_null=True)

    class Meta:
        model = BenchmarkResult
        fields = [
            "benchmark",
            "entry",
            "model",
            "version",
            "source",
            "value",
            "coverage",
            "breakdown",
            "evaluated_at",
            "seed",
            "code_version",
            "dataset_sha256",
            "command",
            "reference",
            "notes",
            "submitted_by",
        ]


class VersionLinkSerializer(serializers.Serializer):
    model = serializers.CharField()
    version = serializers.IntegerField()
    subset = serializers.CharField(allow_blank=True)
    repository = serializers.CharField(allow_null=True)


class LeaderboardRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    entry = serializers.CharField()
    source = serializers.CharField(help_text="verified, self-reported or published")
    value = serializers.FloatField()
    subsets = serializers.DictField(
        child=serializers.FloatField(allow_null=True), help_text="A value per column"
    )
    coverage = serializers.FloatField(allow_null=True)
    command = serializers.CharField(allow_blank=True)
    evaluated_at = serializers.DateTimeField()
    model = serializers.CharField(allow_null=True, help_text="The model scored, if any")
    version = serializers.IntegerField(allow_null=True)
    repository = serializers.CharField(allow_null=True, help_text="The model's OWNER/NAME")
    members = VersionLinkSerializer(many=True, help_text="A training run's versions, per subset")
    reference = serializers.CharField(allow_blank=True)
    seed = serializers.IntegerField(allow_null=True)
    code_version = serializers.CharField(allow_blank=True)
    dataset_sha256 = serializers.CharField(allow_blank=True)
    notes = serializers.CharField(allow_blank=True)


class LeaderboardSerializer(serializers.Serializer):
    benchmark = serializers.CharField()
    metric = serializers.CharField()
    subset = serializers.CharField(allow_blank=True)
    subsets = serializers.ListField(child=serializers.CharField(), help_text="The columns")
    count = serializers.IntegerField(help_text="Rows on the whole board")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    rows = LeaderboardRowSerializer(many=True, help_text="This page's rows, best first")
