"""What a triage card shows: a result's suggestions grouped by kind, each with its evidence in a
shape templates can print without knowing how the engine stored it.

Evidence rows are dicts written by the triage engine ({"issue_id", "number", "title", "score",
"labels", …} for neighbours; {"signal", "weight", "detail"} for priority signals). Known keys
become fields; any other key is kept as a (name, text) detail so nothing the engine recorded is
hidden from the maintainer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.dateparse import parse_datetime

from community.models import Repository
from models_hub.models import SuggestionFeedback, SuggestionKind, TriageResult, TriageSuggestion

KIND_ORDER = (
    SuggestionKind.LABEL,
    SuggestionKind.DUPLICATE,
    SuggestionKind.ASSIGNEE,
    SuggestionKind.PRIORITY,
)
KIND_TITLES = {
    SuggestionKind.LABEL: "Labels",
    SuggestionKind.DUPLICATE: "Possible duplicates",
    SuggestionKind.ASSIGNEE: "Assignees",
    SuggestionKind.PRIORITY: "Priority",
}
_NEIGHBOUR_KEYS = {"issue_id", "number", "title", "score", "similarity", "labels", "state"}


def percent(score: float | None) -> int | None:
    return None if score is None else max(0, min(100, round(score * 100)))


@dataclass(frozen=True)
class Neighbour:
    """One piece of evidence: a similar issue (number, title, similarity, labels) or a signal."""

    number: int | None
    title: str
    url: str
    score: float | None
    labels: list[str]
    details: list[tuple[str, str]]
    state: str = ""  # "open" / "closed" for an issue

    @property
    def percent(self) -> int | None:
        return percent(self.score)


@dataclass(frozen=True)
class SuggestionView:
    suggestion: TriageSuggestion
    feedback: SuggestionFeedback | None
    evidence: list[Neighbour]
    url: str  # where the suggested thing lives in Steward (duplicate issue, assignee), if anywhere
    # A duplicate's own evidence row (its labels, state), shown beside it rather than as a "why".
    target: Neighbour | None = None

    @property
    def percent(self) -> int:
        return percent(self.suggestion.score) or 0

    @property
    def describe(self) -> str:
        """The suggestion in words, for button labels and messages: "label bug"."""
        suggestion = self.suggestion
        if suggestion.kind == SuggestionKind.DUPLICATE:
            number = suggestion.duplicate_of.number if suggestion.duplicate_of else suggestion.value
            return f"duplicate of #{str(number).lstrip('#')}"
        return f"{suggestion.kind} {suggestion.value}"


@dataclass(frozen=True)
class SuggestionGroup:
    kind: str
    title: str
    suggestions: list[SuggestionView]
    more: int = 0  # undecided suggestions left out (the issue's triage page lists them all)


@dataclass(frozen=True)
class Signal:
    """One reason behind the priority: {"signal", "weight", "detail"} as the engine stores it."""

    name: str
    weight: float | None
    detail: str


@dataclass
class TriageCard:
    result: TriageResult
    groups: list[SuggestionGroup] = field(default_factory=list)
    # (label, score) of the classifier's best guess when it abstained.
    best_guess: tuple[str, float] | None = None
    signals: list[Signal] = field(default_factory=list)

    @property
    def issue(self):
        return self.result.issue

    @property
    def signals_apart(self) -> bool:
        """Signals shown on their own: no priority suggestion to show them under."""
        return bool(self.signals) and all(g.kind != SuggestionKind.PRIORITY for g in self.groups)

    @property
    def top_suggestions(self) -> list[SuggestionView]:
        """The best suggestion of each kind: what the queue's one-line row shows."""
        return [group.suggestions[0] for group in self.groups if group.suggestions]

    @property
    def label_suggestion(self) -> SuggestionView | None:
        """The label suggestion the queue row's accept and reject buttons decide."""
        return next(
            (view for view in self.top_suggestions if view.suggestion.kind == SuggestionKind.LABEL),
            None,
        )

    @property
    def evidence_groups(self) -> list[SuggestionGroup]:
        """The groups a queue row's disclosure lists in full (the label is decided in the row)."""
        return [group for group in self.groups if group.kind != SuggestionKind.LABEL]

    @property
    def triage_url(self) -> str:
        owner, _, name = self.result.repository.full_name.partition("/")
        return reverse("triage:issue", args=[owner, name, self.result.issue.number])

    @property
    def settings_url(self) -> str:
        owner, _, name = self.result.repository.full_name.partition("/")
        return reverse("triage:settings", args=[owner, name])

    @property
    def best_guess_percent(self) -> int | None:
        return percent(self.best_guess[1]) if self.best_guess else None

    @property
    def label_model_name(self) -> str:
        model = self.result.label_model
        return f"label model v{model.version}" if model else "no label model trained yet"


