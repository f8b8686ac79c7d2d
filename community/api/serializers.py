"""What the data API returns. Links are absolute: `url` (this API), `page_url` (Steward's page),
`html_url` (GitHub)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from community.links import safe_url
from community.models import Actor, Comment, Issue, PullRequest, Repository
from community.templatetags.steward import item_url


def _absolute(context: dict, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class RepositorySerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.login")
    homepage = serializers.SerializerMethodField(help_text="http(s) only, else empty")
    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    html_url = serializers.CharField(read_only=True)

    class Meta:
        model = Repository
        fields = [
            "id", "full_name", "owner", "name", "private", "description", "homepage",
            "language", "topics", "default_branch", "stargazers_count", "forks_count",
            "watchers_count", "open_issues_count", "archived", "fork", "created_at",
            "updated_at", "pushed_at", "url", "page_url", "html_url",
        ]  # fmt: skip

    def get_homepage(self, repository: Repository) -> str:
        return safe_url(repository.homepage)

    def get_url(self, repository: Repository) -> str:
        owner, name = repository.full_name.split("/", 1)
        path = reverse("community-api:repository_detail", args=[owner, name])
        return _absolute(self.context, path)

    def get_page_url(self, repository: Repository) -> str:
        owner, name = repository.full_name.split("/", 1)
        return _absolute(self.context, reverse("community:repository_detail", args=[owner, name]))


class _ItemSerializer(serializers.ModelSerializer):
    repository = serializers.CharField(source="repository.full_name")
    author = serializers.CharField(source="author.login", default=None)
    labels = serializers.SerializerMethodField()
    assignees = serializers.SerializerMethodField()
    milestone = serializers.CharField(source="milestone.title", default=None)
    closed_by = serializers.CharField(source="closed_by.login", default=None)
    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    html_url = serializers.CharField(read_only=True)

    common_fields = [
        "id", "repository", "number", "title", "body", "state", "state_reason", "author",
        "author_association", "labels", "assignees", "milestone", "comments_count",
        "reactions_total", "locked", "created_at", "updated_at", "closed_at", "closed_by",
        "url", "page_url", "html_url",
    ]  # fmt: skip
    detail_view = ""

    def get_labels(self, item) -> list[str]:
        return [label.name for label in item.labels.all()]

    def get_assignees(self, item) -> list[str]:
        return [actor.login for actor in item.assignees.all()]

    def _path_args(self, item) -> list:
        owner, name = item.repository.full_name.split("/", 1)
        return [owner, name, item.number]

    def get_url(self, item) -> str:
        return _absolute(self.context, reverse(self.detail_view, args=self._path_args(item)))

    def get_page_url(self, item) -> str:
        return _absolute(self.context, item_url(item))


class IssueSerializer(_ItemSerializer):
    detail_view = "community-api:issue_detail"

    class Meta:
        model = Issue
        fields = [*_ItemSerializer.common_fields, "pinned"]


class PullRequestSerializer(_ItemSerializer):
    merged_by = serializers.CharField(source="merged_by.login", default=None)
    requested_reviewers = serializers.SerializerMethodField()
    detail_view = "community-api:pull_request_detail"

    class Meta:
        model = PullRequest
        fields = [
            *_ItemSerializer.common_fields,
            "draft", "merged", "merged_at", "merged_by", "base_ref", "head_ref", "head_sha",
            "additions", "deletions", "changed_files", "commits_count", "review_comments_count",
            "requested_reviewers",
        ]  # fmt: skip

    def get_requested_reviewers(self, pull: PullRequest) -> list[str]:
        return [actor.login for actor in pull.requested_reviewers.all()]


class CommentSerializer(serializers.ModelSerializer):
    repository = serializers.CharField(source="repository.full_name")
    author = serializers.CharField(source="author.login", default=None)
    on = serializers.SerializerMethodField(help_text="issue or pull_request")
    number = serializers.SerializerMethodField(help_text="the issue's or pull request's number")
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id", "repository", "kind", "on", "number", "author", "author_association", "body",
            "path", "reactions_total", "created_at", "updated_at", "page_url",
        ]  # fmt: skip

    def get_on(self, comment: Comment) -> str:
        return "pull_request" if comment.pull_request_id else "issue"

    def get_number(self, comment: Comment) -> int | None:
        parent = comment.parent
        return parent.number if parent is not None else None

    def get_page_url(self, comment: Comment) -> str | None:
        parent = comment.parent
        if parent is None:
            return None
        return _absolute(self.context, f"{item_url(parent)}#comment-{comment.pk}")


class ContributorSerializer(serializers.ModelSerializer):
    issues = serializers.IntegerField(
        source="issues_count", help_text="issues opened, in the repositories you may see"
    )
    pull_requests = serializers.IntegerField(source="pull_requests_count")
    comments = serializers.IntegerField(source="comments_count")
    reviews = serializers.IntegerField(source="reviews_count")
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Actor
        fields = [
            "id", "login", "name", "type", "is_bot", "issues", "pull_requests", "comments",
            "reviews", "page_url",
        ]  # fmt: skip

    def get_page_url(self, actor: Actor) -> str:
        return _absolute(self.context, reverse("community:contributor_detail", args=[actor.login]))


class SearchItemSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="issue, pull or comment")
    repository = serializers.CharField(source="item.repository.full_name")
    number = serializers.IntegerField(source="item.number")
    title = serializers.CharField(source="item.title")
    state = serializers.CharField(source="item.state")
    comment_id = serializers.IntegerField(source="comment.pk", default=None)
    score = serializers.FloatField(help_text="reciprocal rank fusion score")
    found_by = serializers.ListField(child=serializers.CharField(), help_text="words, meaning")
    similarity = serializers.FloatField(allow_null=True, help_text="cosine, semantic matches")
    title_html = serializers.CharField(source="title", help_text="escaped, matches in <mark>")
    excerpt_html = serializers.CharField(source="excerpt", help_text="escaped, matches in <mark>")
    page_url = serializers.SerializerMethodField()

    def get_page_url(self, result) -> str:
        anchor = f"#comment-{result.comment.pk}" if result.comment is not None else ""
        return _absolute(self.context, item_url(result.item) + anchor)
