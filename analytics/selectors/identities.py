"""The identities page: undecided merge proposals as one cluster per person, and the people
already merged."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from analytics.models import ContributorIdentity, IdentityMembership, MergeProposal
from analytics.services.identity_evidence import Components, weakest_link
from community.models import Actor

CLUSTERS_SHOWN = 100


@dataclass
class ProposedAccount:
    actor: Actor
    # Accounts it is already one person with (a confirmed merge), outside this proposal.
    merged_with: list[Actor] = field(default_factory=list)


@dataclass
class ProposedCluster:
    """Accounts proposed as one person, with the evidence of each pair between them."""

    accounts: list[ProposedAccount]
    pairs: list[MergeProposal]

    @property
    def score(self) -> float:
        return weakest_link(_Edge(p) for p in self.pairs)

    @property
    def key(self) -> str:
        """What the page's checkbox posts: exactly the pairs it showed."""
        return ",".join(str(pair.pk) for pair in self.pairs)


@dataclass(frozen=True)
class _Edge:
    proposal: MergeProposal

    @property
    def low(self) -> int:
        return self.proposal.actor_low_id

    @property
    def high(self) -> int:
        return self.proposal.actor_high_id

    @property
    def score(self) -> float:
        return self.proposal.score


def _identity_members(actor_ids: set[int]) -> tuple[dict[int, int], dict[int, list[Actor]]]:
    """(actor → identity, identity → its accounts) for the identities of these actors."""
    of_actor = dict(
        IdentityMembership.objects.filter(actor_id__in=actor_ids).values_list(
            "actor_id", "identity_id"
        )
    )
    members: dict[int, list[Actor]] = {}
    rows = IdentityMembership.objects.filter(identity_id__in=set(of_actor.values()))
    for membership in rows.select_related("actor").order_by("actor__login"):
        members.setdefault(membership.identity_id, []).append(membership.actor)
    return of_actor, members


def identity_proposal_clusters(*, limit: int = CLUSTERS_SHOWN) -> list[ProposedCluster]:
    """Undecided proposals grouped into clusters (connected accounts), surest first."""
    proposals = list(
        MergeProposal.objects.filter(status=MergeProposal.Status.PROPOSED)
        .select_related("actor_low", "actor_high")
        .order_by("actor_low_id", "actor_high_id")
    )
    actor_ids = {i for p in proposals for i in (p.actor_low_id, p.actor_high_id)}
    identity_of, members = _identity_members(actor_ids)
    # A pair merged meanwhile (in one identity already) is nothing to decide.
    proposals = [
        p
        for p in proposals
        if p.actor_low_id not in identity_of
        or identity_of[p.actor_low_id] != identity_of.get(p.actor_high_id)
    ]
    components = Components()  # the accounts of one identity are one node

    def node(actor_id: int) -> tuple[str, int]:
        identity = identity_of.get(actor_id)
        return ("identity", identity) if identity is not None else ("account", actor_id)

    for p in proposals:
        components.union(node(p.actor_low_id), node(p.actor_high_id))
    grouped: dict[tuple[str, int], list[MergeProposal]] = {}
    for p in proposals:
        grouped.setdefault(components.find(node(p.actor_low_id)), []).append(p)
    clusters = []
    for pairs in grouped.values():
        actors = {a.pk: a for p in pairs for a in (p.actor_low, p.actor_high)}
        accounts = [
            ProposedAccount(
                actor=actor,
                merged_with=[
                    other
                    for other in members.get(identity_of.get(actor.pk, 0), [])
                    if other.pk not in actors
                ],
            )
            for actor in sorted(actors.values(), key=lambda a: a.login.casefold())
        ]
        clusters.append(ProposedCluster(accounts=accounts, pairs=pairs))
    clusters.sort(key=lambda c: (-c.score, -len(c.accounts), c.accounts[0].actor.login))
    return clusters[:limit]


def identities_merged(*, limit: int = 200) -> QuerySet[ContributorIdentity]:
    return ContributorIdentity.objects.prefetch_related("actors").order_by("display_name")[:limit]
