"""Admin for the model hub: registered models, versions (promote, retrain), alias history,
benchmarks and results, embeddings, triage results with
their suggestions, maintainers' feedback, and per-repository triage settings.

Versions, embeddings, results and feedback are written by the services only (training, the
embeddings worker, triage, the queue): here they are read-only; promotion goes through the gate.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from models_hub.models import (
    AliasEvent,
    Benchmark,
    BenchmarkResult,
    Embedding,
    ModelFile,
    ModelVersion,
    RegisteredModel,
    SuggestionFeedback,
    TriageResult,
    TriageSettings,
    TriageSuggestion,
)
from models_hub.registry.promotion import PromotionRefused, version_promote


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only services write: viewable, never added or edited by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(RegisteredModel)
class RegisteredModelAdmin(admin.ModelAdmin):
    """Descriptions, licence and tags are editable here; versions and aliases are not."""

    list_display = ("name", "kind", "task", "repository", "benchmark", "license", "downloads")
    list_filter = ("kind", "task", "license")
    list_select_related = ("repository", "benchmark")
    search_fields = ("name", "description", "repository__full_name")
    readonly_fields = ("kind", "repository", "downloads", "created_at", "updated_at")


class ModelFileInline(admin.TabularInline):
    model = ModelFile
    fields = ("path", "size", "sha256", "downloads")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ModelVersion)
class ModelVersionAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        "aliases_now",
        "training_rows",
        "macro_f1",
        "short_sha256",
        "trained_via",
        "trained_at",
    )
    list_filter = ("model__kind", "trained_via", "model")
    list_select_related = ("model",)
    search_fields = ("model__name", "sha256", "base_model_id")
    date_hierarchy = "trained_at"
    inlines = (ModelFileInline,)
    actions = ("promote", "retrain")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ModelVersion]:
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description="aliases")
    def aliases_now(self, obj: ModelVersion) -> str:
        return ", ".join(alias.name for alias in obj.aliases.all()) or "—"

    @admin.display(description="macro F1")
    def macro_f1(self, obj: ModelVersion):
        return obj.metrics.get("macro_f1", "—")

    @admin.display(description="sha256")
    def short_sha256(self, obj: ModelVersion) -> str:
        return obj.sha256[:12]

    @admin.action(description="Promote to champion (only if it passes the champion gate)")
    def promote(self, request: HttpRequest, queryset: QuerySet[ModelVersion]) -> None:
        chosen = list(queryset.select_related("model"))
        if len({version.model_id for version in chosen}) != len(chosen):
            self.message_user(
                request, "Select at most one version per model: one champion each.", messages.ERROR
            )
            return
        for version in chosen:
            try:
                version_promote(version=version, actor=request.user)
            except PromotionRefused as refused:
                self.message_user(request, str(refused), messages.ERROR)
            else:
                self.message_user(request, f"{version} is the champion.")

    @admin.action(description="Retrain the label classifier of the selected versions' repositories")
    def retrain(self, request: HttpRequest, queryset: QuerySet[ModelVersion]) -> None:
        from models_hub.triage.tasks import retrain_label_classifier

        repositories = sorted(
            {
                v.model.repository
                for v in queryset.select_related("model__repository")
                if v.model.repository_id
            },
            key=lambda repository: repository.full_name,
        )
        for repository in repositories:
            retrain_label_classifier.delay(repository.pk)
        names = ", ".join(repository.full_name for repository in repositories)
        self.message_user(request, f"Retraining queued for {names or 'no repository'}.")


@admin.register(AliasEvent)
class AliasEventAdmin(ReadOnlyAdmin):
    list_display = ("model", "alias", "from_version", "to_version", "actor_label", "forced")
    list_filter = ("alias", "forced")
    list_select_related = ("model", "from_version", "to_version")
    search_fields = ("model__name", "reason", "actor_label")
    date_hierarchy = "created_at"


@admin.register(Benchmark)
class BenchmarkAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "dataset", "metric_name", "train_rows", "test_rows")
    readonly_fields = ("train_key", "train_sha256", "train_rows", "test_key", "test_sha256")
    search_fields = ("name", "title", "dataset")


@admin.register(BenchmarkResult)
class BenchmarkResultAdmin(admin.ModelAdmin):
    list_display = ("entry", "benchmark", "source", "value", "evaluated_at")
    list_filter = ("benchmark", "source")
    list_select_related = ("benchmark",)
    search_fields = ("entry", "notes")


@admin.register(Embedding)
class EmbeddingAdmin(ReadOnlyAdmin):
    list_display = ("pk", "repository", "target", "model_id", "dimensions", "updated_at")
    list_filter = ("model_id", "dimensions", "repository")
    list_select_related = ("repository", "issue", "pull_request")
    search_fields = (
        "=issue__number",
        "issue__title",
        "=pull_request__number",
        "pull_request__title",
    )
    # The raw float32 bytes mean nothing on screen; the hash says which text they encode.
    exclude = ("vector",)
    readonly_fields = ("target",)

    @admin.display(description="issue or pull request")
    def target(self, obj: Embedding) -> str:
        item = obj.issue or obj.pull_request
        kind = "issue" if obj.issue_id else "PR"
        return f"{kind} #{item.number} {item.title}" if item else "—"


class TriageSuggestionInline(admin.TabularInline):
    model = TriageSuggestion
    fields = ("kind", "rank", "value", "score", "label", "duplicate_of", "assignee", "evidence")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(TriageResult)
class TriageResultAdmin(ReadOnlyAdmin):
    list_display = (
        "issue",
        "repository",
        "is_current",
        "priority",
        "labels_abstained",
        "label_model",
        "created_at",
        "reviewed_at",
    )
    list_filter = ("is_current", "priority", "labels_abstained", "repository")
    list_select_related = ("issue", "repository", "label_model__model")
    search_fields = ("=issue__number", "issue__title", "repository__full_name")
    date_hierarchy = "created_at"
    inlines = (TriageSuggestionInline,)


@admin.register(SuggestionFeedback)
class SuggestionFeedbackAdmin(ReadOnlyAdmin):
    list_display = (
        "issue",
        "kind",
        "value",
        "decision",
        "decided_by",
        "decided_at",
        "write_back_status",
    )
    list_filter = ("kind", "decision", "write_back_status")
    list_select_related = ("issue", "decided_by")
    search_fields = ("=issue__number", "issue__title", "value")
    date_hierarchy = "decided_at"


@admin.register(TriageSettings)
class TriageSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "repository",
        "label_threshold",
        "write_back_enabled",
        "write_back_dry_run",
        "write_back_min_score",
        "updated_at",
    )
    list_filter = ("write_back_enabled", "write_back_dry_run")
    list_select_related = ("repository",)
    search_fields = ("repository__full_name",)
    raw_id_fields = ("repository",)
