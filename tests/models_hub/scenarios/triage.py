"""A small labelled repository for triage tests: bug reports, feature requests and questions
that read like real issues (so the real model separates them), with their embeddings."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from django.utils import timezone

from community.models import Issue, Label, Repository
from models_hub.embeddings.store import issues_embed
from tests.factories import IssueFactory, LabelFactory, RepositoryFactory

COMPONENTS = (
    "table widget",
    "theme loader",
    "SVG export",
    "event loop",
    "grid layout",
    "font cache",
)
TRIGGERS = ("the window is resized", "an empty list is passed", "emoji are rendered")
EXCEPTIONS = ("KeyError: 'fg'", "TypeError: unsupported operand", "ValueError: width must be > 0")
FEATURES = ("dark mode presets", "PNG export", "keyboard navigation", "a JSON output format")
TASKS = ("change the default font", "align two tables", "disable colors in CI logs")


def bug_text(n: int) -> tuple[str, str]:
    component, trigger, error = _pick(n, COMPONENTS, TRIGGERS, EXCEPTIONS)
    return (
        f"{component.capitalize()} crashes with {error} when {trigger}",
        f"Steps to reproduce: use the {component} and make sure {trigger}.\n"
        f"Traceback (most recent call last):\n{error}\nExpected: no exception.",
    )


def feature_text(n: int) -> tuple[str, str]:
    component, feature, _ = _pick(n, COMPONENTS, FEATURES, ("",))
    return (
        f"Feature request: support {feature} in the {component}",
        f"It would be great to have {feature}. Proposal: an opt-in option on the {component}; "
        "I am happy to send a pull request.",
    )


def question_text(n: int) -> tuple[str, str]:
    component, task, _ = _pick(n, COMPONENTS, TASKS, ("",))
    return (
        f"How do I {task} with the {component}?",
        f"Hi! I am trying to {task} using the {component} but could not find how in the docs. "
        "Is there a supported way? Thanks!",
    )


PAGES = ("README", "tutorial", "API reference", "changelog")


def docs_text(n: int) -> tuple[str, str]:
    page, task, _ = _pick(n, PAGES, TASKS, ("",))
    return (
        f"Docs: typo and missing example in the {page}",
        f"The {page} has a spelling mistake and never shows how to {task}. "
        "Suggested fix: correct the typo and add a short example to the documentation.",
    )


WRITERS = {
    "bug": bug_text,
    "enhancement": feature_text,
    "question": question_text,
    "documentation": docs_text,
}


def _pick(n: int, *choices: Sequence[str]) -> tuple[str, ...]:
    combos = list(itertools.product(*choices))
    return combos[(n * 7) % len(combos)]


def labelled_repository(
    *,
    per_label: dict[str, int],
    encoder,
    repository: Repository | None = None,
    closed_days_ago: float | None = 20,
) -> tuple[Repository, dict[str, Label], dict[str, list[Issue]]]:
    """A repository whose issues carry the labels of `per_label` (counts), embedded with
    `encoder`. Issues are closed `closed_days_ago` days ago (None: left open)."""
    repository = repository or RepositoryFactory()
    labels = {name: LabelFactory(repository=repository, name=name) for name in WRITERS}
    issues: dict[str, list[Issue]] = {}
    for name, count in per_label.items():
        for n in range(count):
            issues.setdefault(name, []).append(
                issue_with_text(
                    repository,
                    *WRITERS[name](n),
                    labels=[labels[name]],
                    closed_days_ago=closed_days_ago,
                )
            )
    every = [issue.pk for group in issues.values() for issue in group]
    issues_embed(issue_ids=every, encoder=encoder)
    return repository, labels, issues


def issue_with_text(
    repository: Repository,
    title: str,
    body: str,
    *,
    labels: Sequence[Label] = (),
    closed_days_ago: float | None = None,
    **fields,
) -> Issue:
    if closed_days_ago is not None:
        closed_at = timezone.now() - dt.timedelta(days=closed_days_ago)
        fields = {
            "state": "closed",
            "state_reason": "completed",
            "created_at": closed_at - dt.timedelta(days=3),
            "closed_at": closed_at,
            "updated_at": closed_at,
            **fields,
        }
    return IssueFactory(
        repository=repository, title=title, body=body, labels=list(labels), **fields
    )
