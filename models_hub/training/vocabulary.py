"""Which labels a repository's classifier learns, and which issues teach it.

The classifier picks one label per issue (a softmax over the vocabulary), so the vocabulary must
be a family of labels that do not go together, like bug / enhancement / question / documentation,
and not labels that sit on top of them (`area:rendering`, `good first issue`). The rule:

1. An issue's labels are its GitHub labels, plus the label suggestions maintainers accepted in
   Steward (write-back may be off, or not done yet), minus the label suggestions they rejected
   (the latest decision per issue and label counts): a rejected label never makes the issue a
   positive example of it, even when the label is on GitHub. Workflow labels
   (STEWARD_TRIAGE_IGNORED_LABELS: stale, duplicate, needs-triage…) are dropped.
2. Candidates are the labels left on at least `min_per_label` issues.
3. A family grows from each candidate in turn, adding candidates by frequency when at most
   `MAX_OVERLAP` of their issues already carry a label of the family. The family that yields
   the most training examples wins (ties: the one grown from the more frequent label).
4. An issue is an example when it carries exactly one label of the family; an issue with two
   (bug and enhancement) is ambiguous and left out rather than counted twice.
5. Labels with fewer than `min_per_label` examples after that are dropped; fewer than two labels
   left means the repository cannot have a classifier yet.

Only the `MAX_ISSUES` most recently created labelled issues are read: labels drift, and the
recent ones say most about how the repository labels today.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings

from community.models import Issue, Repository
from models_hub.models import FeedbackDecision, SuggestionFeedback, SuggestionKind

MIN_PER_LABEL = 10
MAX_OVERLAP = 0.2
MAX_ISSUES = 5000


@dataclass(frozen=True)
class LabelledExamples:
    """The training examples of one repository: `labels[i]` is the label of `issue_ids[i]`."""

    issue_ids: list[int]
    labels: list[str]
    candidates: dict[str, int]  # label → issues carrying it (after step 1), for the record
    feedback: dict[str, int] = field(default_factory=dict)
    ambiguous: int = 0  # issues with two labels of the family, left out

    @property
    def vocabulary(self) -> list[str]:
        return sorted(set(self.labels))

    @property
    def label_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(self.labels).items()))


def ignored_labels() -> set[str]:
    return {name.strip().lower() for name in settings.STEWARD_TRIAGE_IGNORED_LABELS}


def issue_label_sets(
    *, repository: Repository, limit: int = MAX_ISSUES, created_before: dt.datetime | None = None
) -> tuple[dict[int, set[str]], dict[str, int]]:
    """Step 1: each issue's labels after feedback, and what the feedback changed.
    `created_before`: only issues opened before then (what a training at that time saw)."""
    rows = Issue.labels.through.objects.filter(
        issue__repository=repository, issue__deleted_at__isnull=True
    )
    if created_before is not None:
        rows = rows.filter(issue__created_at__lt=created_before)
    rows = rows.values_list("issue_id", "label__name", "issue__created_at")
    sets: dict[int, set[str]] = {}
    created: dict[int, dt.datetime] = {}
    for issue_id, name, created_at in rows:
        sets.setdefault(issue_id, set()).add(name)
        created[issue_id] = created_at
    counts = Counter(accepted=0, rejected=0, labels_added=0, labels_removed=0)
    for (issue_id, name), (decision, created_at) in _label_feedback(repository).items():
        if created_before is not None and created_at >= created_before:
            continue
        labels = sets.setdefault(issue_id, set())
        created[issue_id] = created_at
        counts[decision] += 1
        if decision == FeedbackDecision.ACCEPTED and name not in labels:
            labels.add(name)
            counts["labels_added"] += 1
        elif decision == FeedbackDecision.REJECTED and name in labels:
            labels.discard(name)
            counts["labels_removed"] += 1
    ignored = ignored_labels()
    kept = {pk: {n for n in labels if n.lower() not in ignored} for pk, labels in sets.items()}
    recent = sorted((pk for pk in kept if kept[pk]), key=lambda pk: (created[pk], pk))[-limit:]
    return {pk: kept[pk] for pk in recent}, dict(counts)


def _label_feedback(repository: Repository) -> dict[tuple[int, str], tuple[str, dt.datetime]]:
    """The latest decision per (issue, label) on label suggestions, with the issue's creation."""
    rows = (
        SuggestionFeedback.objects.filter(
            kind=SuggestionKind.LABEL,
            issue__repository=repository,
            issue__deleted_at__isnull=True,
        )
        .order_by("decided_at", "pk")
        .values_list("issue_id", "value", "decision", "issue__created_at")
    )
    return {(issue, value): (decision, created) for issue, value, decision, created in rows}


def label_family(
    label_sets: Sequence[set[str]], *, min_per_label: int, max_overlap: float = MAX_OVERLAP
) -> list[str]:
    """Steps 2 to 5 on plain label sets: the labels the classifier will learn (sorted)."""
    counts = Counter(name for labels in label_sets for name in labels)
    candidates = sorted(
        (name for name, count in counts.items() if count >= min_per_label),
        key=lambda name: (-counts[name], name),
    )
    issues_of = {
        name: {row for row, labels in enumerate(label_sets) if name in labels}
        for name in candidates
    }
    best_examples, best = 0, []
    for seed in candidates:  # most frequent first: among equal families the first one stays
        family, covered = [seed], set(issues_of[seed])
        for name in candidates:
            if name != seed and len(issues_of[name] & covered) <= max_overlap * counts[name]:
                family.append(name)
                covered |= issues_of[name]
        family = _usable(label_sets, family, min_per_label)
        examples = sum(_exclusive(label_sets, family).values())
        if len(family) >= 2 and examples > best_examples:
            best_examples, best = examples, family
    return sorted(best)


def _exclusive(label_sets: Sequence[set[str]], family: Sequence[str]) -> Counter:
    wanted = set(family)
    counts: Counter = Counter()
    for labels in label_sets:
        mine = labels & wanted
        if len(mine) == 1:
            counts[next(iter(mine))] += 1
    return counts


def _usable(label_sets: Sequence[set[str]], family: list[str], min_per_label: int) -> list[str]:
    """Drop labels with too few exclusive examples until every label left has enough."""
    while True:
        counts = _exclusive(label_sets, family)
        kept = [name for name in family if counts[name] >= min_per_label]
        if kept == family:
            return family
        family = kept


def label_examples(
    *,
    repository: Repository,
    min_per_label: int = MIN_PER_LABEL,
    limit: int = MAX_ISSUES,
    created_before: dt.datetime | None = None,
) -> LabelledExamples:
    """The repository's training examples under the rule of this module's docstring."""
    sets, feedback = issue_label_sets(
        repository=repository, limit=limit, created_before=created_before
    )
    ids = sorted(sets)
    family = set(label_family([sets[pk] for pk in ids], min_per_label=min_per_label))
    examples, ambiguous = [], 0
    for pk in ids:
        mine = sets[pk] & family
        if len(mine) == 1:
            examples.append((pk, next(iter(mine))))
        ambiguous += len(mine) > 1
    candidates = Counter(name for pk in ids for name in sets[pk])
    return LabelledExamples(
        issue_ids=[pk for pk, _ in examples],
        labels=[label for _, label in examples],
        candidates={n: c for n, c in sorted(candidates.items()) if c >= min_per_label},
        feedback=feedback,
        ambiguous=ambiguous,
    )
