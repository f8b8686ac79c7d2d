"""Full-text search on both databases: word order free, stemmed, phrases and exclusions, the
index kept in step with writes, private repositories' items never shown to those who may not
see them, filters by repository, type and state."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from community.models import Issue
from community.search.fulltext import search_index_ensure
from community.search.service import SearchFilters, search_everything
from tests.factories import CommentFactory, IssueFactory

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()


def found(text: str, *, user=ANONYMOUS, **filters) -> list[tuple[str, str]]:
    results = search_everything(
        user=user, text=text, filters=SearchFilters(**filters), semantic=False
    )
    return [(result.kind, result.item.title) for result in results.ranked[:100]]


def test_words_match_in_any_order_and_in_other_forms(world):
    expected = ("issue", world.slow_renderer.title)

    assert found("renderer slow")[0] == expected
    assert found("slow renderer")[0] == expected
    assert found("RENDERERS slow")[0] == expected  # stemmed on both databases


def test_every_word_must_match(world):
    assert found("renderer teapot") == []


def test_a_quoted_phrase_matches_only_those_words_together(world):
    assert found('"font cache"') == [("issue", world.memory_leak.title)]
    assert found('"cache font"') == []


def test_excluded_and_alternative_words(world):
    assert ("issue", world.slow_renderer.title) not in found("renderer -window")
    assert ("pull", world.cache_pull.title) in found("renderer -window")
    either = found("leaks or crash")
    assert ("issue", world.memory_leak.title) in either
    assert ("issue", world.closed_crash.title) in either


def test_pull_requests_and_comments_are_searched_too(world):
    assert ("pull", world.cache_pull.title) in found("glyph widths")
    # A comment is found by its own words, shown with the issue it belongs to.
    assert found("sluggish") == [("comment", world.memory_leak.title)]


def test_private_items_are_never_found_by_anonymous_visitors(world):
    for text in ("staging renderer", "vault audit hook", "confidential"):
        assert found(text) == []


def test_staff_find_private_items(world, staff):
    titles = found("staging renderer", user=staff)
    assert ("issue", world.private_slow.title) in titles
    assert ("comment", world.private_slow.title) in found("confidential audit", user=staff)


def test_filters_by_repository_type_and_state(world):
    assert found("renderer", repository="acme/widgets-cli") == []
    assert found("crash", repository="acme/widgets-cli") == [("issue", world.closed_crash.title)]
    assert found("renderer", kind="pull") == [("pull", world.cache_pull.title)]
    assert found("renderer", kind="issue") == [("issue", world.slow_renderer.title)]
    assert found("crash", state="open") == []
    assert found("crash", state="closed") == [("issue", world.closed_crash.title)]
    assert found("theme", state="merged") == [("pull", world.merged_pull.title)]


def test_the_index_follows_inserts_edits_and_deletes(world):
    issue = IssueFactory(repository=world.public, title="Tooltip flickers", body="")
    assert found("flickers") == [("issue", "Tooltip flickers")]

    Issue.objects.filter(pk=issue.pk).update(title="Tooltip jitters", body="on hover")
    assert found("flickers") == []
    assert found("jitters hover") == [("issue", "Tooltip jitters")]

    comment = CommentFactory(issue=issue, body="Reproduced with the zoomed canvas.")
    assert ("comment", "Tooltip jitters") in found("zoomed canvas")
    comment.delete()
    issue.delete()
    assert found("jitters") == [] and found("zoomed") == []


def test_deleted_items_are_not_found(world):
    Issue.objects.filter(pk=world.slow_renderer.pk).update(
        deleted_at=world.slow_renderer.created_at
    )
    assert found("renderer slow") == []


def test_user_text_is_never_read_as_query_syntax(world):
    for text in ('"', "AND OR NOT", "renderer*", "(", "NEAR(a b)", "title:renderer", "-", "''"):
        found(text)  # no error on either database
    assert ("issue", world.slow_renderer.title) in found('renderer" OR "slow')


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 triggers exist on SQLite only")
def test_sqlite_triggers_dropped_by_a_table_rebuild_come_back(world):
    """Django rebuilds a SQLite table to alter it, which drops its triggers: search recreates
    them and refills the FTS5 table before it answers."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER community_issue_fts_insert")
    IssueFactory(repository=world.public, title="Scrollbar vanishes", body="")

    assert found("scrollbar") == [("issue", "Scrollbar vanishes")]
    IssueFactory(repository=world.public, title="Scrollbar returns", body="")
    assert len(found("scrollbar")) == 2
    assert search_index_ensure() == []


def test_migrations_leave_every_search_index_in_place(db):
    """After `migrate` (the test database's), nothing is left to repair: a migration that
    rebuilt an indexed table had its triggers put back by the post_migrate hook."""
    assert search_index_ensure() == []
