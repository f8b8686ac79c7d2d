"""Webhook deliveries in the admin: find one, read its error, re-run it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from community.models import Delivery, Installation, PushedCommit, RepositoryMember
from community.services.webhooks import deliveries_replay


@admin.action(description="Re-run selected deliveries")
def rerun_deliveries(modeladmin, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
    count = len(deliveries_replay(deliveries=queryset))
    modeladmin.message_user(request, f"{count} deliveries queued again.", messages.SUCCESS)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "received_at",
        "event",
        "action",
        "repository_full_name",
        "status",
        "attempts",
        "latency",
        "error_excerpt",
        "delivery_id",
    )
    list_filter = ("status", "event", "received_at")
    search_fields = ("delivery_id", "repository_full_name", "event", "action", "error")
    date_hierarchy = "received_at"
    actions = [rerun_deliveries]
    exclude = ("body",)
    readonly_fields = [
        f.name for f in Delivery._meta.get_fields() if f.concrete and f.name != "body"
    ] + ["payload"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Delivery]:
        # Bodies can be megabytes: read one only when its payload is shown.
        return super().get_queryset(request).defer("body")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # deliveries come from GitHub only

    @admin.display(description="error")
    def error_excerpt(self, obj: Delivery) -> str:
        return (obj.error or obj.note)[:120]

    @admin.display(description="payload")
    def payload(self, obj: Delivery) -> str:
        return obj.raw_body.decode("utf-8", "replace")


@admin.register(Installation)
class InstallationAdmin(admin.ModelAdmin):
    list_display = ("id", "account", "target_type", "repository_selection", "status")
    list_filter = ("status",)


@admin.register(RepositoryMember)
class RepositoryMemberAdmin(admin.ModelAdmin):
    list_display = ("repository", "actor", "permission", "added_at")
    search_fields = ("repository__full_name", "actor__login")


@admin.register(PushedCommit)
class PushedCommitAdmin(admin.ModelAdmin):
    list_display = ("sha", "repository", "author_login", "author_email", "ref", "committed_at")
    search_fields = ("sha", "author_login", "author_email", "repository__full_name")
