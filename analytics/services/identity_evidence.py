"""Which accounts are one person, from evidence only: pure functions, no database.

Evidence between two accounts, strongest first:
- the same GitHub account: a GitHub noreply address (`123+jdoe@users.noreply.github.com`) names
  its account by id and login, so an account using another's noreply address *is* that account;
- the same email, normalised (case, spaces, `+tag`), unless it is a placeholder
  (`you@example.com`) or shared by more than `MAX_ACCOUNTS_PER_EMAIL` accounts (a team or tool
  address says nothing about who is who);
- the same full name (same words in any order) or a very similar one (difflib ratio at least
  `SIMILAR_NAME_RATIO`): only for names of two words or more that are not generic ("Your Name"),
  carried by at most `DISTINCTIVE_NAME_MAX` people.

A login is never evidence: "jdoe" and "jdoe-work" may be one person, "jsmith" and "jsmith2" are
usually not, and the login is all a stranger needs to copy.

A name is weak evidence: in a community of thousands, two people share a name more often than one
person opens two accounts. It never starts a proposal; it attaches an account to a person already
known by strong evidence (a shared email or GitHub account, or a confirmed merge).

Clusters are the connected components of the accounts over the evidence that counts; a cluster's
score is its weakest necessary link (the smallest pair score on its maximum spanning tree).
"""

from __future__ import annotations

import difflib
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

EMAIL, GITHUB_ACCOUNT, NAME, SIMILAR_NAME = "email", "github_account", "name", "similar_name"
STRONG = frozenset({EMAIL, GITHUB_ACCOUNT})
# How much each kind of evidence alone says; kinds combine as independent signals.
WEIGHTS = {GITHUB_ACCOUNT: 1.0, EMAIL: 0.95, NAME: 0.6, SIMILAR_NAME: 0.45}

MAX_ACCOUNTS_PER_EMAIL = 3
DISTINCTIVE_NAME_MAX = 2
SIMILAR_NAME_RATIO = 0.9
# Fuzzy name comparison only within a shared word; a word this common ("john") is no block.
NAME_BLOCK_MAX = 200
GENERIC_NAMES = frozenset(
    {
        "your name",
        "first last",
        "firstname lastname",
        "name surname",
        "john doe",
        "jane doe",
        "github user",
        "github action",
        "github actions",
        "unknown user",
        "ubuntu user",
        "root user",
    }
)
PLACEHOLDER_EMAIL = re.compile(
    r"^(?:you|your[._-]?(?:name|email)|user|name|email|test|root|admin|action|noreply|no-reply)@"
    r"|@(?:example\.(?:com|org|net)|localhost|localdomain)$"
    r"|^[^@]*$|@[^.]*$"  # no domain, or one without a dot: a machine's default, not a person's
)
_NOREPLY = re.compile(r"^(?:(?P<id>\d+)\+)?(?P<login>[a-z0-9-]+)@users\.noreply\.github\.com$")


@dataclass(frozen=True)
class Account:
    id: int  # the GitHub account id
    login: str
    name: str = ""


@dataclass
class PairEvidence:
    """Why two accounts (low id, high id) may be one person."""

    low: int
    high: int
    kinds: set[str] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)

    def add(self, kind: str, reason: str) -> None:
        if reason not in self.reasons:
            self.kinds.add(kind)
            self.reasons.append(reason)

    @property
    def strong(self) -> bool:
        return bool(self.kinds & STRONG)

    @property
    def score(self) -> float:
        doubt = 1.0
        for kind in self.kinds:
            doubt *= 1.0 - WEIGHTS[kind]
        return round(1.0 - doubt, 2)


