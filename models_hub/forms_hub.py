"""Forms of the model hub's pages: the index's filters and the maintainers' actions (card
sections, promotion, aliases, uploads, self-reported benchmark results)."""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.utils.text import slugify

from models_hub.models import CHAMPION, ModelTask
from models_hub.selectors.hub import ModelFilters

SORT_CHOICES = [
    ("updated", "Last updated"),
    ("score", "Score"),
    ("downloads", "Downloads"),
    ("name", "Name"),
]


class ModelFilterForm(forms.Form):
    """GET filters above the index. A value that does not validate is ignored."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name, description or tag"}),
    )
    task = forms.ChoiceField(label="Task", required=False)
    license = forms.ChoiceField(label="Licence", required=False)
    benchmark = forms.ChoiceField(label="Benchmark", required=False)
    repository = forms.ChoiceField(label="Repository", required=False)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_CHOICES)

    def __init__(self, data, *, options: dict[str, list[str]]) -> None:
        super().__init__(data)
        self.fields["task"].choices = [("", "Any task"), *ModelTask.choices]
        for name, empty, values in (
            ("license", "Any licence", options["licenses"]),
            ("benchmark", "Any benchmark", options["benchmarks"]),
            ("repository", "Any repository", options["repositories"]),
        ):
            self.fields[name].choices = [("", empty), *((value, value) for value in values)]

    def filters(self) -> ModelFilters:
        self.is_valid()
        cleaned = {name: value for name, value in self.cleaned_data.items() if value}
        return ModelFilters(**{"sort": "updated", **cleaned})


class CompareForm(forms.Form):
    a = forms.IntegerField(min_value=1)
    b = forms.IntegerField(min_value=1)


class CardSectionForm(forms.Form):
    section_id = forms.CharField(max_length=60, widget=forms.HiddenInput)
    text = forms.CharField(
        label="Text (Markdown)",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class PromoteForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when the version does not beat the champion (a forced promotion).",
    )


class AliasForm(forms.Form):
    """Point a free alias at a version (`version` set) or remove it (`version` empty)."""

    alias = forms.CharField(label="Alias", max_length=60)
    version = forms.IntegerField(label="Version", min_value=1, required=False)
    reason = forms.CharField(label="Reason", required=False, max_length=2_000)

    def clean_alias(self) -> str:
        alias = self.cleaned_data["alias"].strip()
        if slugify(alias) != alias:
            raise forms.ValidationError("Use lowercase letters, digits and dashes.")
        if alias == CHAMPION:
            raise forms.ValidationError(
                "The champion moves only by promotion, through the champion gate."
            )
        return alias


def _json_object(text: str, what: str) -> dict:
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise forms.ValidationError(f"{what} is not valid JSON: {error.msg}.") from error
    if not isinstance(value, dict):
        raise forms.ValidationError(f"{what} must be a JSON object.")
    return value


# Metrics the pages sort, chart and compare by: numbers from 0 to 1 when present.
SCORES = ("macro_f1", "accuracy", "coverage_at_90_precision", "threshold")


class VersionUploadForm(forms.Form):
    weights = forms.FileField(
        label="model.safetensors", help_text="The weights, as a safetensors file."
    )
    config = forms.FileField(label="config.json", required=False)
    readme = forms.FileField(label="README.md", required=False)
    base_model_id = forms.CharField(label="Base model", required=False, max_length=200)
    metrics = forms.CharField(
        label="Metrics (JSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='Optional, e.g. {"macro_f1": 0.81, "evaluated": true}.',
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        limit = settings.STEWARD_MODEL_UPLOAD_MAX_BYTES
        for name in ("weights", "config", "readme"):
            upload = cleaned.get(name)
            if upload is not None and upload.size > limit:
                self.add_error(
                    name,
                    f"{upload.size:,} bytes is over the upload limit of {limit:,} bytes "
                    "(STEWARD_MODEL_UPLOAD_MAX_BYTES).",
                )
        return cleaned

    def clean_metrics(self) -> dict:
        metrics = _json_object(self.cleaned_data["metrics"], "Metrics")
        for key in SCORES:
            value = metrics.get(key)
            if key in metrics and not (
                isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1
            ):
                raise forms.ValidationError(f"Metrics: {key} must be a number from 0 to 1.")
        return metrics


class ResultForm(forms.Form):
    """A self-reported result of one visible version on a benchmark: its metric's value and,
    per subset the benchmark scores separately, that subset's, each a score from 0 to 1 (every
    metric a benchmark here uses is a share or an F1)."""

    version = forms.ChoiceField(label="Version")
    value = forms.FloatField(label="Value", min_value=0, max_value=1)
    coverage = forms.FloatField(
        label="Coverage",
        required=False,
        min_value=0,
        max_value=1,
        help_text="The share of the test issues that got a suggestion (0 to 1), if it abstains.",
    )
    per_subset = forms.CharField(
        label="Per-subset values (JSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    command = forms.CharField(label="Command that reproduces it", required=False)
    reference = forms.URLField(label="Reference", required=False, max_length=300)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self,
        data=None,
        *,
        versions: list[tuple[int, str]],
        subsets: list[str] | None = None,
        metric_name: str = "",
    ) -> None:
        super().__init__(data)
        if metric_name:
            self.fields["value"].label = metric_name
        self.fields["version"].choices = [(str(pk), label) for pk, label in versions]
        self.subsets = list(subsets or [])
        example = json.dumps({name: 0.8 for name in self.subsets[:2]} or {"part": 0.8})
        self.fields["per_subset"].help_text = (
            f"Optional, e.g. {example}; keys: {', '.join(self.subsets)}."
            if self.subsets
            else f"Optional, e.g. {example}."
        )
        self.fields["value"].widget.attrs["step"] = "any"

    def clean_per_subset(self) -> dict:
        values = _json_object(self.cleaned_data["per_subset"], "Per-subset values")
        unknown = sorted(set(values) - set(self.subsets)) if self.subsets else []
        if unknown:
            raise forms.ValidationError(
                f"Per-subset values: {', '.join(unknown)} "
                f"{'is not a subset' if len(unknown) == 1 else 'are not subsets'} of this "
                f"benchmark (one of {', '.join(self.subsets)})."
            )
        if not all(
            isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1
            for v in values.values()
        ):
            raise forms.ValidationError("Per-subset values must be numbers from 0 to 1.")
        return values
