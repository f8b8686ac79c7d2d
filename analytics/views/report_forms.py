"""The controls of the contributor board, cycle-time and report pages: a time window (a preset or
from/to dates) plus each page's own filters. Every form can say what the page actually shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.utils import timezone

from analytics.metrics.contributors_board import BOARD_COLUMNS
from analytics.metrics.reports import AUTHOR_TYPES

PRESETS = {"30d": ("Last 30 days", 30), "90d": ("Last 90 days", 90),
           "12m": ("Last 12 months", 365), "all": ("All time", None)}  # fmt: skip
CUSTOM = "custom"


@dataclass(frozen=True)
class Window:
    """[start, end) in UTC; start None means from the beginning. first_day/last_day: the dates
    the controls show (the last day is included)."""

    preset: str
    start: dt.datetime | None
    end: dt.datetime

    @property
    def first_day(self) -> dt.date | None:
        return self.start.date() if self.start else None

    @property
    def last_day(self) -> dt.date:
        return (self.end - dt.timedelta(days=1)).date()

    @property
    def label(self) -> str:
        if self.preset in PRESETS and self.preset != "all":
            return PRESETS[self.preset][0]
        if self.start is None:
            return "All time"
        return f"{self.first_day:%Y-%m-%d} to {self.last_day:%Y-%m-%d}"


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


class WindowForm(forms.Form):
    preset = forms.ChoiceField(
        choices=[(k, label) for k, (label, _) in PRESETS.items()], required=False
    )
    start = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    default_preset = "90d"

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError("The window must start before it ends.")
        return data

    def data_or_defaults(self) -> dict:
        """The valid choices; an invalid one (a repository the user may not see, a reversed
        window) falls back to its default without dropping the others."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = dict(self.cleaned_data)
        if self.non_field_errors():
            data.pop("start", None)
            data.pop("end", None)
        return data

    def window(self, *, today: dt.date | None = None) -> Window:
        """The chosen window: from/to dates when given (the form), else a preset (the links)."""
        data = self.data_or_defaults()
        today = today or timezone.now().date()
        start, end = data.get("start"), data.get("end")
        if start or end:
            stop = _midnight(end or today) + dt.timedelta(days=1)
            return Window(CUSTOM, _midnight(start) if start else None, stop)
        preset = data.get("preset") or self.default_preset
        if preset not in PRESETS:
            preset = self.default_preset
        days = PRESETS[preset][1]
        stop = _midnight(today) + dt.timedelta(days=1)
        return Window(preset, stop - dt.timedelta(days=days) if days else None, stop)

    def typed_dates(self) -> dict | None:
        """{"start", "end"} as the user typed them when the window was rejected (reversed, or
        not a date): the controls show them again beside the error, else None."""
        if not self.is_bound:
            return None
        self.is_valid()
        if not (self.non_field_errors() or "start" in self.errors or "end" in self.errors):
            return None
        return {"start": self.data.get("start", ""), "end": self.data.get("end", "")}

    def window_errors(self) -> list[str]:
        """Why the typed window was not used."""
        if not self.is_bound:
            return []
        self.is_valid()
        errors = list(self.non_field_errors())
        for name in ("start", "end"):
            errors += [f"{self.fields[name].label}: {e}" for e in self.errors.get(name, [])]
        return errors

    def showing_data(self, window: Window) -> dict:
        """What the controls show: the window plotted, with the other fields as chosen."""
        shown = {k: v for k, v in self.data_or_defaults().items() if v not in (None, "", [])}
        shown.pop("preset", None)
        shown["end"] = window.last_day.isoformat()
        shown["start"] = window.first_day.isoformat() if window.first_day else ""
        return shown


class LeaderboardForm(WindowForm):
    SORTS = [(c, c) for c in [*BOARD_COLUMNS, "login"]]
    repository = forms.ChoiceField(required=False, label="Repository")
    sort = forms.ChoiceField(choices=SORTS, required=False)
    order = forms.ChoiceField(choices=[("desc", "desc"), ("asc", "asc")], required=False)
    bots = forms.BooleanField(required=False, label="Include bots")

    def __init__(self, *args, repositories, **kwargs):
        super().__init__(*args, **kwargs)
        names = [r.full_name for r in repositories]
        self.fields["repository"].choices = [("", "All repositories")] + [(n, n) for n in names]

    def sorting(self) -> tuple[str, bool]:
        """(column, descending): total, most first, unless chosen otherwise."""
        data = self.data_or_defaults()
        column = data.get("sort") or "total"
        default_order = "asc" if column == "login" else "desc"
        return column, (data.get("order") or default_order) == "desc"


class CycleTimeForm(WindowForm):
    default_preset = "12m"


class ReportForm(WindowForm):
    KINDS = [("issue", "Issues"), ("pr", "Pull requests"), ("both", "Issues and pull requests")]
    STATES = [("any", "Open or closed"), ("open", "Open"), ("closed", "Closed")]
    AUTHORS = [("any", "Anyone"), ("human", "Humans"), ("bot", "Bots"),
               ("first_time", "First-time contributors")]  # fmt: skip
    repository = forms.ChoiceField(required=False, label="Repository")
    kind = forms.ChoiceField(choices=KINDS, required=False, label="Items")
    labels = forms.CharField(
        required=False, max_length=500, label="Labels", help_text="all of these, comma-separated"
    )
    measure = forms.CharField(
        required=False, max_length=500, label="Time in labels", help_text="comma-separated"
    )
    author_type = forms.ChoiceField(choices=AUTHORS, required=False, label="Opened by")
    state = forms.ChoiceField(choices=STATES, required=False, label="State")
    default_preset = "30d"

    def __init__(self, *args, repositories, **kwargs):
        super().__init__(*args, **kwargs)
        names = [r.full_name for r in repositories]
        self.fields["repository"].choices = [("", "All repositories")] + [(n, n) for n in names]

    def filters(self) -> dict:
        data = self.data_or_defaults()
        labels = _names(data.get("labels"))
        author_type = data.get("author_type") or "any"
        assert author_type in AUTHOR_TYPES
        kind = data.get("kind") or "issue"
        return {
            "repository": data.get("repository") or "",
            "kind": kind,
            "kinds": ["issue", "pr"] if kind == "both" else [kind],
            "labels": labels,
            "author_type": author_type,
            "state": data.get("state") or "any",
            "measure": _names(data.get("measure")),
        }


def _names(text: str | None) -> list[str]:
    """Comma-separated label names, stripped, each once (case-insensitive), in order."""
    names: dict[str, str] = {}
    for name in (text or "").split(","):
        if name.strip():
            names.setdefault(name.strip().lower(), name.strip())
    return list(names.values())
