"""Avatars come from Steward's own URLs: drawn by Steward by default, or (STEWARD_AVATARS=github)
fetched once by the server from GitHub's avatar host and served from Steward. The reader's
browser never contacts GitHub."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.urls import reverse, set_script_prefix

from community.avatars import avatar_src
from community.avatars.drawn import PALETTE, avatar_svg
from community.avatars.github import avatar_fetchable, avatar_key
from tests.factories import ActorFactory, IssueFactory
from tests.fakes.avatar_server import Answer, FakeAvatarHost, png

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
PNG = png()


def _contrast_with_white(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


# Drawn avatars ---------------------------------------------------------------------------------


def test_the_drawn_avatar_is_valid_svg_with_the_initial(client):
    response = client.get("/avatars/ada.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 64 64"
    assert root.find(f"{SVG}text").text == "A"
    assert root.find(f"{SVG}rect").get("fill") in PALETTE


def test_the_drawn_avatar_is_the_same_every_time_and_differs_between_people(client):
    first = client.get("/avatars/ada.svg")
    again = client.get("/avatars/ada.svg")

    assert first.content == again.content == avatar_svg("ada").encode()
    assert first["ETag"] == again["ETag"]
    colours = {re.search(rb'fill="(#\w+)"', avatar_svg(f"user{n}").encode())[1] for n in range(40)}
    assert len(colours) > 6


def test_the_drawn_avatar_is_cached_long_and_revalidated_by_etag(client):
    response = client.get("/avatars/ada.svg")

    assert "max-age=2592000" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    revalidated = client.get("/avatars/ada.svg", headers={"If-None-Match": response["ETag"]})
    assert revalidated.status_code == 304 and revalidated.content == b""


@pytest.mark.parametrize(
    ("login", "initial"),
    [("dependabot[bot]", "D"), ("9lives", "9"), ("-_-", "?"), ("<script>&'\"", "S")],
)
def test_any_login_draws_well_formed_svg(client, login, initial):
    response = client.get(f"/avatars/{quote(login)}.svg")

    assert response.status_code == 200
    assert ET.fromstring(response.content).find(f"{SVG}text").text == initial


def test_white_initials_are_readable_on_every_colour():
    assert min(_contrast_with_white(colour) for colour in PALETTE) >= 4.5


@pytest.mark.parametrize("prefix", ["/", "/steward/"])
@pytest.mark.parametrize("login", ["ada", "dependabot[bot]", "Ünïcode-ñame", "a b&c?d#e%f"])
def test_avatar_urls_are_what_reverse_makes(settings, login, prefix):
    """avatar_src builds URLs itself (reverse() per avatar is slow); they must not drift."""
    actor = ActorFactory.build(login=login, avatar_url="https://avatars.githubusercontent.com/u/7")
    set_script_prefix(prefix)
    try:
        assert avatar_src(actor) == reverse("community:avatar_drawn", args=[login])
        settings.STEWARD_AVATARS = "github"
        key = avatar_key(actor_id=actor.pk, avatar_url=actor.avatar_url)
        assert avatar_src(actor) == reverse("community:avatar_github", args=[actor.pk, key])
    finally:
        set_script_prefix("/")


def test_pages_show_drawn_avatars_by_default(client):
    ada = ActorFactory(login="ada", avatar_url="https://avatars.githubusercontent.com/u/1?v=4")
    issue = IssueFactory(author=ada)

    page = client.get(f"/repos/{issue.repository.full_name}/issues/{issue.number}/").text

    assert 'src="/avatars/ada.svg"' in page and "githubusercontent" not in page


# Real avatars, fetched by the server (STEWARD_AVATARS=github) ----------------------------------


@pytest.fixture
def avatar_host(settings, tmp_path):
    """GitHub's avatar host, played by a loopback server; fetched avatars kept in tmp_path."""
    cache.clear()  # failed fetches are remembered in the cache
    with FakeAvatarHost() as host:
        settings.STEWARD_AVATARS = "github"
        settings.STEWARD_AVATAR_ORIGIN = host.origin
        settings.STEWARD_AVATAR_CACHE_DIR = tmp_path / "avatars"
        settings.STEWARD_AVATAR_TIMEOUT_SECONDS = 0.5
        settings.STEWARD_AVATAR_MAX_BYTES = 10_000
        yield host
    cache.clear()


def _avatar_url_on_page(client, actor) -> str:
    issue = IssueFactory(author=actor)
    page = client.get(f"/repos/{issue.repository.full_name}/issues/{issue.number}/").text
    sources = re.findall(r'<img class="avatar" src="([^"]+)"', page)
    assert len(set(sources)) == 1
    return sources[0]


