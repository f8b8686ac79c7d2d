from __future__ import annotations

from django.db import models


class Repository(models.Model):
    """A tracked GitHub repository."""

    id = models.BigIntegerField(primary_key=True, help_text="GitHub repository id")
    owner = models.ForeignKey("community.Actor", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)
    full_name = models.CharField(max_length=201, unique=True)
    private = models.BooleanField(default=False, db_index=True)
    description = models.TextField(blank=True)
    homepage = models.URLField(max_length=500, blank=True)
    language = models.CharField(max_length=100, blank=True)
    default_branch = models.CharField(max_length=255, default="main")
    topics = models.JSONField(default=list, blank=True)
    stargazers_count = models.PositiveIntegerField(default=0)
    forks_count = models.PositiveIntegerField(default=0)
    watchers_count = models.PositiveIntegerField(default=0, help_text="subscribers")
    open_issues_count = models.PositiveIntegerField(default=0)
    archived = models.BooleanField(default=False)
    fork = models.BooleanField(default=False)
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    pushed_at = models.DateTimeField(null=True, blank=True)
    tracked = models.BooleanField(default=True, help_text="Synced and shown by Steward")
    deleted_at = models.DateTimeField(null=True, blank=True, help_text="Deleted on GitHub")

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "repositories"

    def __str__(self) -> str:
        return self.full_name

    @property
    def html_url(self) -> str:
        return f"https://github.com/{self.full_name}"


class Label(models.Model):
    id = models.BigIntegerField(primary_key=True, help_text="GitHub label id")
    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(max_length=100)
    color = models.CharField(max_length=6, blank=True)
    description = models.CharField(max_length=255, blank=True)
    default = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["repository", "name"])]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    id = models.BigIntegerField(primary_key=True, help_text="GitHub milestone id")
    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="milestones")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    state = models.CharField(max_length=10, default="open")
    due_on = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["repository", "number"], name="milestone_repo_number")
        ]

    def __str__(self) -> str:
        return self.title
