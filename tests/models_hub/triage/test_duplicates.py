"""Duplicate candidates: most similar open and recently closed issues of the repository."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.utils import timezone

from models_hub.embeddings.store import VectorRow, embeddings_save, issues_embed
from models_hub.models import EmbeddingKind
from models_hub.triage.duplicates import issue_duplicate_candidates
from tests.factories import IssueFactory, PullRequestFactory, RepositoryFactory

pytestmark = pytest.mark.django_db
MODEL = "test/duplicates"


def _at_cosine(base: np.ndarray, cosine: float, seed: int) -> np.ndarray:
    """A unit vector whose cosine similarity to `base` is exactly `cosine`."""
    noise = np.random.default_rng(seed).standard_normal(base.size)
    orthogonal = noise - (noise @ base) * base
    orthogonal /= np.linalg.norm(orthogonal)
    return cosine * base + np.sqrt(1 - cosine**2) * orthogonal


def _store(obj, vector: np.ndarray, kind=EmbeddingKind.ISSUE) -> None:
    row = VectorRow(kind, obj.pk, obj.repository_id, f"hash-{obj.pk}", vector.astype(np.float32))
    embeddings_save(rows=[row], model_id=MODEL)


@pytest.fixture
def base() -> np.ndarray:
    vector = np.random.default_rng(1).standard_normal(32)
    return vector / np.linalg.norm(vector)


def test_open_and_recently_closed_issues_ranked_by_similarity(base):
    repo = RepositoryFactory()
    issue = IssueFactory(repository=repo)
    open_close = IssueFactory(repository=repo)
    recently_closed = IssueFactory(
        repository=repo, closed=True, closed_at=timezone.now() - dt.timedelta(days=5)
    )
    long_closed = IssueFactory(
        repository=repo, closed=True, closed_at=timezone.now() - dt.timedelta(days=400)
    )
    unrelated = IssueFactory(repository=repo)
    pull = PullRequestFactory(repository=repo)
    elsewhere = IssueFactory()
    _store(issue, base)
    _store(open_close, _at_cosine(base, 0.93, 2))
    _store(recently_closed, _at_cosine(base, 0.97, 3))
    _store(long_closed, _at_cosine(base, 0.99, 4))
    _store(unrelated, _at_cosine(base, 0.2, 5))
    _store(pull, _at_cosine(base, 0.98, 6), kind=EmbeddingKind.PULL_REQUEST)
    _store(elsewhere, base)

    found = issue_duplicate_candidates(issue=issue, model_id=MODEL)

    assert [c.issue for c in found] == [recently_closed, open_close]
    assert [c.score for c in found] == pytest.approx([0.97, 0.93], abs=1e-5)
    assert [c.is_open for c in found] == [False, True]


def test_threshold_limit_and_missing_embedding(base):
    repo = RepositoryFactory()
    issue, near, nearer = IssueFactory.create_batch(3, repository=repo)
    _store(issue, base)
    _store(near, _at_cosine(base, 0.7, 7))
    _store(nearer, _at_cosine(base, 0.8, 8))

    assert [c.issue for c in issue_duplicate_candidates(issue=issue, model_id=MODEL, limit=1)] == [
        nearer
    ]
    assert (
        issue_duplicate_candidates(issue=issue, model_id=MODEL, min_score=0.75)[0].issue == nearer
    )
    assert len(issue_duplicate_candidates(issue=issue, model_id=MODEL, min_score=0.75)) == 1
    assert issue_duplicate_candidates(issue=IssueFactory(repository=repo), model_id=MODEL) == []


@pytest.mark.slow
def test_real_model_finds_the_reworded_duplicate(real_encoder, settings):
    settings.STEWARD_EMBEDDING_MODEL = ""
    repo = RepositoryFactory()
    new = IssueFactory(
        repository=repo,
        title="Crash when saving a file whose name has accents",
        body="Saving `café.txt` raises UnicodeEncodeError on Windows.",
    )
    duplicate = IssueFactory(
        repository=repo,
        title="UnicodeEncodeError on save with non-ASCII filename",
        body="Saving a file named `résumé.md` crashes the editor on Windows 11.",
    )
    others = [
        IssueFactory(repository=repo, title="Add a dark theme", body="A dark mode for the UI."),
        IssueFactory(repository=repo, title="Docs: broken link", body="The install page 404s."),
        IssueFactory(repository=repo, title="Support CSV export", body="Export tables as CSV."),
    ]
    issues_embed(issue_ids=[new.pk, duplicate.pk, *[o.pk for o in others]], encoder=real_encoder)

    found = issue_duplicate_candidates(issue=new, min_score=0.0)

    assert found[0].issue == duplicate
    assert found[0].score > 0.6 > max(c.score for c in found[1:])
