"""GitHub webhook deliveries as received, and the GitHub data only webhooks bring.

A `Delivery` keeps the exact bytes and headers GitHub sent, so every delivery can be verified again,
inspected and replayed. `Installation`, `RepositoryMember` and `PushedCommit` hold what webhooks
report and no other model covers (GitHub App installations, collaborators, commits per author).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class DeliveryStatus(models.TextChoices):
    PENDING = "pending"
    PROCESSING = "processing"
    PROCESSED = "processed"
    IGNORED = "ignored"
    FAILED = "failed"


class Delivery(models.Model):
    """One webhook delivery (`X-GitHub-Delivery`), stored before it is acknowledged."""

    delivery_id = models.CharField(max_length=64, unique=True, help_text="X-GitHub-Delivery")
    event = models.CharField(max_length=64, db_index=True, help_text="X-GitHub-Event")
    action = models.CharField(max_length=64, blank=True)
    hook_id = models.BigIntegerField(null=True, blank=True, help_text="X-GitHub-Hook-ID")
    installation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    repository_github_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    repository_full_name = models.CharField(max_length=201, blank=True)
    headers = models.JSONField(default=dict, blank=True, help_text="GitHub's delivery headers")
    body = models.BinaryField(help_text="The raw request body, byte for byte")
    status = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Last processing error")
    note = models.CharField(max_length=500, blank=True, help_text="Why ignored, what was skipped")
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    due_at = models.DateTimeField(
        default=timezone.now, help_text="Earliest time the sweeper may queue it again"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    latency = models.DurationField(null=True, blank=True, help_text="Received → processed")

    class Meta:
        ordering = ["-received_at"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["status", "due_at"], name="delivery_status_due"),
            models.Index(fields=["status", "received_at"], name="delivery_status_received"),
        ]

    def __str__(self) -> str:
        suffix = f".{self.action}" if self.action else ""
        return f"{self.event}{suffix} {self.delivery_id}"

    @property
    def raw_body(self) -> bytes:
        return bytes(self.body)


class InstallationStatus(models.TextChoices):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DELETED = "deleted"


class Installation(models.Model):
    """A GitHub App installation: which account installed the app, and whether it still does."""

    id = models.BigIntegerField(primary_key=True, help_text="GitHub installation id")
    account = models.ForeignKey(
        "community.Actor", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    app_id = models.BigIntegerField(null=True, blank=True)
    target_type = models.CharField(max_length=20, blank=True, help_text="User or Organization")
    repository_selection = models.CharField(max_length=10, blank=True, help_text="all, selected")
    status = models.CharField(
        max_length=10, choices=InstallationStatus.choices, default=InstallationStatus.ACTIVE
    )
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"installation {self.id}"


class RepositoryMember(models.Model):
    """A collaborator of a repository (the `member` webhook); removed collaborators are deleted."""

    repository = models.ForeignKey(
        "community.Repository", on_delete=models.CASCADE, related_name="members"
    )
    actor = models.ForeignKey(
        "community.Actor", on_delete=models.CASCADE, related_name="memberships"
    )
    permission = models.CharField(max_length=20, blank=True, help_text="read, write, admin…")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["repository", "actor"]
        constraints = [
            models.UniqueConstraint(fields=["repository", "actor"], name="member_repo_actor")
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} in {self.repository_id}"


class PushedCommit(models.Model):
    """A commit reported by a `push`, once per repository however many branches carry it."""

    repository = models.ForeignKey(
        "community.Repository", on_delete=models.CASCADE, related_name="pushed_commits"
    )
    sha = models.CharField(max_length=40)
    author = models.ForeignKey(
        "community.Actor", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_login = models.CharField(max_length=100, blank=True)
    author_name = models.CharField(max_length=255, blank=True)
    author_email = models.CharField(max_length=255, blank=True)
    ref = models.CharField(max_length=255, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["committed_at"]
        constraints = [
            models.UniqueConstraint(fields=["repository", "sha"], name="pushed_commit_repo_sha")
        ]
        indexes = [models.Index(fields=["repository", "author_login"], name="pushed_commit_author")]

    def __str__(self) -> str:
        return self.sha[:12]
