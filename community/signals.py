"""Signals the community app sends about GitHub data it wrote.

`issue_text_changed` tells other apps (the model hub's triage) that issues were opened, had their
title or body edited, were reopened or were transferred in, without the community app knowing
who listens. Receivers get `issue_ids` (GitHub ids of stored issues) and `reason` (one of
`REASONS`); they are called inside the writer's transaction and should queue their work with
`transaction.on_commit`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.dispatch import Signal

from community.models import Issue

issue_text_changed = Signal()
# Repositories that were public and are no longer (privatized, deleted on GitHub, untracked):
# receivers get `repository_ids` inside the writer's transaction and withdraw them from every
# public aggregate there (analytics), so nothing computed while they were public outlives it.
repositories_left_public = Signal()

OPENED, EDITED, REOPENED, TRANSFERRED, SYNCED = (
    "opened",
    "edited",
    "reopened",
    "transferred",
    "synced",
)
REASONS = (OPENED, EDITED, REOPENED, TRANSFERRED, SYNCED)


def issue_texts(*, issue_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """(title, body) of the stored issues among `issue_ids`: taken before a write to compare."""
    rows = Issue.objects.filter(pk__in=list(issue_ids)).values_list("pk", "title", "body")
    return {pk: (title, body) for pk, title, body in rows}


def issue_text_changes_send(
    *, sender: object, before: dict[int, tuple[str, str]], written: Collection[int]
) -> list[int]:
    """Send `issue_text_changed` (reason `synced`) for the written issues that are new or whose
    title or body differ from `before`; return their ids."""
    after = issue_texts(issue_ids=written)
    changed = sorted(pk for pk, text in after.items() if before.get(pk) != text)
    if changed:
        issue_text_changed.send(sender=sender, issue_ids=changed, reason=SYNCED)
    return changed
