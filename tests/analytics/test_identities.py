"""Identity merges: what is proposed, what never is, and what a confirmation changes."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics.models import ActorEmail, IdentityMembership, MergeProposal, MetricRollup, Scope
from analytics.services.identities import (
    identity_actor_split,
    identity_merge_confirm,
    identity_merge_reject,
    identity_proposals_generate,
    login_stem,
    merge_candidates,
    name_key,
)
from analytics.services.rollups import rollups_fill
from community.models import Actor
from tests.factories import ActorFactory

pytestmark = pytest.mark.django_db


def test_normalisation():
    assert name_key("  José   PÉREZ ") == "jose perez"
    assert login_stem("JDoe-work") == login_stem("jdoe2") == login_stem("j.doe") == "jdoe"


def test_evidence_rules():
    actors = [
        (1, "jdoe", "John Doe"),
        (2, "jdoe-work", "John Doe"),  # login stem + name
        (3, "mary", "Mary Major"),
        (4, "mm-at-acme", "Mary Major"),  # distinctive name only
        (5, "jsmith", "John Smith"),
        (6, "smithy", "John Smith"),
        (7, "js1987", "John Smith"),  # a common name: never merged on the name alone
        (8, "alex", "Alex"),
        (9, "alex-b", "Alex"),  # one-word name: not evidence
        (10, "rivera", "Ana Rivera"),
        (11, "rivera-corp", "Luis Rivera"),  # same login stem, different names: no
        (12, "quiet", ""),
        (13, "other-name", ""),
    ]
    emails = [(12, "Q@example.org"), (13, "q@example.org")]
    found = merge_candidates(actors, emails)
    assert found[(1, 2)]["score"] == pytest.approx(1.0)
    assert found[(3, 4)]["score"] == 0.5
    assert found[(12, 13)]["score"] == 1.0 and "same email" in found[(12, 13)]["reasons"][0]
    for pair in ((5, 6), (5, 7), (6, 7), (8, 9), (10, 11)):
        assert pair not in found


def test_proposals_are_stored_once_and_a_rejection_sticks():
    low = ActorFactory(login="jdoe", name="John Doe")
    high = ActorFactory(login="jdoe-work", name="John Doe")
    ActorFactory(login="jdoe-bot", bot=True, name="John Doe")
    assert identity_proposals_generate() == 1
    assert identity_proposals_generate() == 0
    proposal = MergeProposal.objects.get()
    assert (proposal.actor_low, proposal.actor_high) == (low, high)
    identity_merge_reject(proposal=proposal, user=None)
    assert identity_proposals_generate() == 0
    assert MergeProposal.objects.get().status == MergeProposal.Status.REJECTED


def test_confirming_merges_people_in_the_metrics(community):
    alice = Actor.objects.get(login="alice")
    bob = Actor.objects.get(login="bob")
    ActorEmail.objects.create(actor=alice, email="a@example.org")
    ActorEmail.objects.create(actor=bob, email="a@example.org")
    rollups_fill(now=community.now)
    may = {"metric": "contributors", "period": "month", "period_start": dt.date(2024, 5, 1)}
    before = MetricRollup.objects.get(scope=Scope.PUBLIC, **may).values
    assert before["active"] == 2  # alice and the maintainer in May

    identity_proposals_generate()
    proposal = MergeProposal.objects.get(actor_low=min(alice, bob, key=lambda a: a.pk))
    identity = identity_merge_confirm(proposal=proposal, user=None)
    assert set(identity.actors.all()) == {alice, bob}
    rollups_fill(now=community.now, full=True)
    june_people = MetricRollup.objects.get(
        scope=Scope.PUBLIC, metric="contributors", period="month", period_start=dt.date(2024, 6, 1)
    ).values
    # bob's June work now belongs to a person who first contributed in May: returning, not new.
    assert (june_people["active"], june_people["new"], june_people["returning"]) == (1, 0, 1)

    identity_actor_split(actor=bob)
    assert not IdentityMembership.objects.exists()


def test_maintainers_decide_on_the_identities_page(client, django_user_model):
    ActorFactory(login="jdoe", name="John Doe")
    ActorFactory(login="jdoe-work", name="John Doe")
    assert client.get("/dashboards/identities/").status_code == 302  # staff only
    client.force_login(django_user_model.objects.create_user("lead", is_staff=True))
    assert client.post("/dashboards/identities/propose/").status_code == 302
    page = client.get("/dashboards/identities/").content.decode()
    assert "@jdoe-work" in page and "same login: jdoe" in page
    proposal = MergeProposal.objects.get()
    response = client.post(f"/dashboards/identities/{proposal.pk}/decide/", {"decision": "confirm"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == MergeProposal.Status.CONFIRMED
    assert proposal.decided_by.username == "lead"
    assert IdentityMembership.objects.count() == 2
