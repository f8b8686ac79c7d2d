from django.contrib import admin

from accounts.models import ApiToken, Profile, RepositoryRole


@admin.register(RepositoryRole)
class RepositoryRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "repository", "role", "source", "granted_at"]
    list_filter = ["role", "source"]
    search_fields = ["user__username", "repository__full_name"]
    autocomplete_fields = ["user"]
    raw_id_fields = ["repository"]
    readonly_fields = ["granted_at"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "github_login"]
    search_fields = ["user__username", "github_login"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their owner (the key is shown to them once); an admin revokes."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["user", "name", "prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False
