"""What analytics does when the community app says its data changed."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver

from analytics.services.rollups import public_aggregates_withdraw
from community.signals import repositories_left_public


@receiver(repositories_left_public, dispatch_uid="analytics_withdraw_from_public_aggregates")
def withdraw_from_public_aggregates(sender, repository_ids, **kwargs) -> None:
    """Privatized, deleted or untracked: out of every public aggregate in the same transaction,
    and the public rollups recomputed without it once that transaction commits."""
    from analytics.tasks import rollups_public_recompute

    public_aggregates_withdraw(repository_ids=list(repository_ids))
    transaction.on_commit(rollups_public_recompute.delay)