def name_key(name: str) -> str:
    """Lower-case, accent-free words ("José  Pérez-Gil" → "jose perez gil")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_name.casefold()))


def usable_name(key: str) -> bool:
    """Two words or more, not a placeholder: a name that can tell people apart."""
    words = key.split()
    return len(words) >= 2 and len(key) >= 5 and " ".join(sorted(words)) not in _GENERIC_SORTED


_GENERIC_SORTED = frozenset(" ".join(sorted(name.split())) for name in GENERIC_NAMES)


def email_key(email: str) -> tuple[str, str] | None:
    """What an address says about its owner: ("github-id", "123") or ("github-login", "jdoe")
    for GitHub noreply addresses, ("email", normalised) for others, None for placeholders."""
    address = email.strip().casefold()
    noreply = _NOREPLY.match(address)
    if noreply:
        if noreply["id"]:
            return ("github-id", noreply["id"])
        return ("github-login", noreply["login"])
    if PLACEHOLDER_EMAIL.search(address):
        return None
    local, _, domain = address.partition("@")
    return ("email", f"{local.split('+', 1)[0]}@{domain}")


def _strong_pairs(
    accounts: dict[int, Account], emails: Iterable[tuple[int, str]]
) -> dict[tuple[int, int], PairEvidence]:
    # Each account is its own GitHub id and login; noreply addresses point at one of those.
    own: dict[tuple[str, str], set[int]] = defaultdict(set)
    for account in accounts.values():
        own[("github-id", str(account.id))].add(account.id)
        own[("github-login", account.login.casefold())].add(account.id)
    used: dict[tuple[str, str], set[int]] = defaultdict(set)
    for actor_id, email in emails:
        key = email_key(email)
        if key is not None and actor_id in accounts:
            used[key].add(actor_id)
    found: dict[tuple[int, int], PairEvidence] = {}
    for key, users in used.items():
        kind, value = key
        if len(users) > MAX_ACCOUNTS_PER_EMAIL:
            continue
        if kind == "email":
            group, reason = users, f"same email: {value}"
        else:
            # Only an address links accounts: two accounts with one login are two accounts.
            group = users | own.get(key, set())
            reason = (
                f"same GitHub id: {value} (noreply address)"
                if kind == "github-id"
                else f"same GitHub account: noreply address of @{value}"
            )
        for low, high in itertools.combinations(sorted(group), 2):
            if low in users or high in users:
                pair = found.setdefault((low, high), PairEvidence(low, high))
                pair.add(EMAIL if kind == "email" else GITHUB_ACCOUNT, reason)
    return found


def _name_pairs(accounts: dict[int, Account]) -> dict[tuple[int, int], PairEvidence]:
    keys = {a.id: name_key(a.name) for a in accounts.values()}
    keys = {actor_id: key for actor_id, key in keys.items() if usable_name(key)}
    blocks: dict[str, list[int]] = defaultdict(list)
    for actor_id, key in keys.items():
        for word in set(key.split()):
            blocks[word].append(actor_id)
    found: dict[tuple[int, int], PairEvidence] = {}
    for ids in blocks.values():
        if len(ids) > NAME_BLOCK_MAX:
            continue
        for low, high in itertools.combinations(sorted(ids), 2):
            if (low, high) in found:
                continue
            one, other = keys[low], keys[high]
            if sorted(one.split()) == sorted(other.split()):
                kind, reason = NAME, f"same name: {accounts[low].name.strip()}"
            elif difflib.SequenceMatcher(None, one, other).ratio() >= SIMILAR_NAME_RATIO:
                names = f"{accounts[low].name.strip()} / {accounts[high].name.strip()}"
                kind, reason = SIMILAR_NAME, f"similar names: {names}"
            else:
                continue
            found[(low, high)] = PairEvidence(low, high)
            found[(low, high)].add(kind, reason)
    return found


class Components:
    """Union-find: which nodes (account ids, or any sortable keys) are connected."""

    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, node):
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, one, other) -> bool:
        roots = self.find(one), self.find(other)
        if roots[0] == roots[1]:
            return False
        self.parent[max(roots)] = min(roots)
        return True

    def groups(self) -> dict:
        found: dict = defaultdict(list)
        for node in list(self.parent):
            found[self.find(node)].append(node)
        return found


@dataclass
class Cluster:
    """Accounts proposed as one person, and the evidence between them pair by pair."""

    accounts: list[int]
    pairs: list[PairEvidence]

    @property
    def score(self) -> float:
        return weakest_link(self.pairs)


def weakest_link(pairs: Iterable) -> float:
    """The smallest score on the maximum spanning tree: how sure the whole cluster is one
    person (`pairs` have `low`, `high` and `score`)."""
    components = Components()
    weakest = 1.0
    for pair in sorted(pairs, key=lambda p: -p.score):
        if components.union(pair.low, pair.high):
            weakest = min(weakest, pair.score)
    return weakest


def identity_clusters(
    accounts: Iterable[Account],
    emails: Iterable[tuple[int, str]],
    *,
    merged: Iterable[Iterable[int]] = (),
    rejected: Iterable[tuple[int, int]] = (),
) -> list[Cluster]:
    """Clusters of accounts that are not one person yet (module docstring), strongest first.

    `merged`: the account ids of each confirmed identity (already one person: a pair inside one
    is no proposal, but the identity is a known person a name may attach to); `rejected`: pairs
    a maintainer said are two people, never evidence again.
    """
    by_id = {account.id: account for account in accounts}
    refused = {tuple(sorted(pair)) for pair in rejected}
    pairs = [pair for key, pair in _pairs(by_id, emails).items() if key not in refused]
    identities = Components()  # confirmed merges
    for members in merged:
        for one, other in itertools.pairwise([i for i in members if i in by_id]):
            identities.union(one, other)
    people = Components()  # one person already: a confirmed merge or strong evidence
    for node in list(identities.parent):
        people.union(node, identities.find(node))
    for pair in pairs:
        if pair.strong:
            people.union(pair.low, pair.high)
    known = {root for root, ids in people.groups().items() if len(ids) > 1}
    carriers: dict[str, set[int]] = defaultdict(set)  # a name → the people carrying it
    for account in by_id.values():
        carriers[_words(account.name)].add(people.find(account.id))
    counted = [
        pair
        for pair in pairs
        if identities.find(pair.low) != identities.find(pair.high)
        and (pair.strong or _name_counts(pair, people, known, carriers, by_id))
    ]
    return _clusters(counted, identities)


def _pairs(
    by_id: dict[int, Account], emails: Iterable[tuple[int, str]]
) -> dict[tuple[int, int], PairEvidence]:
    """Every pair with evidence, strong and names together."""
    pairs = _strong_pairs(by_id, emails)
    for key, named in _name_pairs(by_id).items():
        pair = pairs.setdefault(key, PairEvidence(*key))
        for reason in named.reasons:
            pair.add(next(iter(named.kinds)), reason)
    return pairs


def _clusters(counted: list[PairEvidence], identities: Components) -> list[Cluster]:
    """Connected components over the pairs that count, an identity's accounts joined."""
    clusters = Components()
    for node in list(identities.parent):
        clusters.union(node, identities.find(node))
    for pair in counted:
        clusters.union(pair.low, pair.high)
    by_root: dict[int, list[PairEvidence]] = defaultdict(list)
    for pair in counted:
        by_root[clusters.find(pair.low)].append(pair)
    found = [
        Cluster(
            accounts=sorted({i for p in inside for i in (p.low, p.high)}),
            pairs=sorted(inside, key=lambda p: (p.low, p.high)),
        )
        for inside in by_root.values()
    ]
    return sorted(found, key=lambda c: (-c.score, c.accounts))


def _words(name: str) -> str:
    return " ".join(sorted(name_key(name).split()))


def _name_counts(
    pair: PairEvidence,
    people: Components,
    known: set[int],
    carriers: dict[str, set[int]],
    by_id: dict[int, Account],
) -> bool:
    """A name links two people when one of them is a known person (several accounts already)
    and neither name is common."""
    ends = {people.find(pair.low), people.find(pair.high)}
    if len(ends) == 1:
        return True  # more evidence between accounts already one person
    if not ends & known:
        return False  # a name alone never starts a proposal
    return all(
        len(carriers[_words(by_id[actor_id].name)]) <= DISTINCTIVE_NAME_MAX
        for actor_id in (pair.low, pair.high)
    )
