"""Where the GitHub sync of each repository stands: one state per repository, one cursor per
resource (issues, pull requests, comments…), so an interrupted sync resumes where it stopped."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SyncStatus(models.TextChoices):
    NEVER = "never", "Never synced"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    OK = "ok", "Up to date"
    PAUSED = "paused", "Paused (rate limit)"
    FAILED = "failed", "Failed"
    GONE = "gone", "Gone from GitHub"


class RepositorySync(models.Model):
    """The sync of one repository, as maintainers see it in the admin and on its page."""

    repository = models.OneToOneField(
        "community.Repository", on_delete=models.CASCADE, related_name="sync_state"
    )
    status = models.CharField(
        max_length=10, choices=SyncStatus.choices, default=SyncStatus.NEVER, db_index=True
    )
    last_error = models.TextField(blank=True)
    paused_until = models.DateTimeField(
        null=True, blank=True, help_text="Rate-limited: the sync resumes after this time"
    )
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="A running sync holds the repository until this time"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    requests_made = models.PositiveIntegerField(default=0, help_text="GitHub requests, last run")

    class Meta:
        verbose_name = "repository sync"

    def __str__(self) -> str:
        return f"sync of {self.repository_id}: {self.status}"

    @property
    def is_paused(self) -> bool:
        return bool(self.paused_until and self.paused_until > timezone.now())


class SyncCursor(models.Model):
    """How far one resource of one repository has been read.

    `since` is the committed position (advanced page by page); `next_url` the page to
    read next when a run was interrupted; `etags` remember conditional-request validators.
    """

    repository = models.ForeignKey(
        "community.Repository", on_delete=models.CASCADE, related_name="sync_cursors"
    )
    resource = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=SyncStatus.choices, default=SyncStatus.NEVER)
    since = models.DateTimeField(null=True, blank=True, help_text="Everything before is stored")
    run_since = models.DateTimeField(
        null=True, blank=True, help_text="Newest item seen by the run in progress"
    )
    next_url = models.CharField(max_length=2000, blank=True, help_text="Page to resume from")
    etags = models.JSONField(default=dict, blank=True, help_text="URL → ETag")
    pending = models.JSONField(default=list, blank=True, help_text="Numbers still to detail")
    items = models.PositiveIntegerField(default=0, help_text="Items written by the last run")
    last_error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["repository", "resource"]
        constraints = [
            models.UniqueConstraint(fields=["repository", "resource"], name="sync_cursor_resource")
        ]

    def __str__(self) -> str:
        return f"{self.resource} of {self.repository_id}"
