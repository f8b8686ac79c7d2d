"""Identity merges: what is evidence, one cluster per person, bulk decisions, and what a
confirmation changes in the metrics."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from analytics.models import (
    ActorEmail,
    ContributorIdentity,
    IdentityMembership,
    MergeProposal,
    MetricRollup,
    Scope,
)
from analytics.selectors.identities import identity_proposal_clusters
from analytics.services.identities import (
    CONFIRM,
    REJECT,
    IdentityMergeRefused,
    identity_actor_split,
    identity_clusters_decide,
    identity_proposals_generate,
)
from analytics.services.identity_evidence import Account, email_key, identity_clusters, name_key
from analytics.services.rollups import rollups_fill
from community.models import Actor, PushedCommit
from tests.factories import ActorFactory, RepositoryFactory

pytestmark = pytest.mark.django_db

PROPOSED = MergeProposal.Status.PROPOSED


def test_normalisation():
    assert name_key("  José   PÉREZ-Gil ") == "jose perez gil"
    assert email_key(" Dana.Scully+github@FBI.gov ") == ("email", "dana.scully@fbi.gov")
    assert email_key("1234+Mulder@users.noreply.github.com") == ("github-id", "1234")
    assert email_key("mulder@users.noreply.github.com") == ("github-login", "mulder")
    for placeholder in ("you@example.com", "root@localhost", "noreply@github.com", "me", "a@host"):
        assert email_key(placeholder) is None, placeholder


def _clusters(accounts, emails=(), **kwargs) -> list[tuple[list[int], list[tuple]]]:
    found = identity_clusters([Account(*a) for a in accounts], emails, **kwargs)
    return [(c.accounts, [(p.low, p.high, p.reasons) for p in c.pairs]) for c in found]


def test_evidence_rules():
    accounts = [
        (1, "dana", "Dana Scully"),
        (2, "dscully-work", ""),  # 1's email
        (3, "agent-scully", "Dana  SCULLY"),  # 1's name: joins the person 1 and 2 are
        (4, "danas", "Dana Smith"),  # a similar login, another name: unrelated
        (5, "fox", "Fox Mulder"),
        (6, "spooky", "Fox Mulder"),  # the same name, no other evidence: not proposed
        (7, "alex", "Alex"),
        (8, "alex-k", "Alex"),  # one word: never evidence
        (9, "x1", "Your Name"),
        (10, "x2", "Your Name"),  # a placeholder name, shared email placeholder: nothing
        (11, "skinner", "Walter Skinner"),
        (12, "ad-skinner", ""),  # uses 11's noreply address
    ]
    emails = [
        (1, "Dana@FBI.gov"),
        (2, "dana+gh@fbi.gov"),
        (9, "you@example.com"),
        (10, "you@example.com"),
        (12, "11+skinner@users.noreply.github.com"),
    ]
    assert _clusters(accounts, emails) == [
        ([11, 12], [(11, 12, ["same GitHub id: 11 (noreply address)"])]),
        ([1, 2, 3], [(1, 2, ["same email: dana@fbi.gov"]), (1, 3, ["same name: Dana Scully"])]),
    ]


def test_common_names_and_shared_addresses_are_no_evidence():
    # Three people called Kim Lee, one of them with two accounts: the name tells nobody apart.
    accounts = [(1, "kim", "Kim Lee"), (2, "kim-w", "Kim Lee"), (3, "klee", "Kim Lee"),
                (4, "lee-k", "Lee Kim")]  # fmt: skip
    emails = [(1, "kim@lee.dev"), (2, "kim@lee.dev")]
    assert _clusters(accounts, emails) == [
        ([1, 2], [(1, 2, ["same email: kim@lee.dev", "same name: Kim Lee"])])
    ]
    # A team address used by four accounts says nothing about who is who.
    team = [(n, f"dev{n}", "") for n in range(1, 5)]
    assert _clusters(team, [(n, "team@acme.dev") for n in range(1, 5)]) == []


def test_merged_people_and_rejected_pairs():
    accounts = [(1, "dana", "Dana Scully"), (2, "dscully", "Dana Scully"), (3, "ds", "")]
    emails = [(2, "d@fbi.gov"), (3, "d@fbi.gov")]
    # 1 and 2 are one person already: 1 has no pair of its own to decide, 3 joins by email.
    assert _clusters(accounts, emails, merged=[[1, 2]]) == [
        ([2, 3], [(2, 3, ["same email: d@fbi.gov"])])
    ]
    assert _clusters(accounts, emails, merged=[[1, 2]], rejected=[(3, 2)]) == []


# — stored proposals —


@pytest.fixture
def people(db):
    """Dana Scully's two accounts with one email and a third with her full name; Dana Smith,
    whose login looks like hers; a bot using her address."""
    dana = ActorFactory(login="dscully", name="Dana Scully")
    work = ActorFactory(login="dana-fbi", name="")
    third = ActorFactory(login="agent-scully", name="Dana Scully")
    other = ActorFactory(login="dscully2", name="Dana Smith")
    bot = ActorFactory(bot=True, login="scully-bot[bot]", name="Dana Scully")
    for actor in (dana, work, bot):
        ActorEmail.objects.create(actor=actor, email="dana.scully@fbi.gov")
    return {"dana": dana, "work": work, "third": third, "other": other, "bot": bot}


def test_one_cluster_per_person_with_the_evidence_of_each_pair(people):
    counts = identity_proposals_generate()
    assert (counts.clusters, counts.new_clusters, counts.withdrawn) == (1, 1, 0)
    (cluster,) = identity_proposal_clusters()
    assert {a.actor.login for a in cluster.accounts} == {"dscully", "dana-fbi", "agent-scully"}
    evidence = {
        frozenset((p.actor_low.login, p.actor_high.login)): p.reasons for p in cluster.pairs
    }
    assert evidence == {
        frozenset({"dscully", "dana-fbi"}): ["same email: dana.scully@fbi.gov"],
        frozenset({"dscully", "agent-scully"}): ["same name: Dana Scully"],
    }
    assert cluster.score == 0.6  # the name is the weakest link
    reasons = [r for p in MergeProposal.objects.all() for r in p.reasons]
    assert not any("login" in reason for reason in reasons)
    proposed = {a for p in MergeProposal.objects.all() for a in (p.actor_low, p.actor_high)}
    assert people["other"] not in proposed and people["bot"] not in proposed


def test_generating_again_refreshes_what_is_undecided(people):
    identity_proposals_generate()
    again = identity_proposals_generate()
    assert (again.clusters, again.new_clusters, again.withdrawn) == (1, 0, 0)
    assert MergeProposal.objects.count() == 2
    # Evidence gone (the address was a typo): its pair, and the name that hung on it, go too.
    ActorEmail.objects.filter(actor=people["work"]).delete()
    gone = identity_proposals_generate()
    assert (gone.clusters, gone.withdrawn) == (0, 2) and not MergeProposal.objects.exists()


def test_commit_emails_are_evidence(people):
    ActorEmail.objects.all().delete()
    repository = RepositoryFactory()
    for n, actor in enumerate((people["dana"], people["other"])):
        PushedCommit.objects.create(
            repository=repository, sha=f"{n:040d}", author=actor, author_email="dana@home.net"
        )
    identity_proposals_generate()
    (cluster,) = identity_proposal_clusters()
    assert {a.actor.login for a in cluster.accounts} == {"dscully", "dscully2", "agent-scully"}


def test_bulk_decisions_and_a_rejection_sticks(people):
    fox, spooky = ActorFactory(login="fox", name=""), ActorFactory(login="spooky", name="")
    for actor in (fox, spooky):
        ActorEmail.objects.create(actor=actor, email="fox@mulder.net")
    identity_proposals_generate()
    clusters = identity_proposal_clusters()
    assert len(clusters) == 2
    keys = [[p.pk for p in c.pairs] for c in clusters]

    assert identity_clusters_decide(clusters=keys, decision=REJECT, user=None) == 2
    assert set(MergeProposal.objects.values_list("status", flat=True)) == {"rejected"}
    assert identity_proposals_generate().clusters == 0  # never proposed again
    assert identity_clusters_decide(clusters=keys, decision=CONFIRM, user=None) == 0
    assert not IdentityMembership.objects.exists()


def test_bots_are_never_merged(people):
    identity_proposals_generate()
    (cluster,) = identity_proposal_clusters()
    Actor.objects.filter(pk=people["work"].pk).update(is_bot=True)  # known as a bot since
    with pytest.raises(IdentityMergeRefused):
        identity_clusters_decide(
            clusters=[[p.pk for p in cluster.pairs]], decision=CONFIRM, user=None
        )
    assert not IdentityMembership.objects.exists()


def test_a_cluster_joining_a_known_person_merges_into_its_identity(people):
    identity_proposals_generate()
    (cluster,) = identity_proposal_clusters()
    first = [p.pk for p in cluster.pairs if "same email" in p.reasons[0]]
    identity_clusters_decide(clusters=[first], decision=CONFIRM, user=None)
    # The name pair is still undecided; the page shows who the account would join.
    (cluster,) = identity_proposal_clusters()
    joined = {a.actor.login: [m.login for m in a.merged_with] for a in cluster.accounts}
    assert joined == {"dscully": ["dana-fbi"], "agent-scully": []}
    identity_clusters_decide(clusters=[[p.pk for p in cluster.pairs]], decision=CONFIRM, user=None)
    identity = ContributorIdentity.objects.get()
    assert {a.login for a in identity.actors.all()} == {"dscully", "dana-fbi", "agent-scully"}
    assert identity_proposal_clusters() == []


def test_confirming_merges_people_in_the_metrics(community):
    alice = Actor.objects.get(login="alice")
    bob = Actor.objects.get(login="bob")
    ActorEmail.objects.create(actor=alice, email="alice@mail.test")
    ActorEmail.objects.create(actor=bob, email="Alice@mail.test")
    rollups_fill(now=community.now)
    may = {"metric": "contributors", "period": "month", "period_start": dt.date(2024, 5, 1)}
    before = MetricRollup.objects.get(scope=Scope.PUBLIC, **may).values
    assert before["active"] == 2  # alice and the maintainer in May

    identity_proposals_generate()
    (cluster,) = identity_proposal_clusters()
    identity_clusters_decide(clusters=[[p.pk for p in cluster.pairs]], decision=CONFIRM, user=None)
    assert set(ContributorIdentity.objects.get().actors.all()) == {alice, bob}
    rollups_fill(now=community.now, full=True)
    june_people = MetricRollup.objects.get(
        scope=Scope.PUBLIC, metric="contributors", period="month", period_start=dt.date(2024, 6, 1)
    ).values
    # bob's June work now belongs to a person who first contributed in May: returning, not new.
    assert (june_people["active"], june_people["new"], june_people["returning"]) == (1, 0, 1)

    identity_actor_split(actor=bob)
    assert not IdentityMembership.objects.exists()


# — the page —

URLS = [
    ("get", "/dashboards/identities/"),
    ("post", "/dashboards/identities/propose/"),
    ("post", "/dashboards/identities/decide/"),
]


@pytest.mark.parametrize(("method", "url"), URLS)
def test_only_staff_see_or_decide(client, django_user_model, people, method, url):
    identity_proposals_generate()
    data = {"decision": CONFIRM, "cluster": [str(p.pk) for p in MergeProposal.objects.all()]}
    response = getattr(client, method)(url, data if method == "post" else None)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(django_user_model.objects.create_user("member"))
    response = getattr(client, method)(url, data if method == "post" else None)
    assert response.status_code == 403  # signed in, but maintains no repository
    assert not IdentityMembership.objects.exists()
    assert MergeProposal.objects.filter(status=PROPOSED).count() == 2


def test_maintainers_decide_on_the_identities_page(client, django_user_model, people):
    fox, spooky = ActorFactory(login="fox", name=""), ActorFactory(login="spooky", name="")
    for actor in (fox, spooky):
        ActorEmail.objects.create(actor=actor, email="fox@mulder.net")
    client.force_login(django_user_model.objects.create_user("lead", is_staff=True))
    page = client.post("/dashboards/identities/propose/", follow=True).content.decode()
    assert "2 proposals waiting (2 new)." in page
    rows = re.findall(r"<tr>\s*<td><input.*?</tr>", page, flags=re.S)
    assert len(rows) == 2  # one row per person, however many pairs
    dana = next(row for row in rows if "@agent-scully" in row)
    assert "@dscully and @dana-fbi: same email: dana.scully@fbi.gov" in dana
    assert "@dscully and @agent-scully: same name: Dana Scully" in dana
    assert "login" not in dana and "@dscully2" not in page
    keys = re.findall(r'name="cluster" value="([\d,]+)"', page)

    response = client.post(
        "/dashboards/identities/decide/", {"decision": CONFIRM, "cluster": keys}, follow=True
    )
    assert "Merged 2 proposals: each is one person now." in response.content.decode()
    assert ContributorIdentity.objects.count() == 2
    assert IdentityMembership.objects.count() == 5
    decided = MergeProposal.objects.values_list("status", "decided_by__username")
    assert set(decided) == {("confirmed", "lead")}
    assert "No proposals waiting." in response.content.decode()


def test_a_decision_needs_a_ticked_proposal(client, django_user_model, people):
    identity_proposals_generate()
    client.force_login(django_user_model.objects.create_user("lead", is_staff=True))
    for data in ({"decision": REJECT}, {"decision": "maybe", "cluster": ["1"]},
                 {"decision": REJECT, "cluster": ["1,x"]}):  # fmt: skip
        page = client.post("/dashboards/identities/decide/", data, follow=True).content.decode()
        assert "Tick at least one proposal, then choose a decision." in page
    assert MergeProposal.objects.filter(status=PROPOSED).count() == 2
