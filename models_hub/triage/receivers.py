"""The model hub listening to the community app: new issue texts get embedded and triaged.

The receiver is connected only while STEWARD_TRIAGE_AUTO is on (at start-up, and again whenever
the setting changes, as tests do): with automatic triage off nobody listens, and the issue
upserts skip reading the stored texts they would compare.
"""

from __future__ import annotations

from django.conf import settings
from django.core.signals import setting_changed

from community.signals import REOPENED, issue_text_changed
from models_hub.triage.service import issue_triage_reopened
from models_hub.triage.tasks import issues_embed_and_triage

DISPATCH_UID = "models_hub_triage_on_issue_text"


def triage_changed_issues(sender, issue_ids: list[int], reason: str, **kwargs) -> None:
    """Queue embed → triage; the signal comes once the writer's transaction committed (never
    for rolled-back rows).

    A reopened issue keeps its text, so triage is forced, and its reviewed result is retired
    with the reopening: the new run starts unreviewed, back in the queue, and its neighbours
    and resolvers may have changed since it was closed.
    """
    if not settings.STEWARD_TRIAGE_AUTO or not issue_ids:
        return
    ids, force = list(issue_ids), reason == REOPENED
    if force:
        issue_triage_reopened(issue_ids=ids)
    issues_embed_and_triage(issue_ids=ids, force=force)


def triage_receiver_connect() -> None:
    """Listen to new issue texts exactly while automatic triage is on."""
    if settings.STEWARD_TRIAGE_AUTO:
        issue_text_changed.connect(triage_changed_issues, dispatch_uid=DISPATCH_UID)
    else:
        issue_text_changed.disconnect(dispatch_uid=DISPATCH_UID)


def _triage_setting_changed(setting: str, **kwargs) -> None:
    if setting == "STEWARD_TRIAGE_AUTO":
        triage_receiver_connect()


def triage_receivers_install() -> None:
    """Called from the app's ready()."""
    triage_receiver_connect()
    setting_changed.connect(_triage_setting_changed, dispatch_uid=f"{DISPATCH_UID}_setting")
