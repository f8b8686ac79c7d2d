"""Admin for the model hub: model versions (activate, retrain), embeddings, triage results with
their suggestions, maintainers' feedback, and per-repository triage settings.

Versions, embeddings, results and feedback are written by the services only (training, the
embeddings worker, triage, the queue): here they are read-only, except a version's activation.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from models_hub.models import (
    Embedding,
    ModelVersion,
    SuggestionFeedback,
    TriageResult,
    TriageSettings,
    TriageSuggestion,
)
from models_hub.registry import model_version_activate


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only services write: viewable, never added or edited by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ModelVersion)
class ModelVersionAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        "kind",
        "repository",
        "version",
        "is_active",
        "samples",
        "macro_f1",
        "short_sha256",
        "size_bytes",
        "trained_at",
    )
    list_filter = ("kind", "is_active", "repository")
    list_select_related = ("repository",)
    search_fields = ("repository__full_name", "sha256", "embedding_model_id")
    date_hierarchy = "trained_at"
    actions = ("activate", "retrain")

    @admin.display(description="samples")
    def samples(self, obj: ModelVersion):
        return obj.metadata.get("samples", "—")

    @admin.display(description="macro F1")
    def macro_f1(self, obj: ModelVersion):
        return obj.metrics.get("macro_f1", "—")

    @admin.display(description="sha256")
    def short_sha256(self, obj: ModelVersion) -> str:
        return obj.sha256[:12]

    @admin.action(description="Activate the selected version (triage uses it from now on)")
    def activate(self, request: HttpRequest, queryset: QuerySet[ModelVersion]) -> None:
        chosen = list(queryset)
        scopes = {(version.kind, version.repository_id) for version in chosen}
        if len(scopes) != len(chosen):
            self.message_user(
                request,
                "Select at most one version per kind and repository: only one can be active.",
                messages.ERROR,
            )
            return
        for version in chosen:
            model_version_activate(version=version)
        self.message_user(request, f"Activated {', '.join(str(v) for v in chosen)}.")

    @admin.action(description="Retrain the label classifier of the selected versions' repositories")
    def retrain(self, request: HttpRequest, queryset: QuerySet[ModelVersion]) -> None:
        from models_hub.triage.tasks import retrain_label_classifier

        repositories = sorted(
            {v.repository for v in queryset.select_related("repository") if v.repository_id},
            key=lambda repository: repository.full_name,
        )
        for repository in repositories:
            retrain_label_classifier.delay(repository.pk)
        names = ", ".join(repository.full_name for repository in repositories)
        self.message_user(request, f"Retraining queued for {names or 'no repository'}.")


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
    list_select_related = ("issue", "repository", "label_model__repository")
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
