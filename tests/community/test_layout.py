"""The base layout: navigation (every section, each a page that exists), login, a11y."""

from __future__ import annotations

import re

import pytest

from community.navigation import nav_items

pytestmark = pytest.mark.django_db


def _nav_labels(html: str) -> list[str]:
    nav = html.split('<ul class="nav-links">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r">([^<]+)</a>", nav)


def test_the_navigation_links_every_section_to_a_page_that_exists(admin_client, site_community):
    html = admin_client.get("/").text
    assert _nav_labels(html) == [
        "Repositories",
        "Contributors",
        "Dashboards",
        "Models",
        "Your work",  # a signed-in user's own pages
        "Triage",
        "Deliveries",
    ]
    for item in nav_items(path="/", is_staff=True):
        assert admin_client.get(item.url).status_code == 200, item.url


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/", "Repositories"),
        ("/repos/acme/rocket/issues/", "Repositories"),
        ("/people/", "Contributors"),
        ("/people/ada/", "Contributors"),
    ],
)
def test_active_section_has_aria_current(client, site_community, url, current):
    html = client.get(url).text
    nav = html.split('<ul class="nav-links">', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'aria-current="page">([^<]+)<', nav) == [current]


def test_nav_items_mark_only_the_current_section():
    items = nav_items(path="/people/grace/")
    assert [(item.label, item.current) for item in items] == [
        ("Repositories", False),
        ("Contributors", True),
        ("Dashboards", False),
        ("Models", False),
    ]


def test_anonymous_visitors_get_a_login_link(client, site_community):
    html = client.get("/people/?bots=exclude").text
    assert 'href="/accounts/login/?next=/people/%3Fbots%3Dexclude">Sign in</a>' in html


def test_logged_in_users_get_a_logout_button(admin_client, site_community):
    html = admin_client.get("/").text
    assert 'action="/accounts/logout/"' in html and "csrfmiddlewaretoken" in html
    assert ">Sign out</button>" in html and "Sign in</a>" not in html


def test_accessible_structure_and_local_assets_only(client, site_community):
    html = client.get("/repos/acme/rocket/issues/").text
    assert html.index('class="skip-link" href="#main"') < html.index("<header")
    assert '<main id="main"' in html and '<nav class="site-nav" aria-label="Main">' in html
    assert '<nav class="tabs" aria-label="Repository">' in html
    assert "<caption>" in html and '<th scope="col">' in html
    assert '<link rel="stylesheet" href="/static/css/steward.css">' in html
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', html)


def test_logout_button_logs_out_and_returns_to_the_page(admin_client, site_community):
    response = admin_client.post("/accounts/logout/", {"next": "/people/"})
    assert response.status_code == 302 and response.url == "/people/"
    assert "Sign in</a>" in admin_client.get("/people/").text


@pytest.mark.parametrize("label", ["Deliveries", "Triage"])
def test_maintainer_links_are_for_staff_only(client, admin_client, site_community, label):
    assert label not in _nav_labels(client.get("/").text)
    assert label in _nav_labels(admin_client.get("/").text)