def test_a_real_avatar_is_fetched_once_and_served_by_steward(client, avatar_host, tmp_path):
    avatar_host.routes["/u/1?v=4"] = Answer(body=PNG)
    ada = ActorFactory(login="ada", avatar_url=f"{avatar_host.origin}u/1?v=4")

    src = _avatar_url_on_page(client, ada)
    first = client.get(src)
    again = client.get(src)

    assert src.startswith(f"/avatars/github/{ada.pk}/")  # the page points at Steward
    assert first.status_code == again.status_code == 200
    assert first["Content-Type"] == "image/png" and first.content == again.content == PNG
    assert "max-age=86400" in first["Cache-Control"] and first["ETag"]
    assert avatar_host.hits == ["/u/1?v=4"]  # once
    assert [p.read_bytes() for p in (tmp_path / "avatars").iterdir()] == [PNG]


def test_a_fetched_avatar_survives_a_cache_flush_on_disk(client, avatar_host):
    avatar_host.routes["/u/1?v=4"] = Answer(body=PNG)
    src = _avatar_url_on_page(client, ActorFactory(avatar_url=f"{avatar_host.origin}u/1?v=4"))

    client.get(src)
    cache.clear()  # another web process, or a restart
    assert client.get(src).content == PNG
    assert avatar_host.hits == ["/u/1?v=4"]


def test_avatars_on_other_hosts_are_never_fetched(client, avatar_host):
    port = avatar_host.origin.rsplit(":", 1)[1].rstrip("/")
    elsewhere = ActorFactory(login="eve", avatar_url=f"http://localhost:{port}/u/2")

    src = _avatar_url_on_page(client, elsewhere)

    assert src == "/avatars/eve.svg"  # drawn instead
    assert client.get(src)["Content-Type"] == "image/svg+xml"
    assert avatar_host.hits == []


@pytest.mark.parametrize(
    ("url", "fetchable"),
    [
        ("https://avatars.githubusercontent.com/u/583231?v=4", True),
        ("http://avatars.githubusercontent.com/u/583231?v=4", False),  # not https
        ("https://avatars.githubusercontent.com.evil.example/u/1", False),
        ("https://avatars.githubusercontent.com@evil.example/u/1", False),
        ("https://evil.example\\@avatars.githubusercontent.com/u/1", False),
        ("https://avatars.githubusercontent.com:8443/u/1", False),
        ("https://evil.example/?https://avatars.githubusercontent.com/", False),
        (" https://avatars.githubusercontent.com/u/1", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_only_githubs_avatar_host_over_https_is_fetchable(url, fetchable):
    assert avatar_fetchable(url) is fetchable


def test_a_forged_avatar_url_is_404_and_fetches_nothing(client, avatar_host):
    avatar_host.routes["/u/1?v=4"] = Answer(body=PNG)
    ada = ActorFactory(avatar_url=f"{avatar_host.origin}u/1?v=4")

    assert client.get(f"/avatars/github/{ada.pk}/{'0' * 24}").status_code == 404
    assert client.get(f"/avatars/github/1/{'0' * 24}").status_code == 404  # no such actor
    assert avatar_host.hits == []


def test_the_avatar_url_changes_with_the_accounts_avatar(client, avatar_host):
    ada = ActorFactory(avatar_url=f"{avatar_host.origin}u/1?v=4")
    before = avatar_src(ada)
    ada.avatar_url = f"{avatar_host.origin}u/1?v=5"

    assert avatar_src(ada) != before


@pytest.mark.parametrize(
    "answer",
    [
        Answer(status=404),
        Answer(status=302, headers={"Location": "/u/1?v=4"}),  # redirects are not followed
        Answer(body=b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/png"),
        Answer(body=b"<html>not an image</html>", content_type="text/html"),
        Answer(body=PNG + b"\0" * 20_000),  # over STEWARD_AVATAR_MAX_BYTES
        Answer(body=PNG, delay=2),  # over STEWARD_AVATAR_TIMEOUT_SECONDS
    ],
    ids=["missing", "redirect", "svg", "html", "too-big", "too-slow"],
)
def test_a_failed_fetch_shows_the_drawn_avatar_and_is_not_retried_at_once(
    client, avatar_host, answer, tmp_path
):
    avatar_host.routes["/u/1?v=4"] = Answer(body=PNG)
    avatar_host.routes["/u/9?v=4"] = answer
    mallory = ActorFactory(login="mallory", avatar_url=f"{avatar_host.origin}u/9?v=4")
    src = _avatar_url_on_page(client, mallory)

    first = client.get(src)
    again = client.get(src)

    assert first.status_code == 200 and first["Content-Type"] == "image/svg+xml"
    assert first.content == again.content == avatar_svg("mallory").encode()
    assert "max-age=300" in first["Cache-Control"]
    assert avatar_host.hits == ["/u/9?v=4"]
    assert not (tmp_path / "avatars").exists() or not any((tmp_path / "avatars").iterdir())


def test_with_drawn_avatars_configured_the_github_url_fetches_nothing(
    client, avatar_host, settings
):
    avatar_host.routes["/u/1?v=4"] = Answer(body=PNG)
    ada = ActorFactory(login="ada", avatar_url=f"{avatar_host.origin}u/1?v=4")
    src = avatar_src(ada)  # a page cached while the setting was github
    settings.STEWARD_AVATARS = "drawn"

    response = client.get(src)

    assert response["Content-Type"] == "image/svg+xml" and avatar_host.hits == []
