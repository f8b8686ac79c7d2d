"""Which repositories a delivery may create or update: the "tracked" rule.

Every verified delivery was signed with our secret, so it comes from a hook a maintainer pointed
at Steward, or from an installation of our GitHub App:

- a delivery through an installation (`installation.id`) may create its repository unless that
  installation is known to be suspended or uninstalled (Steward stops following it then);
- a delivery with no installation comes from a repository or organization hook configured with
  our secret: a maintainer's explicit choice, so its repository is created tracked;
- a repository already stored with `tracked=False` was untracked on purpose (by a maintainer, or
  because it left the installation): its deliveries are stored but not applied.
"""

from __future__ import annotations

from typing import Any

from community.github.payloads import GitHubRepository
from community.models import Delivery, Installation, InstallationStatus, Repository
from community.services import upserts


def delivery_may_track(*, delivery: Delivery) -> bool:
    if delivery.installation_id is None:
        return True
    status = (
        Installation.objects.filter(pk=delivery.installation_id)
        .values_list("status", flat=True)
        .first()
    )
    return status in (None, InstallationStatus.ACTIVE)


def repository_for_delivery(*, delivery: Delivery, data: dict[str, Any]) -> Repository | None:
    """Refresh (or create) the repository `data` describes; None when it must not be touched."""
    tracked = Repository.objects.filter(pk=int(data["id"])).values_list("tracked", flat=True)
    stored = tracked.first()
    if stored is False:
        return None
    if stored is None and not delivery_may_track(delivery=delivery):
        return None
    return upserts.repository_upsert(payload=GitHubRepository.from_json(data))