def _issue_url(repository: Repository, number: int) -> str:
    owner, _, name = repository.full_name.partition("/")
    return reverse("community:issue_detail", args=[owner, name, number])


def _number(value: Any) -> int | None:
    try:
        return int(str(value).lstrip("#"))
    except (TypeError, ValueError):
        return None


def _score(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.2f}"
    moment = parse_datetime(value) if isinstance(value, str) and len(value) >= 19 else None
    return f"{moment:%Y-%m-%d}" if moment else str(value)


def neighbour(row: Any, *, repository: Repository) -> Neighbour:
    if not isinstance(row, dict):
        return Neighbour(None, str(row), "", None, [], [])
    number = _number(row.get("number"))
    labels = row.get("labels") or []
    return Neighbour(
        number=number,
        title=str(row.get("title") or row.get("signal") or ""),
        url=_issue_url(repository, number) if number is not None else "",
        score=_score(row.get("score", row.get("similarity"))),
        labels=[str(label) for label in labels] if isinstance(labels, list) else [str(labels)],
        state=str(row.get("state") or ""),
        details=[
            (key.replace("_", " "), _text(value))
            for key, value in row.items()
            if key not in _NEIGHBOUR_KEYS and key != "signal" and value not in (None, "", [])
        ],
    )


def _target_url(suggestion: TriageSuggestion) -> str:
    if suggestion.duplicate_of_id and suggestion.duplicate_of is not None:
        return _issue_url(suggestion.duplicate_of.repository, suggestion.duplicate_of.number)
    if suggestion.assignee_id and suggestion.assignee is not None:
        return reverse("community:contributor_detail", args=[suggestion.assignee.login])
    return ""


def suggestion_view(suggestion: TriageSuggestion, *, repository: Repository) -> SuggestionView:
    try:
        feedback = suggestion.feedback
    except SuggestionFeedback.DoesNotExist:
        feedback = None
    rows = suggestion.evidence if isinstance(suggestion.evidence, list) else []
    if suggestion.kind == SuggestionKind.PRIORITY and suggestion.result.priority_signals:
        rows = []  # the card lists the result's priority signals once, under this suggestion
    evidence = [neighbour(row, repository=repository) for row in rows]
    target = None
    if suggestion.kind == SuggestionKind.DUPLICATE:
        number = suggestion.duplicate_of.number if suggestion.duplicate_of else None
        number = number if number is not None else _number(suggestion.value)
        target = next((n for n in evidence if n.number == number), None)
        evidence = [n for n in evidence if n is not target]
    return SuggestionView(
        suggestion=suggestion,
        feedback=feedback,
        evidence=evidence,
        url=_target_url(suggestion),
        target=target,
    )


def _best_guess(result: TriageResult) -> tuple[str, float] | None:
    scores = {
        str(label): score
        for label, score in (result.label_scores or {}).items()
        if _score(score) is not None
    }
    if not result.labels_abstained or not scores:
        return None
    label = max(scores, key=lambda name: float(scores[name]))
    return label, float(scores[label])


def _signals(result: TriageResult) -> list[Signal]:
    rows = result.priority_signals if isinstance(result.priority_signals, list) else []
    return [
        Signal(
            name=str(row.get("signal", "")).replace("_", " "),
            weight=_score(row.get("weight")),
            detail=_text(row.get("detail", "")),
        )
        if isinstance(row, dict)
        else Signal(name=str(row), weight=None, detail="")
        for row in rows
    ]


def _group(kind: str, views: list[SuggestionView], per_kind: int | None) -> SuggestionGroup:
    """The best `per_kind` suggestions of a kind, and every decided one whatever its rank."""
    if per_kind is None:
        return SuggestionGroup(kind, KIND_TITLES[kind], views)
    shown = [v for rank, v in enumerate(views) if rank < per_kind or v.feedback is not None]
    return SuggestionGroup(kind, KIND_TITLES[kind], shown, more=len(views) - len(shown))


def triage_card(result: TriageResult, *, per_kind: int | None = None) -> TriageCard:
    by_kind: dict[str, list[SuggestionView]] = {}
    for suggestion in result.suggestions.all():
        view = suggestion_view(suggestion, repository=result.repository)
        by_kind.setdefault(suggestion.kind, []).append(view)
    groups = [_group(kind, by_kind[kind], per_kind) for kind in KIND_ORDER if kind in by_kind]
    return TriageCard(
        result=result, groups=groups, best_guess=_best_guess(result), signals=_signals(result)
    )


def triage_cards(
    results: Iterable[TriageResult], *, per_kind: int | None = None
) -> list[TriageCard]:
    """Cards for `results`; with `per_kind`, at most that many undecided suggestions of each
    kind (the queue stays short; an issue's own triage page shows them all)."""
    return [triage_card(result, per_kind=per_kind) for result in results]
