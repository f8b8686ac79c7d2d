"""What happens on issues and pull requests: reviews, comments, timeline events; releases, stars."""

from __future__ import annotations

from django.db import models


class Review(models.Model):
    class State(models.TextChoices):
        APPROVED = "APPROVED"
        CHANGES_REQUESTED = "CHANGES_REQUESTED"
        COMMENTED = "COMMENTED"
        DISMISSED = "DISMISSED"
        PENDING = "PENDING"

    id = models.BigIntegerField(primary_key=True, help_text="GitHub review id")
    pull_request = models.ForeignKey(
        "community.PullRequest", on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        "community.Actor", null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    state = models.CharField(max_length=20, choices=State.choices)
    body = models.TextField(blank=True)
    commit_id = models.CharField(max_length=40, blank=True)
    author_association = models.CharField(max_length=30, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at"]
        indexes = [
            models.Index(fields=["pull_request", "submitted_at"], name="review_pr_submitted"),
            models.Index(fields=["reviewer", "submitted_at"], name="review_reviewer_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.state} on {self.pull_request_id}"


class CommentKind(models.TextChoices):
    ISSUE = "issue", "Issue/PR conversation comment"
    REVIEW = "review", "Pull request review (diff) comment"


class Comment(models.Model):
    """A conversation comment on an issue/PR, or a review comment on a PR's diff."""

    id = models.BigIntegerField(primary_key=True, help_text="GitHub comment id")
    kind = models.CharField(max_length=10, choices=CommentKind.choices, default=CommentKind.ISSUE)
    repository = models.ForeignKey(
        "community.Repository", on_delete=models.CASCADE, related_name="comments"
    )
    issue = models.ForeignKey(
        "community.Issue", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    pull_request = models.ForeignKey(
        "community.PullRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    author = models.ForeignKey(
        "community.Actor", null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    author_association = models.CharField(max_length=30, blank=True)
    body = models.TextField(blank=True)
    path = models.CharField(max_length=1024, blank=True, help_text="file, for review comments")
    reactions = models.JSONField(default=dict, blank=True)
    reactions_total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(issue__isnull=True) | models.Q(pull_request__isnull=True),
                name="comment_on_issue_or_pr",
            )
        ]
        indexes = [
            models.Index(fields=["repository", "created_at"], name="comment_repo_created"),
            models.Index(fields=["issue", "created_at"], name="comment_issue_created"),
            models.Index(fields=["pull_request", "created_at"], name="comment_pr_created"),
            models.Index(fields=["author", "created_at"], name="comment_author_created"),
        ]

    def __str__(self) -> str:
        return f"comment {self.id}"

    @property
    def parent(self):
        return self.issue or self.pull_request


class Release(models.Model):
    id = models.BigIntegerField(primary_key=True, help_text="GitHub release id")
    repository = models.ForeignKey(
        "community.Repository", on_delete=models.CASCADE, related_name="releases"
    )
    tag_name = models.CharField(max_length=255)
    name = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True)
    draft = models.BooleanField(default=False)
    prerelease = models.BooleanField(default=False)
    author = models.ForeignKey(
        "community.Actor", null=True, blank=True, on_delete=models.SET_NULL, related_name="releases"
    )
    created_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at"]
        indexes = [
            models.Index(fields=["repository", "published_at"], name="release_repo_published")
        ]

    def __str__(self) -> str:
        return self.name or self.tag_name


class StarEvent(models.Model):
    """Who starred a repository, and when. GitHub gives no id: (repository, actor) is the key."""

    repository = models.ForeignKey(
        "community.Repository", on_delete=models.CASCADE, related_name="star_events"
    )
    actor = models.ForeignKey("community.Actor", on_delete=models.CASCADE, related_name="stars")
    starred_at = models.DateTimeField()

    class Meta:
        ordering = ["starred_at"]
        constraints = [
            models.UniqueConstraint(fields=["repository", "actor"], name="star_repo_actor")
        ]
        indexes = [models.Index(fields=["repository", "starred_at"], name="star_repo_starred")]

    def __str__(self) -> str:
        return f"{self.actor_id} ★ {self.repository_id}"


class IssueEvent(models.Model):
    """One entry of an issue's or PR's timeline (labeled, closed, reopened, assigned, merged…)."""

    id = models.BigIntegerField(primary_key=True, help_text="GitHub event id")
    repository = models.ForeignKey(
        "community.Repository", on_delete=models.CASCADE, related_name="issue_events"
    )
    issue = models.ForeignKey(
        "community.Issue", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    pull_request = models.ForeignKey(
        "community.PullRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    event = models.CharField(max_length=40, db_index=True)
    actor = models.ForeignKey(
        "community.Actor", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    label_name = models.CharField(max_length=100, blank=True)
    assignee = models.ForeignKey(
        "community.Actor", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    commit_id = models.CharField(max_length=40, blank=True)
    rename_from = models.CharField(max_length=1024, blank=True)
    rename_to = models.CharField(max_length=1024, blank=True)
    # review_requested / review_request_removed: the person asked for a review, or the team.
    reviewer = models.ForeignKey(
        "community.Actor", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer_team = models.CharField(max_length=100, blank=True)
    # milestoned / demilestoned: the milestone's title when it happened.
    milestone_title = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(issue__isnull=True) | models.Q(pull_request__isnull=True),
                name="event_on_issue_or_pr",
            )
        ]
        indexes = [
            models.Index(fields=["repository", "created_at"], name="event_repo_created"),
            models.Index(fields=["issue", "created_at"], name="event_issue_created"),
            models.Index(fields=["pull_request", "created_at"], name="event_pr_created"),
        ]

    def __str__(self) -> str:
        return f"{self.event} at {self.created_at:%Y-%m-%d}"
