from __future__ import annotations

from django.db import models


class IssueState(models.TextChoices):
    OPEN = "open"
    CLOSED = "closed"


class IssueBase(models.Model):
    """Fields GitHub's issues and pull requests share. `id` is the object's own GitHub id."""

    id = models.BigIntegerField(primary_key=True)
    repository = models.ForeignKey(
        "community.Repository", on_delete=models.CASCADE, related_name="%(class)ss"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=1024)
    body = models.TextField(blank=True)
    state = models.CharField(
        max_length=10, choices=IssueState.choices, default=IssueState.OPEN, db_index=True
    )
    state_reason = models.CharField(
        max_length=20, blank=True, help_text="completed, not_planned, reopened, duplicate"
    )
    author = models.ForeignKey(
        "community.Actor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authored_%(class)ss",
    )
    author_association = models.CharField(max_length=30, blank=True)
    assignees = models.ManyToManyField(
        "community.Actor", blank=True, related_name="assigned_%(class)ss"
    )
    labels = models.ManyToManyField("community.Label", blank=True, related_name="%(class)ss")
    milestone = models.ForeignKey(
        "community.Milestone",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)ss",
    )
    comments_count = models.PositiveIntegerField(default=0)
    reactions = models.JSONField(default=dict, blank=True, help_text="counts by reaction")
    reactions_total = models.PositiveIntegerField(default=0)
    locked = models.BooleanField(default=False)
    active_lock_reason = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "community.Actor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="closed_%(class)ss",
    )
    deleted_at = models.DateTimeField(null=True, blank=True, help_text="Deleted on GitHub")

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state == IssueState.OPEN


class Issue(IssueBase):
    pinned = models.BooleanField(default=False)

    class Meta(IssueBase.Meta):
        # One live item per number: a superseded or deleted one keeps its number and history
        # (community/services/upserts/numbers.py).
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "number"],
                condition=models.Q(deleted_at__isnull=True),
                name="issue_repo_number",
            )
        ]
        indexes = [
            models.Index(fields=["repository", "created_at"], name="issue_repo_created"),
            models.Index(fields=["repository", "state"], name="issue_repo_state"),
            models.Index(fields=["repository", "updated_at"], name="issue_repo_updated"),
            models.Index(fields=["repository", "closed_at"], name="issue_repo_closed"),
            models.Index(fields=["author", "created_at"], name="issue_author_created"),
        ]

    @property
    def html_url(self) -> str:
        return f"https://github.com/{self.repository.full_name}/issues/{self.number}"


class PullRequest(IssueBase):
    issue_id = models.BigIntegerField(
        null=True, blank=True, unique=True, help_text="GitHub id of the PR's issue twin"
    )
    draft = models.BooleanField(default=False)
    merged = models.BooleanField(default=False)
    merged_at = models.DateTimeField(null=True, blank=True)
    merged_by = models.ForeignKey(
        "community.Actor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_pull_requests",
    )
    merge_commit_sha = models.CharField(max_length=40, blank=True)
    base_ref = models.CharField(max_length=255, blank=True)
    head_ref = models.CharField(max_length=255, blank=True)
    head_sha = models.CharField(max_length=40, blank=True)
    additions = models.PositiveIntegerField(default=0)
    deletions = models.PositiveIntegerField(default=0)
    changed_files = models.PositiveIntegerField(default=0)
    commits_count = models.PositiveIntegerField(default=0)
    review_comments_count = models.PositiveIntegerField(default=0)
    requested_reviewers = models.ManyToManyField(
        "community.Actor", blank=True, related_name="review_requests"
    )

    class Meta(IssueBase.Meta):
        constraints = [  # as for issues: one live pull request per number
            models.UniqueConstraint(
                fields=["repository", "number"],
                condition=models.Q(deleted_at__isnull=True),
                name="pr_repo_number",
            )
        ]
        indexes = [
            models.Index(fields=["repository", "created_at"], name="pr_repo_created"),
            models.Index(fields=["repository", "state"], name="pr_repo_state"),
            models.Index(fields=["repository", "updated_at"], name="pr_repo_updated"),
            models.Index(fields=["repository", "merged_at"], name="pr_repo_merged"),
            models.Index(fields=["author", "created_at"], name="pr_author_created"),
        ]

    @property
    def html_url(self) -> str:
        return f"https://github.com/{self.repository.full_name}/pull/{self.number}"
