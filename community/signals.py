"""Signals the community app sends about GitHub data it wrote: the one seam through which the
apps above it (analytics, the model hub) hear that community data changed, without the community
app knowing who listens. Listeners connect in their AppConfig.ready.

- `issue_text_changed`: issues were opened, had their title or body changed, were reopened or
  were transferred in. Receivers get `issue_ids` (GitHub ids of stored issues) and `reason` (one
  of `REASONS`). The issue upserts detect the change (only while someone listens: a write nobody
  listens to costs no extra query) and send it once the writer's transaction commits.
- `community_data_written`: a sync or a webhook delivery finished writing. Receivers get
  `repository_ids`, `kind` (`WEBHOOK` or `SYNC`) and `complete` (False for a sync that paused or
  will continue: more data is coming). Sent once the writer's transaction commits.
- `repositories_left_public`: repositories that were public and are no longer (privatized,
  deleted on GitHub, untracked). Receivers get `repository_ids` *inside* the writer's
  transaction and withdraw them from every public aggregate there (analytics), so nothing
  computed while they were public outlives it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

from community.models import Delivery, Repository

issue_text_changed = Signal()
community_data_written = Signal()
repositories_left_public = Signal()

OPENED, EDITED, REOPENED, TRANSFERRED, SYNCED = (
    "opened",
    "edited",
    "reopened",
    "transferred",
    "synced",
)
REASONS = (OPENED, EDITED, REOPENED, TRANSFERRED, SYNCED)
# Reasons whose issues are announced only when their title or body really changed (GitHub sends
# `edited` for other fields too, and a sync rewrites every issue updated since its cursor).
COMPARED_REASONS = frozenset({EDITED, SYNCED})

WEBHOOK, SYNC = "webhook", "sync"
KINDS = (WEBHOOK, SYNC)


def issue_text_changed_send_on_commit(*, sender: object, issue_ids: Iterable[int], reason: str):
    """Announce these issues' new text once the current transaction commits (never on rollback)."""
    ids = sorted(set(issue_ids))
    if ids:
        transaction.on_commit(
            lambda: issue_text_changed.send(sender=sender, issue_ids=ids, reason=reason)
        )


def community_data_written_send_on_commit(
    *, sender: object, repository_ids: Iterable[int], kind: str, complete: bool = True
) -> None:
    """Announce that a sync or a delivery wrote to these repositories, once that is committed."""
    ids = sorted(set(repository_ids))
    transaction.on_commit(
        lambda: community_data_written.send(
            sender=sender, repository_ids=ids, kind=kind, complete=complete
        )
    )


def delivery_written_send(*, delivery_pk: int) -> None:
    """`community_data_written` (kind `webhook`) for the repository a delivery was about; its
    row is read only while someone listens."""
    if not community_data_written.has_listeners():
        return
    rows = Delivery.objects.filter(pk=delivery_pk).values_list("repository_github_id", flat=True)
    repository_id = rows.first()
    community_data_written_send_on_commit(
        sender=Delivery,
        repository_ids=[repository_id] if repository_id is not None else [],
        kind=WEBHOOK,
    )


def sync_written_send(*, repository_id: int, status: str) -> None:
    """`community_data_written` (kind `sync`) after a sync task's run; only an `ok` sync is
    complete (a paused or continued one has more to bring)."""
    community_data_written_send_on_commit(
        sender=Repository, repository_ids=[repository_id], kind=SYNC, complete=status == "ok"
    )
