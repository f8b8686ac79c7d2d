"""Derived data (rollups, fill state, snapshots) and contributor identities."""

from analytics.models.identities import (
    ActorEmail,
    ContributorIdentity,
    IdentityMembership,
    MergeProposal,
)
from analytics.models.rollups import (
    AttentionSnapshot,
    FillState,
    MetricRollup,
    RepositorySnapshot,
    Scope,
)

__all__ = [
    "ActorEmail",
    "AttentionSnapshot",
    "ContributorIdentity",
    "FillState",
    "IdentityMembership",
    "MergeProposal",
    "MetricRollup",
    "RepositorySnapshot",
    "Scope",
]
