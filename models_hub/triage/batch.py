"""Triage many issues: what the triage task, the backfill command and the demo share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from community.models import Issue
from models_hub.models import TriageResult
from models_hub.triage.service import issue_is_triageable, issue_triage

if TYPE_CHECKING:
    from models_hub.embeddings.encoder import Encoder


@dataclass(frozen=True)
class TriageCounts:
    triaged: int = 0  # a new current result was stored
    unchanged: int = 0  # same text and model versions: the current result stands
    skipped: int = 0  # closed, deleted or unknown issues

    def __add__(self, other: TriageCounts) -> TriageCounts:
        return TriageCounts(
            self.triaged + other.triaged,
            self.unchanged + other.unchanged,
            self.skipped + other.skipped,
        )

    def as_dict(self) -> dict[str, int]:
        return {"triaged": self.triaged, "unchanged": self.unchanged, "skipped": self.skipped}


def issues_triage(
    *,
    issue_ids: Sequence[int],
    force: bool = False,
    encoder: Encoder | None = None,
    progress: Callable[[int], object] | None = None,
    open_only: bool = True,
) -> TriageCounts:
    """Triage the issues among `issue_ids` (open ones only by default), one transaction each."""
    issues = Issue.objects.select_related("repository").in_bulk(list(issue_ids))
    current = dict(
        TriageResult.objects.filter(issue_id__in=list(issues), is_current=True).values_list(
            "issue_id", "pk"
        )
    )
    triaged = unchanged = 0
    for pk in issue_ids:
        issue = issues.get(pk)
        if issue is not None and issue_is_triageable(issue, open_only=open_only):
            result = issue_triage(issue=issue, force=force, encoder=encoder)
            if result.pk == current.get(pk):
                unchanged += 1
            else:
                triaged += 1
        if progress is not None:
            progress(1)
    return TriageCounts(triaged, unchanged, len(issue_ids) - triaged - unchanged)
