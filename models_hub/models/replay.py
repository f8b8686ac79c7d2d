"""Challenger replays: what would change if a candidate version replaced the champion.

A replay runs the candidate and a baseline (the champion when the replay was asked for, or any
version to compare with) over a repository's latest triaged issues with the rule production
uses, and keeps every label suggestion that differs. Computed by
`models_hub.triage.replay.challenger_replay_run`.
"""

from __future__ import annotations

from django.db import models


class ReplayStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ChallengerReplay(models.Model):
    """`changes`: one entry per issue whose label suggestion differs, in the order the issues
    were compared: {"issue_id", "number", "title", "before": {"label", "confidence"},
    "after": {"label", "confidence"}}; a `label` of null means the version abstained."""

    candidate = models.ForeignKey(
        "models_hub.ModelVersion", on_delete=models.CASCADE, related_name="replays"
    )
    baseline = models.ForeignKey(
        "models_hub.ModelVersion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The version compared with; empty: there was no champion (no suggestions)",
    )
    limit = models.PositiveIntegerField(default=50, help_text="Latest triaged issues replayed")
    status = models.CharField(
        max_length=10, choices=ReplayStatus.choices, default=ReplayStatus.PENDING
    )
    issues_compared = models.PositiveIntegerField(default=0)
    changes = models.JSONField(default=list, blank=True)
    detail = models.TextField(blank=True, help_text="Why it failed")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["candidate", "baseline", "-created_at"], name="replay_pair_latest")
        ]

    def __str__(self) -> str:
        return f"replay of {self.candidate_id} against {self.baseline_id}: {self.status}"
