"""Identity merges by maintainers: each sees and decides only the proposals all of whose
accounts are active in repositories they maintain; admins decide all of them."""

from __future__ import annotations

import pytest

from analytics.models import IdentityMembership, MergeProposal
from analytics.services.identities import CONFIRM
from tests.accounts.world import build_world
from tests.factories import ActorFactory, IssueFactory

pytestmark = pytest.mark.django_db


def _proposal(a, b) -> MergeProposal:
    low, high = sorted((a, b), key=lambda actor: actor.pk)
    return MergeProposal.objects.create(
        actor_low=low, actor_high=high, score=0.95, reasons=[{"kind": "email"}]
    )


@pytest.fixture
def proposals():
    world = build_world()
    ada_work = ActorFactory(login="ada-at-work")
    IssueFactory(repository=world.public.repository, author=ada_work)
    spy_alt = ActorFactory(login="spy-alt")
    IssueFactory(repository=world.private.repository, author=spy_alt)
    public = _proposal(world.public.author, ada_work)
    private = _proposal(world.private.author, spy_alt)
    return world, public, private


def test_each_maintainer_sees_the_proposals_of_their_repositories(client, proposals):
    world, _, _ = proposals
    pages = {}
    for visitor in ("maintainer_public", "maintainer_private", "admin"):
        client.force_login(world.users[visitor])
        pages[visitor] = client.get("/dashboards/identities/").text

    assert (
        "ada-at-work" in pages["maintainer_public"] and "spy-alt" not in pages["maintainer_public"]
    )
    assert (
        "spy-alt" in pages["maintainer_private"]
        and "ada-at-work" not in pages["maintainer_private"]
    )
    assert "spy-alt" in pages["admin"] and "ada-at-work" in pages["admin"]


def test_a_maintainer_cannot_decide_on_accounts_outside_their_repositories(client, proposals):
    world, public, private = proposals
    client.force_login(world.users["maintainer_public"])

    refused = client.post(
        "/dashboards/identities/decide/", {"decision": CONFIRM, "cluster": [str(private.pk)]}
    )
    mixed = client.post(
        "/dashboards/identities/decide/",
        {"decision": CONFIRM, "cluster": [str(public.pk), str(private.pk)]},
    )
    merged = client.post(
        "/dashboards/identities/decide/", {"decision": CONFIRM, "cluster": [str(public.pk)]}
    )

    assert refused.status_code == 403 and mixed.status_code == 403
    assert merged.status_code == 302
    assert set(IdentityMembership.objects.values_list("actor__login", flat=True)) == {
        "ada",
        "ada-at-work",
    }
    private.refresh_from_db()
    assert private.status == MergeProposal.Status.PROPOSED
