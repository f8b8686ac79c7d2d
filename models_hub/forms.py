"""Forms of the triage pages: queue filters, a decision on a suggestion, per-repository rules."""

from __future__ import annotations

from django import forms

from models_hub.models import FeedbackDecision, Priority, TriageSettings
from models_hub.selectors import QUEUE_KINDS, QueueFilters

KIND_CHOICES = [
    ("", "Any suggestion"),
    *((kind.value, f"Has {kind.label.lower()} suggestions") for kind in QUEUE_KINDS),
]


class QueueFilterForm(forms.Form):
    """GET filters above the queue. A value that does not validate is ignored."""

    repository = forms.ChoiceField(label="Repository", required=False)
    kind = forms.ChoiceField(label="Suggestions", required=False, choices=KIND_CHOICES)
    priority = forms.ChoiceField(
        label="Priority", required=False, choices=[("", "Any priority"), *Priority.choices]
    )

    def __init__(self, data, *, repository_names: list[str]) -> None:
        super().__init__(data)
        self.fields["repository"].choices = [
            ("", "All repositories"),
            *((name, name) for name in repository_names),
        ]

    def filters(self) -> QueueFilters:
        self.is_valid()
        cleaned = self.cleaned_data
        return QueueFilters(
            repository=cleaned.get("repository") or "",
            kind=cleaned.get("kind") or "",
            priority=cleaned.get("priority") or "",
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=FeedbackDecision.choices)


def _unit_interval(value: float, name: str) -> float:
    if not 0.0 <= value <= 1.0:
        raise forms.ValidationError(f"{name} is a score between 0 and 1.")
    return value


class TriageSettingsForm(forms.ModelForm):
    class Meta:
        model = TriageSettings
        fields = [
            "label_threshold",
            "write_back_enabled",
            "write_back_dry_run",
            "write_back_min_score",
            "write_back_labels",
            "write_back_duplicate_comment",
            "excluded_authors",
        ]
        labels = {
            "label_threshold": "Label confidence threshold",
            "write_back_enabled": "Write accepted suggestions back to GitHub",
            "write_back_dry_run": "Dry run (record the request, do not send it)",
            "write_back_min_score": "Minimum score to write back",
            "write_back_labels": "Add accepted labels to the issue",
            "write_back_duplicate_comment": "Comment on accepted duplicates",
            "excluded_authors": "Never write back on issues by",
        }
        help_texts = {
            "label_threshold": "Below this confidence the classifier abstains (0 to 1).",
            "write_back_min_score": "Accepted suggestions scoring less are skipped (0 to 1).",
            "excluded_authors": "GitHub logins, one per line or comma-separated.",
        }
        widgets = {
            "label_threshold": forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": 1}),
            "write_back_min_score": forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": 1}),
            "excluded_authors": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_label_threshold(self) -> float:
        return _unit_interval(self.cleaned_data["label_threshold"], "The threshold")

    def clean_write_back_min_score(self) -> float:
        return _unit_interval(self.cleaned_data["write_back_min_score"], "The minimum score")
