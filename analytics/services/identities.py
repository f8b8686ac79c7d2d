"""One person, several accounts: propose merges from evidence, apply them when confirmed.

`identity_proposals_generate` proposes one cluster per person (analytics.services.
identity_evidence says what counts as evidence and how clusters form). A cluster is stored as
its evidence pairs, one `MergeProposal` per pair of accounts with the reasons and a score, so a
decision is remembered pair by pair: a rejected pair is never evidence again, a confirmed one
is an `IdentityMembership`. Generating again refreshes what is still undecided: new evidence adds
pairs, evidence that went away withdraws them.

Maintainers decide a whole cluster at once (`identity_clusters_decide`), several clusters per
request. Bots are never merged, with people or with each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from analytics.models import ActorEmail, ContributorIdentity, IdentityMembership, MergeProposal
from analytics.services.identity_evidence import Account, identity_clusters, name_key
from analytics.tasks import rollups_recompute
from community.models import Actor, ActorType, PushedCommit

__all__ = [
    "IdentityMergeRefused",
    "ProposalCounts",
    "identity_actor_split",
    "identity_clusters_decide",
    "identity_merge_confirm",
    "identity_merge_reject",
    "identity_proposals_generate",
    "name_key",
]

CONFIRM, REJECT = "confirm", "reject"


class IdentityMergeRefused(ValueError):
    """The accounts cannot be merged (a bot among them)."""


@dataclass(frozen=True)
class ProposalCounts:
    clusters: int  # people waiting for a decision
    new_clusters: int  # of which with evidence not proposed before
    withdrawn: int  # undecided pairs whose evidence went away


def _emails() -> set[tuple[int, str]]:
    """Every (account, address) Steward knows: recorded ones and commit authors'."""
    known = set(ActorEmail.objects.values_list("actor_id", "email"))
    commits = PushedCommit.objects.filter(author__isnull=False).exclude(author_email="")
    known |= set(commits.values_list("author_id", "author_email").distinct())
    return known


def _identities() -> list[list[int]]:
    members: dict[int, list[int]] = {}
    for identity_id, actor_id in IdentityMembership.objects.values_list("identity_id", "actor_id"):
        members.setdefault(identity_id, []).append(actor_id)
    return list(members.values())


@transaction.atomic
def identity_proposals_generate() -> ProposalCounts:
    """Store the clusters the evidence supports now as undecided pair proposals."""
    humans = Actor.objects.filter(is_bot=False, type=ActorType.USER)
    accounts = [Account(*row) for row in humans.values_list("id", "login", "name")]
    decided = MergeProposal.objects.exclude(status=MergeProposal.Status.PROPOSED)
    rejected = decided.filter(status=MergeProposal.Status.REJECTED)
    clusters = identity_clusters(
        accounts,
        _emails(),
        merged=_identities(),
        rejected=rejected.values_list("actor_low_id", "actor_high_id"),
    )
    pending = {
        (p.actor_low_id, p.actor_high_id): p
        for p in MergeProposal.objects.select_for_update().filter(
            status=MergeProposal.Status.PROPOSED
        )
    }
    closed = set(decided.values_list("actor_low_id", "actor_high_id"))
    wanted, new_clusters = set(), 0
    for cluster in clusters:
        fresh = False
        for pair in cluster.pairs:
            key = (pair.low, pair.high)
            if key in closed:
                continue
            wanted.add(key)
            stored = pending.get(key)
            if stored is None:
                MergeProposal.objects.create(
                    actor_low_id=pair.low, actor_high_id=pair.high,
                    reasons=pair.reasons, score=pair.score,
                )  # fmt: skip
                fresh = True
            elif (stored.reasons, stored.score) != (pair.reasons, pair.score):
                stored.reasons, stored.score = pair.reasons, pair.score
                stored.save(update_fields=["reasons", "score"])
        new_clusters += fresh
    stale = [p.pk for key, p in pending.items() if key not in wanted]
    MergeProposal.objects.filter(pk__in=stale).delete()
    return ProposalCounts(clusters=len(clusters), new_clusters=new_clusters, withdrawn=len(stale))


