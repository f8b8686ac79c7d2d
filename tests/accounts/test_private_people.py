"""Item 4: an account seen only in a private repository is nobody's business but the people who
may see that repository: its person page and exports are a 404 to everyone else, as for a login
that does not exist, and a confirmed identity merge does not show it on a public person's page."""

from __future__ import annotations

import pytest

from analytics.models import ContributorIdentity, IdentityMembership
from tests.accounts.world import build_world

pytestmark = pytest.mark.django_db
PAGES = ("/dashboards/people/{login}/", "/dashboards/people/{login}/export.csv",
         "/dashboards/people/{login}/export.json", "/people/{login}/")  # fmt: skip


@pytest.fixture
def world():
    return build_world()


def _status(client, user, path: str) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(path).status_code


@pytest.mark.parametrize("page", PAGES)
def test_a_private_only_account_is_a_404_to_those_who_may_not_see_it(client, world, page):
    spy = world.private.author.login  # seen only in the private repository
    statuses = {
        visitor: _status(client, user, page.format(login=spy))
        for visitor, user in world.users.items()
    }

    assert statuses == {
        "anonymous": 404,
        "contributor": 404,
        "maintainer_public": 404,
        "maintainer_private": 200,
        "admin": 200,
    }
    assert _status(client, None, page.format(login="nobody-at-all")) == 404


def test_a_merged_private_login_stays_off_the_public_person_page(client, world):
    ada, spy = world.public.author, world.private.author
    identity = ContributorIdentity.objects.create(primary_actor=ada, display_name="Ada")
    IdentityMembership.objects.create(identity=identity, actor=ada)
    IdentityMembership.objects.create(identity=identity, actor=spy)

    public_view = client.get(f"/dashboards/people/{ada.login}/")
    export = client.get(f"/dashboards/people/{ada.login}/export.json")
    client.force_login(world.users["maintainer_private"])
    maintainer_view = client.get(f"/dashboards/people/{ada.login}/")

    assert public_view.status_code == 200 and export.status_code == 200
    assert f"@{spy.login}" not in public_view.text and "acme/secret" not in public_view.text
    assert spy.login not in export.text and "secret" not in export.text
    assert "(one person" not in public_view.text
    # Whoever may see the private repository sees the whole person.
    assert f"@{spy.login}" in maintainer_view.text and "(one person, 2 accounts)" in (
        maintainer_view.text
    )
    # The private login's own page stays closed to the public even though it is merged.
    client.logout()
    assert client.get(f"/dashboards/people/{spy.login}/").status_code == 404
