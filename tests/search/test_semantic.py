"""Semantic search over the stored embeddings: the query is encoded by the embeddings worker's
task (eager here, with the fake encoder), neighbours are ranked by cosine, private items never
come back to those who may not see them, and when the worker cannot answer the page says so
and still shows the word matches."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from celery import current_app
from django.contrib.auth.models import AnonymousUser
from kombu import pools as kombu_pools

from community.search.semantic import semantic_ranked
from community.search.service import SearchFilters, search_everything
from community.selectors.visibility import (
    issues_visible_to,
    pull_requests_visible_to,
    repositories_visible_to,
)
from models_hub.embeddings.store import (
    VectorRow,
    embeddings_save,
    issues_embed,
    pull_requests_embed,
)
from models_hub.embeddings.text import issue_text
from models_hub.models import EmbeddingKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def embedded(world, configured_fake):
    """Every item of the world embedded by the fake encoder (the worker's, as configured)."""
    issues = [world.slow_renderer, world.memory_leak, world.closed_crash, world.private_slow]
    issues_embed(issue_ids=[i.pk for i in issues], encoder=configured_fake)
    pull_requests_embed(
        pull_request_ids=[world.cache_pull.pk, world.merged_pull.pk], encoder=configured_fake
    )
    return world


def _semantic(user, text: str, **kwargs):
    return semantic_ranked(
        text=text,
        repositories=repositories_visible_to(user=user),
        issues=issues_visible_to(user=user),
        pull_requests=pull_requests_visible_to(user=user),
        limit=kwargs.pop("limit", 10),
        min_similarity=kwargs.pop("min_similarity", -1.0),
    )


def _text(item) -> str:
    return issue_text(title=item.title, body=item.body)


def test_the_item_closest_in_meaning_ranks_first(embedded, configured_fake):
    outcome = _semantic(AnonymousUser(), _text(embedded.memory_leak))

    assert outcome.ran and outcome.note == ""
    assert (outcome.hits[0].kind, outcome.hits[0].pk) == ("issue", embedded.memory_leak.pk)
    assert outcome.hits[0].score == pytest.approx(1.0, abs=1e-5)
    scores = [hit.score for hit in outcome.hits]
    assert scores == sorted(scores, reverse=True)
    # The query was encoded once, by the worker's encoder.
    assert configured_fake.encoded[-1] == _text(embedded.memory_leak)


def test_private_items_are_never_semantic_matches_for_anonymous(embedded):
    anonymous = _semantic(AnonymousUser(), _text(embedded.private_slow))
    assert embedded.private_slow.pk not in {hit.pk for hit in anonymous.hits}
    assert len(anonymous.hits) == 5  # the other items, however far


def test_staff_get_private_semantic_matches(embedded, staff):
    outcome = _semantic(staff, _text(embedded.private_slow))
    assert outcome.hits[0].pk == embedded.private_slow.pk


def test_the_least_similarity_and_the_kind_filter(embedded):
    close = _semantic(AnonymousUser(), _text(embedded.cache_pull), min_similarity=0.999)
    assert [(hit.kind, hit.pk) for hit in close.hits] == [("pull", embedded.cache_pull.pk)]

    issues_only = semantic_ranked(
        text=_text(embedded.cache_pull),
        repositories=repositories_visible_to(user=None),
        issues=issues_visible_to(user=None),
        pull_requests=None,
        limit=10,
        min_similarity=-1.0,
    )
    assert {hit.kind for hit in issues_only.hits} == {"issue"}


def test_an_item_found_by_meaning_alone_is_listed_as_such(embedded, configured_fake, client):
    """No word of "zebra quantum" is in the issue, but its stored vector is the query's: the
    results page lists it as a similar-meaning match."""
    vector = configured_fake.encode(["zebra quantum"])[0]
    embeddings_save(
        rows=[
            VectorRow(
                EmbeddingKind.ISSUE,
                embedded.closed_crash.pk,
                embedded.closed_crash.repository_id,
                "changed",
                vector,
            )
        ],
        model_id=configured_fake.model_id,
    )

    results = search_everything(user=None, text="zebra quantum", filters=SearchFilters())
    first = results.ranked[0]
    assert first.item == embedded.closed_crash
    assert first.found_by == ("meaning",)

    page = client.get("/search/", {"q": "zebra quantum"}).content.decode()
    assert embedded.closed_crash.title in page  # unmarked: no word of it matched
    assert "similar meaning" in page


def test_words_and_meaning_together_rank_first(embedded):
    results = search_everything(
        user=None, text=_text(embedded.slow_renderer), filters=SearchFilters()
    )
    first = results.ranked[0]
    assert first.item == embedded.slow_renderer
    assert first.found_by == ("words", "meaning")
    assert first.similarity == pytest.approx(1.0, abs=1e-5)


@contextmanager
def _worker_unreachable():
    """Tasks go to a broker with no worker and no result backend, as in a deployment whose
    embeddings worker is down."""
    conf = current_app.conf
    saved = (conf.broker_url, conf.task_always_eager)

    def switch(broker: str, eager: bool) -> None:
        kombu_pools.reset()
        current_app._pool = None
        current_app.amqp._producer_pool = None
        conf.broker_url, conf.task_always_eager = broker, eager

    switch("memory://", False)
    try:
        yield
    finally:
        switch(*saved)


def test_without_the_worker_the_page_says_so_and_shows_word_matches(embedded, client):
    with _worker_unreachable():
        response = client.get("/search/", {"q": "renderer slow"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "similar-meaning matches are unavailable" in page
    assert "the embedding worker did not answer in time" in page
    assert '<a href="/repos/acme/widgets/issues/7/"><mark>Renderer</mark> becomes' in page


def test_no_stored_embeddings_means_no_query_encoding(world, configured_fake):
    outcome = _semantic(AnonymousUser(), "renderer slow")

    assert not outcome.ran and outcome.note == "no issue has been embedded yet"
    assert configured_fake.calls == []


def test_similar_to_an_item_uses_its_stored_vector_only(embedded, configured_fake, client):
    """`similar:owner/name#N` needs no encoder: the item's stored vector is the query."""
    twin = embedded.cache_pull
    vector = configured_fake.encode([_text(embedded.memory_leak)])[0]
    embeddings_save(
        rows=[VectorRow(EmbeddingKind.PULL_REQUEST, twin.pk, twin.repository_id, "x", vector)],
        model_id=configured_fake.model_id,
    )
    encoded_before = len(configured_fake.encoded)

    with _worker_unreachable():
        results = search_everything(
            user=None, text="similar:acme/widgets#8", filters=SearchFilters()
        )
        page = client.get("/search/", {"q": "similar:acme/widgets#8"}).content.decode()

    assert results.similar_to == embedded.memory_leak
    assert results.ranked[0].item == twin  # the same vector: similarity 1.0
    assert embedded.memory_leak not in [result.item for result in results.ranked]
    assert len(configured_fake.encoded) == encoded_before
    assert "Items similar in meaning to" in page and "similar meaning (1.00)" in page


def test_similar_to_a_private_item_finds_nothing_for_anonymous(embedded, client):
    results = search_everything(user=None, text="similar:#9", filters=SearchFilters())

    assert results.similar_to is None and results.numbered == []
    page = client.get("/search/", {"q": "similar:#9"}).content.decode()
    assert "No issue or pull request #9" in page


def test_similar_to_a_number_in_several_repositories_asks_which(embedded, client):
    page = client.get("/search/", {"q": "similar:#7"}).content.decode()

    assert "#7 in 2 repositories" in page
    assert 'href="?q=similar%3Aacme/widgets%237"' in page
    assert 'href="?q=similar%3Aacme/widgets-cli%237"' in page


def test_printed_scores_follow_the_result_order(embedded, client, settings):
    """The list is ordered by the fused (words + meaning) score: a free-text search prints no
    cosine figure that could contradict that order; a `similar:` list, ordered by cosine alone,
    prints non-increasing figures."""
    settings.STEWARD_SEARCH_MIN_SIMILARITY = -1.0
    page = client.get("/search/", {"q": "renderer slow"}).content.decode()
    assert "similar meaning" in page
    assert re.findall(r"similar meaning \((\d\.\d\d)\)", page) == []

    page = client.get("/search/", {"q": "similar:acme/widgets#7"}).content.decode()
    printed = [float(x) for x in re.findall(r"similar meaning \((-?\d\.\d\d)\)", page)]
    assert len(printed) >= 2
    assert printed == sorted(printed, reverse=True)
