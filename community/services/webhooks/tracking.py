"""Which repositories a delivery may create or update: the tracking policy.

Every verified delivery was signed with our secret, but that proves less than it seems: anyone may
install a public GitHub App on their own account, and its deliveries are signed with the App's
secret too. So a repository Steward has not stored yet is added (and listed publicly, when
public) only under the policy `STEWARD_TRACK_REPOSITORIES`:

- `configured` (the production default): only repositories owned by an account in
  `STEWARD_TRACKED_OWNERS` (logins, any case) or reached through an installation in
  `STEWARD_TRACKED_INSTALLATIONS`;
- `all` (the embedded default: the demo, a developer's machine, the tests): any repository a
  signed delivery names.

In both, a delivery through an installation known to be suspended or uninstalled adds nothing.
A repository already stored keeps its own flag whatever the policy: `tracked=True` (added by a
maintainer, or before the policy) is updated, `tracked=False` (untracked on purpose, or gone from
its installation) is left alone. A delivery that may not touch its repository is stored and
marked ignored, with the reason as its note.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from community.github.payloads import GitHubRepository, GitHubUser
from community.models import Delivery, Installation, InstallationStatus, Repository
from community.services import upserts

TRACK_ALL = "all"
TRACK_CONFIGURED = "configured"
TRACK_POLICIES = (TRACK_CONFIGURED, TRACK_ALL)


def _installation_refusal(delivery: Delivery) -> str | None:
    if delivery.installation_id is None:
        return None
    status = (
        Installation.objects.filter(pk=delivery.installation_id)
        .values_list("status", flat=True)
        .first()
    )
    if status in (None, InstallationStatus.ACTIVE):
        return None
    return f"installation {delivery.installation_id} is {status}"


def owner_refusal(*, owner: GitHubUser | None, installation_id: int | None) -> str | None:
    """Why the policy keeps repositories of `owner` (through `installation_id`) out; None if not."""
    if settings.STEWARD_TRACK_REPOSITORIES == TRACK_ALL:
        return None
    owners = {login.lower() for login in settings.STEWARD_TRACKED_OWNERS}
    if owner is not None and owner.login.lower() in owners:
        return None
    if installation_id is not None and installation_id in settings.STEWARD_TRACKED_INSTALLATIONS:
        return None
    who = f"owner {owner.login}" if owner is not None else "an unknown owner"
    via = f", installation {installation_id}" if installation_id is not None else ""
    return (
        f"{who}{via} is not configured (STEWARD_TRACK_REPOSITORIES={TRACK_CONFIGURED}: "
        "STEWARD_TRACKED_OWNERS, STEWARD_TRACKED_INSTALLATIONS)"
    )


def delivery_tracking_refusal(*, delivery: Delivery, repository: GitHubRepository) -> str | None:
    """Why `delivery` may not add the unstored `repository`; None when it may."""
    refusal = _installation_refusal(delivery) or owner_refusal(
        owner=repository.owner, installation_id=delivery.installation_id
    )
    return f"repository {repository.full_name} is not tracked: {refusal}" if refusal else None


def repository_for_delivery(
    *, delivery: Delivery, data: dict[str, Any], at: str = "repository"
) -> tuple[Repository | None, str]:
    """Refresh (or create) the repository `data` describes; (None, why) when it must not be."""
    payload = GitHubRepository.from_json(data, at=at)
    stored = Repository.objects.filter(pk=payload.id).values_list("tracked", flat=True).first()
    if stored is False:
        return None, f"repository {payload.full_name} is not tracked"
    if stored is None:
        refusal = delivery_tracking_refusal(delivery=delivery, repository=payload)
        if refusal:
            return None, refusal
    return upserts.repository_upsert(payload=payload), ""
