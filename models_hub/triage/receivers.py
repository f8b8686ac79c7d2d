"""The model hub listening to the community app: new issue texts get embedded and triaged."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver

from community.signals import REOPENED, issue_text_changed
from models_hub.triage.service import issue_triage_reopened
from models_hub.triage.tasks import issues_embed_and_triage


@receiver(issue_text_changed, dispatch_uid="models_hub_triage_on_issue_text")
def triage_changed_issues(sender, issue_ids: list[int], reason: str, **kwargs) -> None:
    """Queue embed → triage once the writer's transaction commits (never for rolled-back rows).

    A reopened issue keeps its text, so triage is forced, and its reviewed result is retired
    with the reopening (same transaction): the new run starts unreviewed, back in the queue, and
    its neighbours and resolvers may have changed since it was closed.
    """
    if not settings.STEWARD_TRIAGE_AUTO or not issue_ids:
        return
    ids, force = list(issue_ids), reason == REOPENED
    if force:
        issue_triage_reopened(issue_ids=ids)
    transaction.on_commit(lambda: issues_embed_and_triage(issue_ids=ids, force=force))
