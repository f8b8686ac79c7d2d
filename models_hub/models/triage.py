"""Triage results: what the models suggested for an issue, with evidence, and what maintainers
decided about each suggestion (the decisions are training data)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Priority(models.TextChoices):
    CRITICAL = "critical"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


class TriageResult(models.Model):
    """One triage run over one issue, tied to the model versions that produced it.

    Runs are kept (history); `is_current` marks the latest per issue. An issue is untriaged
    until a maintainer marks its current result reviewed.
    """

    repository = models.ForeignKey(
        "community.Repository", on_delete=models.CASCADE, related_name="triage_results"
    )
    issue = models.ForeignKey(
        "community.Issue", on_delete=models.CASCADE, related_name="triage_results"
    )
    is_current = models.BooleanField(default=True)
    text_hash = models.CharField(max_length=64, help_text="sha256 of the text triaged")
    embedding_model_id = models.CharField(max_length=200)
    label_model = models.ForeignKey(
        "models_hub.ModelVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="triage_results",
        help_text="Label classifier version used; empty when none was trained yet",
    )
    labels_abstained = models.BooleanField(
        default=False, help_text="The classifier's best label was below the threshold"
    )
    label_scores = models.JSONField(
        default=dict, blank=True, help_text="Every label's probability, abstained or not"
    )
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    priority_score = models.FloatField(default=0.0)
    priority_signals = models.JSONField(
        default=list, blank=True, help_text="[{signal, weight, detail}] behind the priority"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue"],
                condition=models.Q(is_current=True),
                name="triageresult_one_current",
            )
        ]
        indexes = [
            models.Index(
                fields=["repository", "is_current", "reviewed_at"], name="triageresult_queue"
            )
        ]

    def __str__(self) -> str:
        return f"triage of issue {self.issue_id} ({self.created_at:%Y-%m-%d %H:%M})"


class SuggestionKind(models.TextChoices):
    LABEL = "label"
    DUPLICATE = "duplicate"
    ASSIGNEE = "assignee"
    PRIORITY = "priority"


class TriageSuggestion(models.Model):
    """One suggestion of a result. `value` is what is suggested in words (label name, issue
    number, login, priority level); exactly the matching foreign key is set for labels,
    duplicates and assignees. `evidence` lists the neighbours or signals behind it:
    [{"issue_id", "number", "title", "score", "labels"|"resolved_by"|…}]."""

    result = models.ForeignKey(TriageResult, on_delete=models.CASCADE, related_name="suggestions")
    kind = models.CharField(max_length=20, choices=SuggestionKind.choices)
    value = models.CharField(max_length=200)
    score = models.FloatField(help_text="Confidence or similarity, 0 to 1")
    rank = models.PositiveSmallIntegerField(default=0)
    label = models.ForeignKey(
        "community.Label", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        "community.Issue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignee = models.ForeignKey(
        "community.Actor", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["kind", "rank"]
        indexes = [models.Index(fields=["result", "kind"], name="triagesuggestion_result_kind")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value} ({self.score:.2f})"


class FeedbackDecision(models.TextChoices):
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class WriteBackStatus(models.TextChoices):
    NONE = "none", "Not written back"
    DRY_RUN = "dry_run", "Dry run (logged only)"
    WRITTEN = "written", "Written to GitHub"
    SKIPPED = "skipped", "Skipped by the repository's rules"
    FAILED = "failed", "GitHub refused"


class SuggestionFeedback(models.Model):
    """A maintainer's decision on one suggestion. `issue`, `kind` and `value` are copied from
    the suggestion so training reads decisions without joining through results."""

    suggestion = models.OneToOneField(
        TriageSuggestion, on_delete=models.CASCADE, related_name="feedback"
    )
    issue = models.ForeignKey(
        "community.Issue", on_delete=models.CASCADE, related_name="triage_feedback"
    )
    kind = models.CharField(max_length=20, choices=SuggestionKind.choices)
    value = models.CharField(max_length=200)
    decision = models.CharField(max_length=10, choices=FeedbackDecision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField()
    write_back_status = models.CharField(
        max_length=10, choices=WriteBackStatus.choices, default=WriteBackStatus.NONE
    )
    write_back_detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_at"]
        indexes = [models.Index(fields=["issue", "kind"], name="suggestionfeedback_issue_kind")]

    def __str__(self) -> str:
        return f"{self.decision} {self.kind} {self.value} on issue {self.issue_id}"


class TriageSettings(models.Model):
    """Per-repository triage rules. Write-back to GitHub is off by default; when on, dry-run is
    on by default (the change is logged on the feedback row, not sent)."""

    repository = models.OneToOneField(
        "community.Repository", on_delete=models.CASCADE, related_name="triage_settings"
    )
    label_threshold = models.FloatField(
        default=0.5, help_text="Label suggestions below this confidence abstain"
    )
    write_back_enabled = models.BooleanField(default=False)
    write_back_dry_run = models.BooleanField(default=True)
    write_back_min_score = models.FloatField(
        default=0.8, help_text="Accepted suggestions scoring below this are not written back"
    )
    write_back_labels = models.BooleanField(default=True)
    write_back_duplicate_comment = models.BooleanField(default=False)
    excluded_authors = models.TextField(
        blank=True, help_text="Logins (one per line or comma-separated) never written back to"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "triage settings"

    def __str__(self) -> str:
        return f"triage settings of repository {self.repository_id}"

    @property
    def excluded_logins(self) -> set[str]:
        raw = self.excluded_authors.replace(",", "\n")
        return {login.strip().lower() for login in raw.splitlines() if login.strip()}
