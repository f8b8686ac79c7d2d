"""Pages that had no link to them are linked where a maintainer looks: staff-only pages (the
admin, adding a repository, contributor identities) from the header and the page they belong
to, for staff only; each person's page and their activity dashboard from each other."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import RepositoryRole

pytestmark = pytest.mark.django_db

# A staff-only page → the pages that link to it (for staff).
STAFF_PAGES = {
    "admin:index": ["/", "/people/", "/dashboards/"],
    "community:repository_add": ["/"],
    "analytics:identities": ["/people/", "/dashboards/"],
}


def _links_to(html: str, url: str) -> bool:
    return f'href="{url}"' in html


@pytest.mark.parametrize(("url_name", "linked_from"), STAFF_PAGES.items())
def test_staff_pages_are_linked_for_staff_only(
    client, admin_client, site_community, url_name, linked_from
):
    url = reverse(url_name)
    for page in linked_from:
        assert _links_to(admin_client.get(page).text, url), page
        assert not _links_to(client.get(page).text, url), page
    assert client.get(url).status_code == 302  # to the login page: they are staff-only
    assert admin_client.get(url).status_code == 200


def test_a_persons_page_and_their_dashboard_link_to_each_other(client, site_community):
    profile = client.get("/people/ada/").text
    dashboard = client.get("/dashboards/people/ada/").text

    assert _links_to(profile, "/dashboards/people/ada/")
    assert _links_to(dashboard, "/people/ada/")
    assert client.get("/dashboards/people/ada/").status_code == 200


def test_staff_see_an_admin_link_beside_their_name(admin_client, site_community):
    account = admin_client.get("/").text.split('<div class="account">', 1)[1].split("</div>")[0]

    assert '<a href="/admin/">Admin</a>' in account


def test_maintainers_see_the_identities_link_that_their_role_opens(client, site_community):
    """Maintainers may merge identities (the page is theirs too), so the link shows to them; a
    signed-in contributor who maintains nothing does not see it."""
    users = get_user_model().objects
    contributor = users.create_user("contributor", password="pw-contributor")
    maintainer = users.create_user("keeper", password="pw-keeper")
    RepositoryRole.objects.create(user=maintainer, repository=site_community.public)
    url = reverse("analytics:identities")

    client.force_login(contributor)
    assert not any(_links_to(client.get(page).text, url) for page in ("/people/", "/dashboards/"))
    client.force_login(maintainer)
    for page in ("/people/", "/dashboards/"):
        assert _links_to(client.get(page).text, url), page
    assert client.get(url).status_code == 200
