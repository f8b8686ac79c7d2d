"""What the whole site answers: a favicon, and 404 and 500 pages in the site's layout (DEBUG off,
as in production; the test settings have it off)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template import TemplateSyntaxError
from django.test import Client
from django.urls import path

from community.views import site
from config import urls as site_urls

pytestmark = pytest.mark.django_db


def test_base_links_the_svg_favicon(client, site_community):
    html = client.get("/").text
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html


def test_favicon_ico_redirects_to_the_svg_icon_which_is_served(client, settings):
    response = client.get("/favicon.ico")

    assert response.status_code == 302 and response["Location"] == "/static/img/favicon.svg"
    icon = finders.find("img/favicon.svg")
    assert icon and ET.parse(icon).getroot().tag == "{http://www.w3.org/2000/svg}svg"


def _in_layout(html: str) -> bool:
    return all(
        part in html
        for part in (
            '<link rel="stylesheet" href="/static/css/steward.css">',
            '<nav class="site-nav" aria-label="Main">',
            '<main id="main"',
            '<footer class="site-footer">',
        )
    )


def test_404_uses_the_site_layout(client, settings, site_community):
    assert settings.DEBUG is False
    response = client.get("/repos/acme/no-such-repository/")

    assert response.status_code == 404
    html = response.text
    assert _in_layout(html) and "<h1" in html and "Page not found" in html
    assert "<code>/repos/acme/no-such-repository/</code>" in html


def test_404_shows_the_path_as_text(client):
    html = client.get("/people/%3Cscript%3Ealert(1)%3C/script%3E/").text
    assert "<script>alert(1)" not in html


def _failing(request):
    raise RuntimeError("boom")


class _URLConf:
    """The site's URLs and error handlers, and a page that fails."""

    urlpatterns = [path("boom/", _failing), *site_urls.urlpatterns]
    handler500 = site_urls.handler500


@pytest.fixture
def failing_client(settings) -> Client:
    settings.ROOT_URLCONF = _URLConf
    return Client(raise_request_exception=False)


def test_500_uses_the_site_layout_without_touching_the_database(
    failing_client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = failing_client.get("/boom/")

    assert response.status_code == 500
    assert _in_layout(response.text) and "Server error" in response.text
    assert "boom" not in response.text  # no details for visitors


def test_500_is_the_same_for_a_signed_in_maintainer(failing_client, admin_user):
    failing_client.force_login(admin_user)

    html = failing_client.get("/boom/").text

    assert "Sign in</a>" in html and "Sign out" not in html  # rendered without the user


def test_500_falls_back_to_a_bare_page_when_the_layout_fails(rf, monkeypatch):
    def broken(name):
        raise TemplateSyntaxError("a broken layout")

    monkeypatch.setattr(site.loader, "get_template", broken)

    response = site.server_error(rf.get("/"))

    assert isinstance(response, HttpResponse) and response.status_code == 500
    assert response.content.decode() == site.BARE_SERVER_ERROR
