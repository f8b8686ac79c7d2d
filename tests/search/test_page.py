"""The search page: the header's box on every page, highlighted and escaped results, people,
filters and pages."""

from __future__ import annotations

import pytest

from community.search.highlight import highlighted, snippet
from tests.factories import ActorFactory, CommentFactory, IssueFactory

pytestmark = pytest.mark.django_db


def test_every_page_has_the_search_box(world, client):
    for url in ("/", "/people/", "/repos/acme/widgets/issues/"):
        page = client.get(url).content.decode()
        assert 'action="/search/"' in page and 'name="q"' in page


def test_the_box_keeps_the_query_on_the_results_page(world, client):
    page = client.get("/search/", {"q": "renderer slow"}).content.decode()
    assert 'placeholder="Search or #123" value="renderer slow"' in page


def test_results_link_to_the_item_with_the_matched_words_marked(world, client):
    page = client.get("/search/", {"q": "renderer slow"}).content.decode()

    assert (
        '<a href="/repos/acme/widgets/issues/7/"><mark>Renderer</mark> becomes very '
        "<mark>slow</mark> when the window is resized</a>"
    ) in page
    assert "1 best match" in page
    assert "matching words" in page


def test_a_comment_result_links_to_the_comment(world, client):
    page = client.get("/search/", {"q": "sluggish"}).content.decode()

    assert f'href="/repos/acme/widgets/issues/8/#comment-{world.slow_comment.pk}"' in page
    assert "Comment on" in page
    assert "<mark>sluggish</mark>" in page


def test_text_from_github_is_escaped_around_the_marks(world, client):
    IssueFactory(
        repository=world.public,
        title="<script>alert(1)</script> renderer tooltip",
        body='<img src=x onerror="alert(2)"> the tooltip renderer',
    )
    page = client.get("/search/", {"q": "tooltip"}).content.decode()

    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; renderer <mark>tooltip</mark>" in page
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt; the <mark>tooltip</mark>" in page


def test_highlighting_marks_other_forms_and_escapes_everything_else():
    assert highlighted("Rendering & <b>slowness</b>", ["renderer", "slow"]) == (
        "<mark>Rendering</mark> &amp; &lt;b&gt;<mark>slowness</mark>&lt;/b&gt;"
    )
    assert highlighted("a <i>b</i>", []) == "a &lt;i&gt;b&lt;/i&gt;"
    # Stop words are never marked; a short word only as itself, not as the start of another.
    assert highlighted("The app is in its install", ["the", "app", "i", "is"]) == (
        "The <mark>app</mark> is in its install"
    )
    long = "word " * 100 + "needle " + "word " * 100
    excerpt = snippet(long, ["needle"], length=60)
    assert excerpt.startswith("…") and excerpt.endswith("…") and "<mark>needle</mark>" in excerpt


def test_people_are_found_by_login_and_name(world, client):
    page = client.get("/search/", {"q": "lovelace"}).content.decode()
    assert 'href="/people/ada/"' in page

    page = client.get("/search/", {"q": "ada", "type": "people"}).content.decode()
    assert 'href="/people/ada/"' in page
    assert "No matches" not in page


def test_someone_active_only_in_a_private_repository_is_not_found(world, client, staff):
    page = client.get("/search/", {"q": "secretive", "type": "people"}).content.decode()
    assert 'href="/people/secretive/"' not in page
    assert "Nobody whose login or name contains" in page

    client.force_login(staff)
    page = client.get("/search/", {"q": "secretive", "type": "people"}).content.decode()
    assert 'href="/people/secretive/"' in page


def test_filters_and_pages(world, client):
    for n in range(30):
        IssueFactory(repository=world.public, title=f"Tooltip glitch number {n}", body="")
    first = client.get("/search/", {"q": "tooltip glitch"}).content.decode()
    second = client.get("/search/", {"q": "tooltip glitch", "page": 2}).content.decode()

    assert "30 best matches" in first and "page 1 of 2" in first
    assert first.count('class="search-result"') == 25
    assert second.count('class="search-result"') == 5
    assert "page=2" in first

    filtered = client.get(
        "/search/", {"q": "tooltip glitch", "repository": "acme/widgets-cli"}
    ).content.decode()
    assert "No matches" in filtered and "with these filters" in filtered


def test_a_repository_one_may_not_see_is_not_a_filter(world, client):
    page = client.get("/search/", {"q": "renderer", "repository": "acme/vault"}).content.decode()

    assert "Staging renderer" not in page
    assert "acme/vault" not in page.split("<main")[1].split("</form>")[0]


def test_an_empty_query_explains_the_syntax(world, client):
    page = client.get("/search/").content.decode()

    assert "Words match in any order" in page
    assert "#123" in page


def test_people_search_puts_the_exact_login_first(world, client):
    ActorFactory(login="adamant")
    CommentFactory(issue=world.slow_renderer, author=ActorFactory(login="adam"))
    page = client.get("/search/", {"q": "ada", "type": "people"}).content.decode()

    assert page.index('href="/people/ada/"') < page.index('href="/people/adam/"')
    assert 'href="/people/adamant/"' not in page  # no visible activity


def test_the_page_costs_the_same_queries_for_few_or_many_results(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/search/", {"q": "tooltip"}).status_code == 200
        return len(captured.captured_queries)

    for n in range(2):
        issue = IssueFactory(repository=world.public, title=f"Tooltip {n}")
        CommentFactory(issue=issue, body="the tooltip again")
    few = queries()
    for n in range(30):
        issue = IssueFactory(repository=world.public, title=f"Tooltip glitch {n}")
        CommentFactory(issue=issue, body="the tooltip again")

    assert queries() == few
