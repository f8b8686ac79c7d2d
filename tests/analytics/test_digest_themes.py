"""Digest themes: spherical k-means over stored vectors, named by representative titles."""

from __future__ import annotations

import datetime as dt
import os

import numpy as np
import pytest

from analytics.digests import digest_generate
from analytics.digests.themes import ThemeItem, kmeans, silhouette, themes_find
from tests.factories import IssueFactory, RepositoryFactory

NOW = dt.datetime(2025, 3, 20, 12, tzinfo=dt.UTC)
WEEK = dt.date(2025, 3, 10)  # a Monday; the week has ended at NOW

TOPICS = {
    "install": [
        "pip install fails on Windows with a compiler error",
        "Installation from PyPI breaks on Python 3.13",
        "Cannot install the package: wheel build failed",
        "pip install pulls an incompatible numpy version",
        "Installing with conda fails on an Apple M1 laptop",
        "Package installation error: missing C headers",
        "setup.py install crashes with a permission denied error",
        "pip cannot find a wheel for ARM Linux",
        "Installation hangs while building the native extension",
        "The install guide's pip command fails in a virtualenv",
    ],
    "dark mode": [
        "Add a dark theme to the settings page",
        "Dark mode colours are unreadable in the sidebar",
        "Support the system dark mode preference",
        "Night theme: the buttons stay bright white",
        "Toggle between light and dark colour schemes",
        "Dark mode makes the chart labels invisible",
        "Use a darker background colour for the editor at night",
        "The dark palette has too little contrast for links",
        "Remember the user's choice of light or dark theme",
        "Icons disappear against the dark theme background",
    ],
    "docs typos": [
        "Typo in the README quickstart section",
        "Spelling mistake on the documentation home page",
        "Fix a misspelled word in the API reference",
        "Broken sentence in the contributing guide",
        "Documentation typo: 'recieve' should be 'receive'",
        "Grammar error in the tutorial's second paragraph",
        "The changelog misspells the project name",
        "Duplicate word 'the the' in the FAQ",
        "Typo in a docstring of the public API",
        "Wrong spelling in the installation docs heading",
    ],
}


def _blobs(seed: int = 1, per: int = 12, dims: int = 16) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = np.eye(dims)[:3] * 4
    points = np.vstack([c + rng.normal(scale=0.4, size=(per, dims)) for c in centres])
    truth = np.repeat(np.arange(3), per)
    return points / np.linalg.norm(points, axis=1, keepdims=True), truth


def test_kmeans_recovers_separated_groups_and_is_deterministic():
    vectors, truth = _blobs()
    labels, centres = kmeans(vectors, 3, seed=0)
    again, _ = kmeans(vectors, 3, seed=0)

    assert np.array_equal(labels, again)
    for group in range(3):
        assert len(set(labels[truth == group])) == 1
    assert len(set(labels)) == 3
    assert np.allclose(np.linalg.norm(centres, axis=1), 1.0)


def test_silhouette_prefers_the_true_number_of_groups():
    vectors, truth = _blobs()
    scores = {k: silhouette(vectors, kmeans(vectors, k, seed=0)[0]) for k in range(2, 7)}

    assert max(scores, key=scores.get) == 3
    assert silhouette(vectors, truth) > 0.5


def test_themes_name_keywords_and_members_on_synthetic_vectors():
    vectors, truth = _blobs(per=5)
    names = ["crash on start", "slow start up", "dark theme", "dark colours", "typo in docs"]
    items = [
        ThemeItem(kind="issue", number=i + 1, title=f"{names[g]} {i}") for i, g in enumerate(truth)
    ]

    found = themes_find(items, vectors)

    assert found["k"] == 3 and found["reason"] is None
    assert sorted(t["size"] for t in found["themes"]) == [5, 5, 5]
    members = sorted(m["number"] for t in found["themes"] for m in t["members"])
    assert members == list(range(1, 16))
    for theme in found["themes"]:
        assert len(theme["representative"]) == 3
        assert theme["name"] == theme["representative"][0]["title"]


def test_fewer_than_four_vectors_give_no_themes_and_say_why():
    items = [ThemeItem(kind="issue", number=n, title=f"t{n}") for n in range(3)]
    found = themes_find(items, np.eye(3))

    assert found["themes"] == []
    assert "at least 4" in found["reason"]


@pytest.fixture(scope="module")
def encoder():
    torch = pytest.importorskip("torch")
    pytest.importorskip("sentence_transformers")
    from models_hub.embeddings.encoder import load_encoder

    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    torch.set_num_threads(1)
    return load_encoder(device="cpu")


def _issues(repository, titles_by_topic: dict[str, list[str]]) -> dict[int, str]:
    """Issues opened during WEEK; number → topic."""
    topic_of = {}
    number = 1
    for topic, titles in titles_by_topic.items():
        for title in titles:
            opened = dt.datetime.combine(WEEK, dt.time(8), tzinfo=dt.UTC) + dt.timedelta(
                hours=number * 3
            )
            IssueFactory(
                repository=repository, number=number, title=title, body="", created_at=opened
            )
            topic_of[number] = topic
            number += 1
    return topic_of


@pytest.mark.slow
@pytest.mark.django_db
def test_three_topics_make_three_themes_with_the_real_model(encoder):
    from models_hub.embeddings.store import issues_embed

    repository = RepositoryFactory()
    topic_of = _issues(repository, TOPICS)
    # Two more issues of the week with no vector yet: left out, and said so.
    IssueFactory(repository=repository, number=99, created_at=NOW - dt.timedelta(days=8))
    IssueFactory(repository=repository, number=98, created_at=NOW - dt.timedelta(days=7))
    embedded = repository.issues.filter(number__lt=90).values_list("id", flat=True)
    issues_embed(issue_ids=list(embedded), encoder=encoder)

    digest = digest_generate(repository=repository, period="week", start=WEEK, now=NOW)
    themes = digest.content["themes"]

    assert (themes["items"], themes["embedded"], themes["left_out"]) == (32, 30, 2)
    assert themes["reason"] is None and len(themes["themes"]) == 3
    seen = set()
    for theme in themes["themes"]:
        topics = {topic_of[m["number"]] for m in theme["members"]}
        assert len(topics) == 1, theme  # each theme is one topic…
        (topic,) = topics
        assert theme["size"] == 10
        assert {topic_of[r["number"]] for r in theme["representative"]} == {topic}
        assert theme["name"] in TOPICS[topic]
        seen.add(topic)
    assert seen == set(TOPICS)  # …and every topic is a theme


@pytest.mark.slow
@pytest.mark.django_db
def test_too_few_vectors_give_no_themes_with_the_reason(encoder):
    from models_hub.embeddings.store import issues_embed

    repository = RepositoryFactory()
    _issues(repository, {"install": TOPICS["install"][:5]})
    some = repository.issues.order_by("number").values_list("id", flat=True)[:3]
    issues_embed(issue_ids=list(some), encoder=encoder)

    digest = digest_generate(repository=repository, period="week", start=WEEK, now=NOW)
    themes = digest.content["themes"]

    assert themes["themes"] == []
    assert (themes["embedded"], themes["left_out"]) == (3, 2)
    assert "at least 4" in themes["reason"] and "has 3" in themes["reason"]
