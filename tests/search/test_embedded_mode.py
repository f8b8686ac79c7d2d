"""Embedded mode (no broker, tasks run eagerly): a search never runs the encoder task in the web
process. It shows word matches, the stored-vector neighbours of the best one, and a note saying
meaning search needs the embeddings worker (never that a worker is slow)."""

from __future__ import annotations

import pytest

from community.search.service import SearchFilters, search_everything
from models_hub.embeddings.store import issues_embed, pull_requests_embed

pytestmark = pytest.mark.django_db


@pytest.fixture
def embedded_mode(settings, world, configured_fake):
    issues = [world.slow_renderer, world.memory_leak, world.closed_crash, world.private_slow]
    issues_embed(issue_ids=[i.pk for i in issues], encoder=configured_fake)
    pull_requests_embed(
        pull_request_ids=[world.cache_pull.pk, world.merged_pull.pk], encoder=configured_fake
    )
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.STEWARD_SEARCH_ENCODE_IN_PROCESS = False
    settings.STEWARD_SEARCH_MIN_SIMILARITY = -1.0
    configured_fake.calls.clear()
    return world


def test_a_search_never_encodes_its_query_in_the_web_process(embedded_mode, configured_fake):
    results = search_everything(user=None, text="renderer slow", filters=SearchFilters())

    assert configured_fake.calls == []  # the encoder task never ran
    assert results.semantic.needs_worker
    assert results.semantic.neighbours_of == embedded_mode.slow_renderer
    found = {result.item for result in results.ranked}
    assert embedded_mode.slow_renderer in found
    meaning_only = [r.item for r in results.ranked if r.found_by == ("meaning",)]
    assert meaning_only  # neighbours from stored vectors, without any word of the query
    assert embedded_mode.private_slow not in found  # anonymous never sees the private one


def test_the_page_says_meaning_search_needs_the_worker(embedded_mode, client, configured_fake):
    page = client.get("/search/", {"q": "renderer slow"}).content.decode()

    assert configured_fake.calls == []
    assert "Meaning search needs the embeddings worker; word matches shown" in page
    assert "similar:owner/name#N" in page
    assert "did not answer in time" not in page  # there is no worker to be slow
    assert '<a href="/repos/acme/widgets/issues/7/"><mark>Renderer</mark> becomes' in page
