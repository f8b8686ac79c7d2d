"""The data API: every list is visibility-filtered, filterable, cursor-paginated and read-only;
/api/ lists the endpoints."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from community.models import Issue
from tests.factories import ActorFactory, CommentFactory, IssueFactory, LabelFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def rows(client, url: str, **params) -> list[dict]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def titles(client, url: str, **params) -> set[str]:
    return {row["title"] for row in rows(client, url, **params)}


def test_the_root_lists_every_endpoint_and_each_answers(world, client):
    root = client.get("/api/").json()

    assert {"repositories", "issues", "pull_requests", "comments", "contributors", "search"} <= set(
        root
    )
    assert {"metrics", "models", "benchmarks", "schema", "docs"} <= set(root)
    for name, url in root.items():
        assert client.get(url).status_code == 200, name


def test_anonymous_visitors_never_get_private_data(world, client):
    assert {r["full_name"] for r in rows(client, "/api/repositories/")} == {
        "acme/widgets",
        "acme/widgets-cli",
    }
    assert world.private_slow.title not in titles(client, "/api/issues/")
    assert "vault" not in {r["repository"] for r in rows(client, "/api/comments/")}
    assert "secretive" not in {r["login"] for r in rows(client, "/api/contributors/")}
    for url in (
        "/api/repositories/acme/vault/",
        "/api/repositories/acme/vault/issues/9/",
        "/api/issues/?repository=acme/vault",
    ):
        response = client.get(url)
        assert response.status_code == 404 or response.json()["results"] == [], url


def test_staff_get_private_data(world, client, staff):
    client.force_login(staff)

    assert world.private_slow.title in titles(client, "/api/issues/")
    assert client.get("/api/repositories/acme/vault/issues/9/").json()["title"] == (
        world.private_slow.title
    )
    assert "secretive" in {r["login"] for r in rows(client, "/api/contributors/")}


def test_issue_filters(world, client):
    bug = LabelFactory(repository=world.public, name="bug")
    ui = LabelFactory(repository=world.public, name="ui")
    world.slow_renderer.labels.set([bug, ui])
    world.memory_leak.labels.set([bug])

    assert titles(client, "/api/issues/", repository="acme/widgets-cli") == {
        world.closed_crash.title
    }
    assert titles(client, "/api/issues/", state="closed") == {world.closed_crash.title}
    assert titles(client, "/api/issues/", author="ADA") == {world.slow_renderer.title}
    assert titles(client, "/api/issues/", labels="bug") == {
        world.slow_renderer.title,
        world.memory_leak.title,
    }
    assert titles(client, "/api/issues/", labels="bug,ui") == {world.slow_renderer.title}
    since = (world.memory_leak.updated_at - dt.timedelta(seconds=1)).isoformat()
    assert world.slow_renderer.title not in titles(client, "/api/issues/", updated_since=since)
    assert world.memory_leak.title in titles(client, "/api/issues/", updated_since=since)


def test_pull_request_filters_and_fields(world, client):
    assert titles(client, "/api/pulls/", state="merged") == {world.merged_pull.title}
    assert titles(client, "/api/pulls/", state="open") == {world.cache_pull.title}
    merged = rows(client, "/api/pulls/", state="merged")[0]
    assert merged["merged"] is True and merged["number"] == 13
    assert merged["url"] == "http://testserver/api/repositories/acme/widgets/pulls/13/"
    assert merged["page_url"] == "http://testserver/repos/acme/widgets/pull/13/"
    assert merged["html_url"] == "https://github.com/acme/widgets/pull/13"


def test_comment_filters(world, client):
    other = CommentFactory(issue=world.slow_renderer, body="Same here", author=world.secretive)

    bodies = {r["body"] for r in rows(client, "/api/comments/", repository="acme/widgets")}
    assert bodies == {world.slow_comment.body, other.body}
    on_seven = rows(client, "/api/comments/", repository="acme/widgets", number=7)
    assert [r["body"] for r in on_seven] == ["Same here"]
    assert on_seven[0]["page_url"].endswith(f"/repos/acme/widgets/issues/7/#comment-{other.pk}")
    assert [r["body"] for r in rows(client, "/api/comments/", author="ada")] == [
        world.slow_comment.body
    ]


def test_contributors_count_visible_activity_only(world, client):
    ReviewFactory(pull_request=world.cache_pull, reviewer=world.ada)
    bot = ActorFactory(bot=True, login="helper[bot]")
    CommentFactory(issue=world.memory_leak, author=bot)
    CommentFactory(issue=world.private_slow, author=world.ada)  # private: not counted

    by_login = {r["login"]: r for r in rows(client, "/api/contributors/")}
    assert (by_login["ada"]["issues"], by_login["ada"]["comments"]) == (1, 1)
    assert by_login["ada"]["reviews"] == 1 and by_login["ada"]["pull_requests"] == 1
    people = rows(client, "/api/contributors/", bots="exclude")
    assert "helper[bot]" not in {r["login"] for r in people}
    assert [r["login"] for r in rows(client, "/api/contributors/", bots="only")] == ["helper[bot]"]
    in_cli = rows(client, "/api/contributors/", repository="acme/widgets-cli")
    assert [(r["login"], r["issues"]) for r in in_cli] == [("grace", 1)]


def test_cursor_pages_cover_every_item_once(world, client):
    start = timezone.now() - dt.timedelta(days=30)
    for n in range(7):
        IssueFactory(repository=world.public, created_at=start + dt.timedelta(hours=n))
    expected = set(Issue.objects.filter(repository__private=False).values_list("id", flat=True))

    seen, url, pages = [], "/api/issues/?page_size=3", 0
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url, pages = body["next"], pages + 1
        assert "page=" not in (url or "")  # cursors, not page numbers
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen))
    assert pages == 4

    ascending = [r["created_at"] for r in rows(client, "/api/issues/", ordering="created_at")]
    assert ascending == sorted(ascending)


def test_a_cursor_page_does_not_shift_when_items_are_added(world, client):
    first = client.get("/api/issues/?page_size=2").json()
    IssueFactory(repository=world.public)  # newer than everything: lands before page 1
    second = client.get(first["next"]).json()

    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


def test_the_api_is_read_only(world, client, staff):
    client.force_login(staff)
    for url in ("/api/issues/", "/api/repositories/acme/widgets/", "/api/search/"):
        assert client.post(url, {}).status_code in (403, 405)
        assert client.delete(url).status_code in (403, 405)


def test_search_endpoint(world, client):
    body = client.get("/api/search/", {"q": "renderer slow"}).json()

    assert [(r["kind"], r["number"]) for r in body["results"]] == [("issue", 7)]
    assert body["results"][0]["title_html"] == (
        "<mark>Renderer</mark> becomes very <mark>slow</mark> when the window is resized"
    )
    assert body["results"][0]["page_url"] == "http://testserver/repos/acme/widgets/issues/7/"
    assert client.get("/api/search/", {"q": "staging renderer"}).json()["results"] == []
    numbered = client.get("/api/search/", {"q": "#7"}).json()["numbered"]
    assert {(n["repository"], n["number"]) for n in numbered} == {
        ("acme/widgets", 7),
        ("acme/widgets-cli", 7),
    }
    people = client.get("/api/search/", {"q": "grace", "type": "people"}).json()["people"]
    assert [p["login"] for p in people] == ["grace"]
