"""Stored metric values. All of it is derived data: `rollup --full` drops and recomputes it."""

from __future__ import annotations

from django.db import models


class Scope(models.TextChoices):
    REPOSITORY = "repository", "One repository"
    PUBLIC = "public", "All tracked public repositories"
    ALL = "all", "All tracked repositories (staff)"


class Period(models.TextChoices):
    WEEK = "week"
    MONTH = "month"


class MetricRollup(models.Model):
    """One metric's values for one scope and one period (a week or a month, starting in UTC)."""

    metric = models.CharField(max_length=50)
    period = models.CharField(max_length=5, choices=Period.choices)
    period_start = models.DateField()
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.REPOSITORY)
    repository = models.ForeignKey(
        "community.Repository",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="metric_rollups",
    )
    values = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "period", "period_start", "repository"],
                condition=models.Q(repository__isnull=False),
                name="rollup_unique_repository",
            ),
            models.UniqueConstraint(
                fields=["metric", "period", "period_start", "scope"],
                condition=models.Q(repository__isnull=True),
                name="rollup_unique_aggregate",
            ),
        ]
        indexes = [
            models.Index(
                fields=["scope", "repository", "period", "period_start"], name="rollup_read"
            ),
            models.Index(fields=["metric", "period", "period_start"], name="rollup_fill"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.period} {self.period_start} {self.scope}"


class FillState(models.Model):
    """How far one metric's fill has got, per period kind (the Zulip pattern).

    `filled_through` is the start of the last period written completely. While a period is being
    written `status` is STARTED and `period_in_progress` says which: a fill that finds it so after
    a crash deletes that period's rows and redoes it.
    """

    class Status(models.TextChoices):
        DONE = "done"
        STARTED = "started"

    metric = models.CharField(max_length=50)
    period = models.CharField(max_length=5, choices=Period.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DONE)
    filled_through = models.DateField(null=True, blank=True)
    period_in_progress = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["metric", "period"], name="fill_state_metric_period")
        ]

    def __str__(self) -> str:
        return f"{self.metric}/{self.period}: {self.status} through {self.filled_through}"


class RepositorySnapshot(models.Model):
    """Daily counts GitHub gives only as current values (forks, stars), kept to draw history."""

    repository = models.ForeignKey(
        "community.Repository", on_delete=models.CASCADE, related_name="snapshots"
    )
    taken_on = models.DateField()
    forks = models.PositiveIntegerField()
    stars = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["repository", "taken_on"], name="snapshot_repo_day")
        ]

    def __str__(self) -> str:
        return f"{self.repository_id} on {self.taken_on}"


class AttentionSnapshot(models.Model):
    """The attention tables (items waiting for a maintainer) of one scope, as last computed."""

    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.REPOSITORY)
    repository = models.ForeignKey(
        "community.Repository",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attention_snapshots",
    )
    lists = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["repository"],
                condition=models.Q(repository__isnull=False),
                name="attention_unique_repository",
            ),
            models.UniqueConstraint(
                fields=["scope"],
                condition=models.Q(repository__isnull=True),
                name="attention_unique_aggregate",
            ),
        ]

    def __str__(self) -> str:
        return f"attention {self.scope} {self.repository_id}"
