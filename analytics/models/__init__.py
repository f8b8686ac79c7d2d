"""Derived data (rollups, fill state, snapshots, digests) and contributor identities."""

from analytics.models.affiliations import Affiliation, AffiliationSource
from analytics.models.digests import Digest
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
    "Affiliation",
    "AffiliationSource",
    "AttentionSnapshot",
    "ContributorIdentity",
    "Digest",
    "FillState",
    "IdentityMembership",
    "MergeProposal",
    "MetricRollup",
    "RepositorySnapshot",
    "Scope",
]
