"""Admin for the GitHub data model: find any object fast, filter by what maintainers ask."""

from __future__ import annotations

from django.contrib import admin

from community.models import (
    Actor,
    Comment,
    Issue,
    IssueEvent,
    Label,
    Milestone,
    PullRequest,
    Release,
    Repository,
    Review,
    StarEvent,
)


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ("login", "name", "type", "is_bot", "site_admin", "first_seen_at")
    list_filter = ("type", "is_bot", "site_admin")
    search_fields = ("login", "name", "=id")


@admin.register(Repository)
class RepositoryAdmin(admin.ModelAdmin):
    list_display = (
        "full_name",
        "private",
        "tracked",
        "archived",
        "stargazers_count",
        "forks_count",
        "open_issues_count",
        "pushed_at",
    )
    list_filter = ("tracked", "private", "archived", "fork", "language")
    search_fields = ("full_name", "description", "=id")
    raw_id_fields = ("owner",)


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ("name", "repository", "color", "default")
    list_filter = ("repository", "default")
    search_fields = ("name", "description")


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ("title", "repository", "number", "state", "due_on", "closed_at")
    list_filter = ("repository", "state")
    search_fields = ("title",)


class ConversationAdmin(admin.ModelAdmin):
    """What issues and pull requests share in the admin."""

    list_select_related = ("repository", "author")
    list_filter = ("repository", "state", "state_reason", "locked", "author__is_bot")
    search_fields = ("title", "body", "=number", "=id", "author__login")
    raw_id_fields = ("author", "closed_by", "milestone")
    autocomplete_fields = ("labels",)
    filter_horizontal = ("assignees",)
    date_hierarchy = "created_at"
    ordering = ("-created_at",)


@admin.register(Issue)
class IssueAdmin(ConversationAdmin):
    list_display = (
        "number",
        "title",
        "repository",
        "state",
        "author",
        "comments_count",
        "created_at",
        "closed_at",
    )


@admin.register(PullRequest)
class PullRequestAdmin(ConversationAdmin):
    list_display = (
        "number",
        "title",
        "repository",
        "state",
        "merged",
        "draft",
        "author",
        "created_at",
        "merged_at",
    )
    list_filter = (*ConversationAdmin.list_filter, "merged", "draft")
    raw_id_fields = (*ConversationAdmin.raw_id_fields, "merged_by")
    filter_horizontal = ("assignees", "requested_reviewers")


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("id", "pull_request", "reviewer", "state", "submitted_at")
    list_filter = ("state", "pull_request__repository")
    list_select_related = ("pull_request", "reviewer")
    search_fields = ("reviewer__login", "body", "=pull_request__number")
    raw_id_fields = ("pull_request", "reviewer")
    date_hierarchy = "submitted_at"


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "repository", "issue", "pull_request", "author", "created_at")
    list_filter = ("kind", "repository", "author__is_bot")
    list_select_related = ("repository", "issue", "pull_request", "author")
    search_fields = ("body", "author__login", "=id")
    raw_id_fields = ("issue", "pull_request", "review", "author")
    date_hierarchy = "created_at"


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ("tag_name", "name", "repository", "draft", "prerelease", "published_at")
    list_filter = ("repository", "draft", "prerelease")
    search_fields = ("tag_name", "name", "body")
    raw_id_fields = ("author",)
    date_hierarchy = "published_at"


@admin.register(StarEvent)
class StarEventAdmin(admin.ModelAdmin):
    list_display = ("actor", "repository", "starred_at")
    list_filter = ("repository",)
    list_select_related = ("actor", "repository")
    search_fields = ("actor__login",)
    raw_id_fields = ("actor",)
    date_hierarchy = "starred_at"


@admin.register(IssueEvent)
class IssueEventAdmin(admin.ModelAdmin):
    list_display = ("id", "event", "repository", "issue", "pull_request", "actor", "created_at")
    list_filter = ("event", "repository")
    list_select_related = ("repository", "issue", "pull_request", "actor")
    search_fields = ("=id", "actor__login", "label_name")
    raw_id_fields = ("issue", "pull_request", "actor", "assignee")
    date_hierarchy = "created_at"