def _merge(actors: list[Actor]) -> ContributorIdentity:
    """Make the accounts one identity, joining any identities they already belong to."""
    if any(actor.is_bot or actor.type != ActorType.USER for actor in actors):
        raise IdentityMergeRefused("bots and organizations are never merged with people")
    memberships = IdentityMembership.objects.filter(actor__in=actors).select_related("identity")
    identities = sorted({m.identity for m in memberships}, key=lambda identity: identity.pk)
    if identities:
        identity, others = identities[0], identities[1:]
        IdentityMembership.objects.filter(identity__in=others).update(identity=identity)
        ContributorIdentity.objects.filter(pk__in=[other.pk for other in others]).delete()
    else:
        first = min(actors, key=lambda actor: actor.pk)
        identity = ContributorIdentity.objects.create(
            primary_actor=first, display_name=first.name or first.login
        )
    joined = {m.actor_id for m in memberships}
    IdentityMembership.objects.bulk_create(
        IdentityMembership(identity=identity, actor=actor)
        for actor in actors
        if actor.pk not in joined
    )
    return identity


def _decide(proposals: Iterable[MergeProposal], status: str, user) -> None:
    decided_by = user if user is not None and user.is_authenticated else None
    MergeProposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
        status=status, decided_by=decided_by, decided_at=timezone.now()
    )


def identity_clusters_decide(*, clusters: Iterable[Iterable[int]], decision: str, user) -> int:
    """Confirm (one person) or reject (different people) each cluster, given as the ids of the
    pair proposals it showed; pairs decided meanwhile are left as they are. A confirmed cluster
    is merged into one identity. Returns how many clusters were decided."""
    if decision not in (CONFIRM, REJECT):
        raise ValueError(f"decision must be {CONFIRM!r} or {REJECT!r}, not {decision!r}")
    decided = 0
    with transaction.atomic():
        for ids in clusters:
            proposals = list(
                MergeProposal.objects.select_for_update()
                .filter(pk__in=list(ids), status=MergeProposal.Status.PROPOSED)
                .select_related("actor_low", "actor_high")
            )
            if not proposals:
                continue
            if decision == CONFIRM:
                actors = {a.pk: a for p in proposals for a in (p.actor_low, p.actor_high)}
                _merge(list(actors.values()))
                _decide(proposals, MergeProposal.Status.CONFIRMED, user)
            else:
                _decide(proposals, MergeProposal.Status.REJECTED, user)
            decided += 1
        if decided and decision == CONFIRM:
            _recompute_on_commit()
    return decided


def identity_merge_confirm(*, proposal: MergeProposal, user) -> ContributorIdentity:
    """Make the two accounts of one pair one person."""
    with transaction.atomic():
        identity = _merge([proposal.actor_low, proposal.actor_high])
        _decide([proposal], MergeProposal.Status.CONFIRMED, user)
        _recompute_on_commit()
    return identity


def identity_merge_reject(*, proposal: MergeProposal, user) -> None:
    """These are different people: the pair will not be proposed again."""
    _decide([proposal], MergeProposal.Status.REJECTED, user)


@transaction.atomic
def identity_actor_split(*, actor: Actor) -> None:
    """Take an account out of its identity (undoing a confirmed merge)."""
    membership = IdentityMembership.objects.filter(actor=actor).select_related("identity").first()
    if membership is None:
        return
    identity = membership.identity
    membership.delete()
    remaining = list(identity.actors.order_by("id"))
    if len(remaining) < 2:
        identity.delete()
    elif identity.primary_actor_id == actor.pk:
        identity.primary_actor = remaining[0]
        identity.save(update_fields=["primary_actor"])
    _recompute_on_commit()


def _recompute_on_commit() -> None:
    # Contributor counts of every period depend on who is whom.
    transaction.on_commit(rollups_recompute.delay)
