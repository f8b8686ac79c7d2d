"""URLs from GitHub become links only when they are http(s): no stored XSS through a homepage.

A repository's homepage and a person's avatar are whatever was typed on GitHub (or sent in a
webhook); `javascript:` or `data:` there must not turn into a clickable link or an image.
"""

from __future__ import annotations

import json
import re

import pytest

from community.links import safe_url
from community.models import Repository
from tests.community.webhooks import payloads
from tests.community.webhooks.conftest import URL, signed_headers
from tests.conftest import REPO_ROOT
from tests.factories import ActorFactory, IssueFactory, RepositoryFactory

pytestmark = pytest.mark.django_db

UNSAFE = [
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(document.domain)",
    " \t JaVaScRiPt:alert(document.domain)",
    "\x01\x1fjavascript:alert(1)",
    "java\tscr\nipt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "vbscript:msgbox(1)",
    "//evil.example/page",  # scheme-relative: not an absolute http(s) URL
    "https:evil.example",  # no host
    "http://[::1",  # unparseable
    "example.org",
    "",
    None,
]
HREF_OR_SRC = re.compile(r'(?:href|src)="([^"]*)"')
TEMPLATES = REPO_ROOT / "templates"
PRINTED_TARGET = re.compile(r'(?:href|src)="\{\{\s*([^}]+?)\s*\}\}')
BOUND_SAFE = re.compile(r"\{%\s*with\s+(\w+)=[^%]*\|safe_url\s*%\}")
# Variables holding the site's own URLs (reverse() or a query string), not GitHub's.
SITE_URLS = {
    # drf-spectacular's Swagger UI page: static files of the site.
    ("api/docs.html", "favicon_href"),
    ("api/docs.html", "swagger_ui_css"),
    ("community/_nav.html", "item.url"),
    ("analytics/_chart.html", "csv"),
    ("analytics/_chart.html", "json"),
    ("analytics/digest_detail.html", "older"),
    ("analytics/digest_detail.html", "newer"),
    ("models_hub/hub/_replay.html", "change.url"),
    ("models_hub/triage/_card.html", "card.triage_url"),
    ("models_hub/triage/_neighbours.html", "n.url"),
    ("models_hub/triage/_row.html", "card.triage_url"),
    ("models_hub/triage/_suggestion.html", "view.url"),
    ("models_hub/triage/issue.html", "settings_url"),
}


@pytest.mark.parametrize("url", UNSAFE)
def test_only_http_urls_pass(url):
    assert safe_url(url) == ""


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/docs?page=1#top", "https://example.org/docs?page=1#top"),
        ("HTTP://Example.org", "HTTP://Example.org"),
        ("  https://example.org/\n", "https://example.org/"),
    ],
)
def test_http_urls_pass_as_a_browser_reads_them(url, expected):
    assert safe_url(url) == expected


def _links(page: str) -> list[str]:
    return HREF_OR_SRC.findall(page)


def _unsafe_links(page: str) -> list[str]:
    """Links and images whose target is neither on this site nor http(s)."""
    return [link for link in _links(page) if not link.startswith(("/", "?", "#", "http"))]


def test_a_javascript_homepage_from_a_webhook_is_shown_as_text(
    client, django_capture_on_commit_callbacks
):
    payload = payloads.issues("opened")
    payload["repository"]["homepage"] = " JaVaScRiPt:alert(document.domain)"
    body = json.dumps(payload).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, data=body, content_type="application/json", **signed_headers(body, event="issues")
        )
    assert response.status_code == 202
    repository = Repository.objects.get(pk=payload["repository"]["id"])
    assert repository.homepage == " JaVaScRiPt:alert(document.domain)"  # stored as GitHub sent it

    page = client.get(f"/repos/{repository.full_name}/").content.decode()

    assert '<p class="homepage"> JaVaScRiPt:alert(document.domain)</p>' in page
    assert _unsafe_links(page) == []


@pytest.mark.parametrize("homepage", UNSAFE[:-2])
def test_no_unsafe_homepage_becomes_a_link(client, homepage):
    repository = RepositoryFactory(homepage=homepage)

    page = client.get(f"/repos/{repository.full_name}/").content.decode()

    assert _unsafe_links(page) == []


def test_an_https_homepage_is_a_link(client):
    repository = RepositoryFactory(homepage="https://widgets.example.org/docs")

    page = client.get(f"/repos/{repository.full_name}/").content.decode()

    assert (
        '<a href="https://widgets.example.org/docs" rel="nofollow noopener">'
        "https://widgets.example.org/docs</a>"
    ) in page


@pytest.mark.parametrize("mode", ["drawn", "github"])
@pytest.mark.parametrize("avatar", ["data:image/svg+xml,<svg onload=alert(1)>", "javascript:x"])
def test_unsafe_avatars_are_not_shown(client, settings, avatar, mode):
    settings.STEWARD_AVATARS = mode
    person = ActorFactory(login="mallory", avatar_url=avatar)
    issue = IssueFactory(author=person)
    owner, name = issue.repository.full_name.split("/")

    profile = client.get("/people/mallory/").content.decode()
    conversation = client.get(f"/repos/{owner}/{name}/issues/{issue.number}/").content.decode()

    for page in (profile, conversation):
        assert _unsafe_links(page) == []
        assert avatar.split(",")[0] not in page
        assert 'class="avatar' in page and 'src="/avatars/mallory.svg"' in page


def test_avatars_are_served_by_steward_not_github(client):
    person = ActorFactory(login="alice", avatar_url="https://avatars.example.com/u/1")
    IssueFactory(author=person)

    page = client.get("/people/alice/").content.decode()

    assert 'src="/avatars/alice.svg"' in page and "avatars.example.com" not in page


def test_every_printed_link_target_goes_through_safe_url():
    """A new template printing a URL from GitHub into href or src must filter it."""
    unchecked = []
    for path in sorted(TEMPLATES.glob("**/*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        text = path.read_text()
        bound = set(BOUND_SAFE.findall(text))
        for target in PRINTED_TARGET.findall(text):
            filters = {part.strip().split(":")[0] for part in target.split("|")[1:]}
            if filters & {"safe_url", "item_url", "avatar_src"} or target in bound:
                continue
            if (name, target) not in SITE_URLS:
                unchecked.append(f"{name}: {target}")
    assert unchecked == []
