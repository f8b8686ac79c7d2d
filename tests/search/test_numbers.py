"""`#123` and `owner/name#123` open the item; several repositories with #123 are listed; a bare
number lists the items so numbered beside the word matches."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_number_in_one_repository_opens_it(world, client):
    response = client.get("/search/", {"q": "#12"})

    assert response.status_code == 302
    assert response["Location"] == "/repos/acme/widgets/pull/12/"


def test_owner_name_and_number_opens_that_repository_item(world, client):
    response = client.get("/search/", {"q": "acme/widgets-cli#7"})

    assert response["Location"] == "/repos/acme/widgets-cli/issues/7/"


def test_a_number_in_several_repositories_lists_them(world, client):
    response = client.get("/search/", {"q": "#7"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "#7 in 2 repositories" in page
    assert 'href="/repos/acme/widgets/issues/7/"' in page
    assert 'href="/repos/acme/widgets-cli/issues/7/"' in page


def test_a_private_repository_number_is_not_found_by_anonymous(world, client, staff):
    response = client.get("/search/", {"q": "#9"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "No issue or pull request #9 in the repositories you can see" in page
    assert world.private_slow.title not in page

    client.force_login(staff)
    assert client.get("/search/", {"q": "#9"})["Location"] == "/repos/acme/vault/issues/9/"


def test_the_repository_filter_narrows_a_number(world, client):
    response = client.get("/search/", {"q": "#7", "repository": "acme/widgets"})

    assert response["Location"] == "/repos/acme/widgets/issues/7/"


def test_a_bare_number_lists_the_items_with_it_and_searches_the_words(world, client):
    response = client.get("/search/", {"q": "7"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "#7 in 2 repositories" in page
    assert "No matches" in page  # no text contains the word "7"
