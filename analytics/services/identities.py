"""One person, several accounts: propose merges automatically, apply them when confirmed.

Evidence, strongest first:
- a shared email (ActorEmail) — enough on its own;
- the same login stem ("jdoe", "jdoe-work", "JDoe2") — enough on its own unless both accounts
  carry names that differ;
- the same full name — enough on its own only when it has two words or more and is distinctive
  (at most `DISTINCTIVE_NAME_MAX` accounts carry it). "John Smith" shared by five accounts never
  merges on the name alone: wrong merges of common names are what a maintainer cannot undo.
Every proposal waits for a maintainer; a rejected pair is never proposed again.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from analytics.models import ActorEmail, ContributorIdentity, IdentityMembership, MergeProposal
from analytics.tasks import rollups_recompute
from community.models import Actor

DISTINCTIVE_NAME_MAX = 2
MIN_STEM = 4
_LOGIN_SUFFIXES = re.compile(r"(?:[-_.]?(?:work|corp|dev|personal|old|alt|gh|github))+$")
_SCORES = {"email": 1.0, "login": 0.7, "name": 0.5}


def name_key(name: str) -> str:
    """Lower-case, accent-free, single-spaced name ("José  Pérez" → "jose perez")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(ascii_name.casefold().split())


def login_stem(login: str) -> str:
    """A login without work/alt suffixes, trailing digits and separators."""
    stem = _LOGIN_SUFFIXES.sub("", login.casefold())
    stem = re.sub(r"\d+$", "", stem)
    return re.sub(r"[-_.]", "", stem)


def _pairs(groups: dict[str, list[int]]) -> dict[tuple[int, int], str]:
    found = {}
    for key, ids in groups.items():
        for low, high in itertools.combinations(sorted(set(ids)), 2):
            found[(low, high)] = key
    return found


def merge_candidates(actors: list[tuple[int, str, str]], emails: list[tuple[int, str]]) -> dict:
    """(actor_low, actor_high) → {"score", "reasons"} from (id, login, name) and (id, email)."""
    by_email, by_stem, by_name = defaultdict(list), defaultdict(list), defaultdict(list)
    names = {}
    for actor_id, email in emails:
        by_email[email.casefold()].append(actor_id)
    for actor_id, login, name in actors:
        stem = login_stem(login)
        if len(stem) >= MIN_STEM:
            by_stem[stem].append(actor_id)
        names[actor_id] = name_key(name)
        if len(names[actor_id].split()) >= 2:
            by_name[names[actor_id]].append(actor_id)
    evidence: dict[tuple[int, int], dict] = defaultdict(lambda: {"reasons": [], "kinds": set()})
    for kind, groups in (("email", by_email), ("login", by_stem), ("name", by_name)):
        for pair, key in _pairs(groups).items():
            evidence[pair]["reasons"].append(f"same {kind}: {key}")
            evidence[pair]["kinds"].add(kind)
    proposals = {}
    for (low, high), found in evidence.items():
        kinds = found["kinds"]
        names_differ = names.get(low) and names.get(high) and names[low] != names[high]
        common_name = len(by_name.get(names.get(low, ""), [])) > DISTINCTIVE_NAME_MAX
        if kinds == {"name"} and common_name:
            continue
        if kinds == {"login"} and names_differ:
            continue
        score = min(1.0, sum(_SCORES[kind] for kind in kinds))
        proposals[(low, high)] = {"score": score, "reasons": found["reasons"]}
    return proposals


def identity_proposals_generate() -> int:
    """Store new merge proposals for human accounts; returns how many were added."""
    actors = list(
        Actor.objects.filter(is_bot=False, type="User").values_list("id", "login", "name")
    )
    emails = list(ActorEmail.objects.values_list("actor_id", "email"))
    candidates = merge_candidates(actors, emails)
    known = set(MergeProposal.objects.values_list("actor_low_id", "actor_high_id"))
    membership = dict(IdentityMembership.objects.values_list("actor_id", "identity_id"))
    new = [
        MergeProposal(actor_low_id=low, actor_high_id=high, **found)
        for (low, high), found in candidates.items()
        if (low, high) not in known
        and not (low in membership and membership.get(low) == membership.get(high))
    ]
    MergeProposal.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _identity_for(actor: Actor) -> ContributorIdentity | None:
    membership = IdentityMembership.objects.filter(actor=actor).select_related("identity").first()
    return membership.identity if membership else None


@transaction.atomic
def identity_merge_confirm(*, proposal: MergeProposal, user) -> ContributorIdentity:
    """Make the two accounts one person (joining any identities they already belong to)."""
    low, high = proposal.actor_low, proposal.actor_high
    identity = _identity_for(low) or _identity_for(high)
    if identity is None:
        identity = ContributorIdentity.objects.create(
            primary_actor=low, display_name=low.name or low.login
        )
    for actor in (low, high):
        other = _identity_for(actor)
        if other is not None and other.pk != identity.pk:
            IdentityMembership.objects.filter(identity=other).update(identity=identity)
            other.delete()
        elif other is None:
            IdentityMembership.objects.create(identity=identity, actor=actor)
    _decide(proposal, MergeProposal.Status.CONFIRMED, user)
    _recompute_on_commit()
    return identity


def identity_merge_reject(*, proposal: MergeProposal, user) -> None:
    """These are different people: the pair will not be proposed again."""
    _decide(proposal, MergeProposal.Status.REJECTED, user)


@transaction.atomic
def identity_actor_split(*, actor: Actor) -> None:
    """Take an account out of its identity (undoing a confirmed merge)."""
    identity = _identity_for(actor)
    if identity is None:
        return
    IdentityMembership.objects.filter(actor=actor).delete()
    remaining = list(identity.actors.order_by("id"))
    if len(remaining) < 2:
        identity.delete()
    elif identity.primary_actor_id == actor.pk:
        identity.primary_actor = remaining[0]
        identity.save(update_fields=["primary_actor"])
    _recompute_on_commit()


def _decide(proposal: MergeProposal, status: str, user) -> None:
    proposal.status = status
    proposal.decided_by = user if user is not None and user.is_authenticated else None
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])


def _recompute_on_commit() -> None:
    # Contributor counts of every period depend on who is whom.
    transaction.on_commit(rollups_recompute.delay)
