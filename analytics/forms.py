"""The dashboards' time-range picker and repository comparison."""

from __future__ import annotations

import datetime as dt

from django import forms

from analytics.charts import COMPARABLE
from analytics.models.rollups import Period
from analytics.selectors.dashboards import MetricRange, metric_range_default

MAX_COMPARED = 8


class RangeForm(forms.Form):
    period = forms.ChoiceField(choices=Period.choices, required=False)
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError("The range must start before it ends.")
        return data

    def metric_range(self, *, today: dt.date | None = None) -> MetricRange:
        """The chosen range, defaults filled in (the last 12 months, or 26 weeks)."""
        data = self.cleaned_data if self.is_valid() else {}
        period = data.get("period") or Period.MONTH
        default = metric_range_default(period=period, today=today)
        return MetricRange(
            period=period,
            start=data.get("start") or default.start,
            end=data.get("end") or default.end,
        )

    def showing(self, metric_range: MetricRange) -> RangeForm:
        """The form as the page shows it: the range actually plotted, defaults included (a
        form with errors is shown as submitted, with them)."""
        if self.is_bound and not self.is_valid():
            return self
        return RangeForm(
            {
                "period": metric_range.period,
                "start": metric_range.start.isoformat(),
                "end": metric_range.end.isoformat(),
            }
        )


class ComparisonForm(forms.Form):
    compare = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    value = forms.ChoiceField(choices=sorted(COMPARABLE.items()), required=False)

    def __init__(self, *args, repositories, **kwargs):
        super().__init__(*args, **kwargs)
        # Names, not database ids, in the page's URLs.
        self.fields["compare"].choices = [(r.full_name, r.full_name) for r in repositories]
        self.repositories = {r.full_name: r for r in repositories}

    def chosen(self) -> tuple[list, str, str]:
        """(repositories, metric, value): the picked ones, or the first few and a default."""
        data = self.cleaned_data if self.is_valid() else {}
        picked = [self.repositories[pk] for pk in data.get("compare") or []]
        repositories = picked or list(self.repositories.values())[:MAX_COMPARED]
        metric, value = (data.get("value") or "issue_first_response.median").split(".", 1)
        return repositories[:MAX_COMPARED], metric, value

    def showing(self, repositories: list, metric: str, value: str) -> ComparisonForm:
        """The form as the page shows it: the repositories and the metric actually plotted."""
        return ComparisonForm(
            {"compare": [r.full_name for r in repositories], "value": f"{metric}.{value}"},
            repositories=self.repositories.values(),
        )


class DigestGenerateForm(forms.Form):
    """Staff: (re)generate the digest of the week or month containing a day."""

    period = forms.ChoiceField(choices=Period.choices)
    day = forms.DateField(
        label="Containing",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Any day of the week or month",
    )
