"""Sync state in the admin: which repositories are behind, paused or failing, and why."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from community.models import RepositorySync, SyncCursor
from community.services.sync.tracking import repositories_queue_sync


class SyncCursorInline(admin.TabularInline):
    model = SyncCursor
    fk_name = "repository"
    extra = 0
    can_delete = False
    fields = ("resource", "status", "since", "items", "finished_at", "last_error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.action(description="Sync selected repositories now")
def sync_now(modeladmin, request: HttpRequest, queryset: QuerySet[RepositorySync]) -> None:
    count = repositories_queue_sync(repository_ids=queryset.values_list("repository_id", flat=True))
    modeladmin.message_user(request, f"{count} repository syncs queued.", messages.SUCCESS)


@admin.register(RepositorySync)
class RepositorySyncAdmin(admin.ModelAdmin):
    list_display = (
        "repository",
        "status",
        "last_success_at",
        "finished_at",
        "paused_until",
        "requests_made",
        "error_excerpt",
    )
    list_filter = ("status",)
    search_fields = ("repository__full_name", "last_error")
    readonly_fields = [f.name for f in RepositorySync._meta.concrete_fields]
    actions = [sync_now]

    @admin.display(description="last error")
    def error_excerpt(self, obj: RepositorySync) -> str:
        return obj.last_error[:120]


@admin.register(SyncCursor)
class SyncCursorAdmin(admin.ModelAdmin):
    list_display = (
        "repository",
        "resource",
        "status",
        "since",
        "items",
        "finished_at",
        "last_error",
    )
    list_filter = ("status", "resource")
    search_fields = ("repository__full_name", "last_error")
    readonly_fields = [f.name for f in SyncCursor._meta.concrete_fields]
