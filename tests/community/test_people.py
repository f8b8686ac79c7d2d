"""Contributor list and contributor pages."""

from __future__ import annotations

import re

import pytest

from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def _logins(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a class="actor" href="/people/([^/]+)/"', html)


def test_contributor_list_most_active_first_with_bot_badge(client, site_community):
    response = client.get("/people/")

    assert response.status_code == 200
    # ada 4, grace 3 (issue, PR, comment), the bot 1; people without visible activity not listed.
    assert _logins(response.text) == ["ada", "grace", "dependabot%5Bbot%5D"]
    bot_row = response.text.split("dependabot[bot]", 1)[1].split("</tr>", 1)[0]
    assert '<span class="badge badge-bot">bot</span>' in bot_row


@pytest.mark.parametrize(
    ("bots", "expected"),
    [
        ("exclude", ["ada", "grace"]),
        ("only", ["dependabot%5Bbot%5D"]),
        ("include", ["ada", "grace", "dependabot%5Bbot%5D"]),
        ("nonsense", ["ada", "grace", "dependabot%5Bbot%5D"]),
    ],
)
def test_contributor_list_bot_filter(client, site_community, bots, expected):
    response = client.get("/people/", {"bots": bots})
    assert _logins(response.text) == expected


def test_contributor_list_paginates_and_keeps_bot_filter(client, site_community):
    for _ in range(26):
        CommentFactory(issue=site_community.feature_issue)

    first = client.get("/people/", {"bots": "exclude"})
    assert len(_logins(first.text)) == 25
    assert "28 contributors" in first.text
    assert 'href="?bots=exclude&amp;page=2" rel="next"' in first.text
    second = client.get("/people/", {"bots": "exclude", "page": 2})
    assert len(_logins(second.text)) == 3


def test_contributor_page_profile_counts_repositories_and_recent_activity(client, site_community):
    response = client.get("/people/ada/")

    assert response.status_code == 200
    html = response.text
    assert "<h1>ada</h1>" in html and "Ada Lovelace" in html
    counts = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", html))
    assert counts == {
        "Issues opened": "1",
        "Pull requests": "1",
        "Merged PRs": "0",
        "Reviews": "1",
        "Comments": "1",
    }
    assert "First activity <time" in html and "last activity <time" in html
    repositories = html.split('id="repos-title"', 1)[1].split("</table>", 1)[0]
    assert "acme/rocket" in repositories and '<td class="num">4</td>' in repositories
    recent = html.split('id="recent-title"', 1)[1]
    assert "Opened issue" in recent and "Crash on launch" in recent
    assert "Reviewed" in recent and "#review-" in recent


def test_merged_pull_requests_count_for_their_author(client, site_community):
    html = client.get("/people/grace/").text
    assert "<dt>Merged PRs</dt><dd>1</dd>" in html


def test_bot_contributor_page(client, site_community):
    response = client.get("/people/dependabot[bot]/")
    assert response.status_code == 200
    assert '<span class="badge badge-bot">bot</span>' in response.text
    assert "Bot ·" in response.text
