"""Private repositories: invisible to anonymous visitors everywhere, visible to staff."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from community.selectors import repositories_visible_to

pytestmark = pytest.mark.django_db

VAULT_PAGES = [
    "/repos/acme/vault/",
    "/repos/acme/vault/issues/",
    "/repos/acme/vault/pulls/",
    "/repos/acme/vault/issues/1/",
]


@pytest.fixture
def member_client(client):
    """A logged-in user who is not staff: no more rights than an anonymous visitor."""
    user = get_user_model().objects.create_user("member", password="pw-member-123")
    client.force_login(user)
    return client


def test_selector_hides_private_repositories_from_non_staff(site_community, admin_user):
    assert set(repositories_visible_to(user=None)) == {site_community.public}
    assert set(repositories_visible_to(user=admin_user)) == {
        site_community.public,
        site_community.private,
    }


def test_untracked_repositories_are_hidden_from_everyone(site_community, admin_user):
    site_community.public.tracked = False
    site_community.public.save(update_fields=["tracked"])
    assert set(repositories_visible_to(user=admin_user)) == {site_community.private}


@pytest.mark.parametrize("who", ["client", "member_client"])
def test_home_does_not_list_private_repositories(request, site_community, who):
    html = request.getfixturevalue(who).get("/").text
    assert "acme/rocket" in html
    assert "acme/vault" not in html and "Secrets" not in html


@pytest.mark.parametrize("url", VAULT_PAGES)
@pytest.mark.parametrize("who", ["client", "member_client"])
def test_private_pages_are_404_for_non_staff(request, site_community, url, who):
    assert request.getfixturevalue(who).get(url).status_code == 404


@pytest.mark.parametrize("url", VAULT_PAGES)
def test_staff_see_private_pages(admin_client, site_community, url):
    assert admin_client.get(url).status_code == 200


def test_staff_home_lists_private_repository_with_badge(admin_client, site_community):
    html = admin_client.get("/").text
    vault = html.split("acme/vault", 1)[1]
    assert '<span class="badge badge-private">Private</span>' in vault.split("</h2>", 1)[0]


def test_contributor_page_excludes_private_items(client, admin_client, site_community):
    anonymous = client.get("/people/ada/").text
    assert "Leaked credentials" not in anonymous and "acme/vault" not in anonymous
    assert "<dt>Issues opened</dt><dd>1</dd>" in anonymous

    staff = admin_client.get("/people/ada/").text
    assert "Leaked credentials" in staff and "acme/vault" in staff
    assert "<dt>Issues opened</dt><dd>2</dd>" in staff


def test_contributor_active_only_in_private_repositories(client, admin_client, site_community):
    assert client.get("/people/secretive/").status_code == 404
    assert "secretive" not in client.get("/people/").text
    assert admin_client.get("/people/secretive/").status_code == 200
    assert "/people/secretive/" in admin_client.get("/people/").text


def test_private_activity_does_not_count_for_anonymous(client, site_community):
    html = client.get("/people/").text
    ada_row = html.split("/people/ada/", 1)[1].split("</tr>", 1)[0]
    # Public only: 1 issue, 1 PR, 1 review, 1 diff comment = 4 (the vault issue is not counted).
    assert "<strong>4</strong>" in ada_row
