"""Activity digests: one per repository and week or month, regenerated until the period ends."""

from __future__ import annotations

from django.db import models

from analytics.models.rollups import Period


class Digest(models.Model):
    """What happened in a repository in one period. `content` holds the sections as data
    (numbers that moved, merged pull requests, releases, newcomers, attention items, themes);
    the page, the markdown export and the API all render from it."""

    repository = models.ForeignKey(
        "community.Repository", on_delete=models.CASCADE, related_name="digests"
    )
    period = models.CharField(max_length=10, choices=Period.choices)
    start = models.DateField(help_text="First day of the period (UTC)")
    end = models.DateField(help_text="First day after the period (UTC)")
    content = models.JSONField(default=dict)
    is_final = models.BooleanField(
        default=False, help_text="Generated after the period ended: no longer regenerated"
    )
    generated_at = models.DateTimeField()

    class Meta:
        ordering = ["repository_id", "period", "-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "period", "start"], name="digest_repo_period_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} digest of repository {self.repository_id} from {self.start}"
