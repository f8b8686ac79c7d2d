"""Suggested assignees: recent, active resolvers of similar issues; never bots or the absent."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.utils import timezone

from models_hub.embeddings.store import VectorRow, embeddings_save
from models_hub.models import EmbeddingKind
from models_hub.triage.assignees import issue_assignee_candidates
from tests.factories import (
    ActorFactory,
    CommentFactory,
    IssueFactory,
    PullRequestFactory,
    RepositoryFactory,
)

pytestmark = pytest.mark.django_db
MODEL = "test/assignees"


def _at_cosine(base: np.ndarray, cosine: float, seed: int) -> np.ndarray:
    noise = np.random.default_rng(seed).standard_normal(base.size)
    orthogonal = noise - (noise @ base) * base
    orthogonal /= np.linalg.norm(orthogonal)
    return (cosine * base + np.sqrt(1 - cosine**2) * orthogonal).astype(np.float32)


def _ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


class Scene:
    def __init__(self) -> None:
        self.repository = RepositoryFactory()
        vector = np.random.default_rng(0).standard_normal(24)
        self.base = (vector / np.linalg.norm(vector)).astype(np.float32)
        self.seed = 0

    def closed(self, *, cosine: float, days_ago: float, closed_by=None, reason="completed", **kw):
        issue = IssueFactory(
            repository=self.repository,
            state="closed",
            state_reason=reason,
            created_at=_ago(days_ago + 5),
            closed_at=_ago(days_ago),
            updated_at=_ago(days_ago),
            closed_by=closed_by,
            **kw,
        )
        self.seed += 1
        row = VectorRow(
            EmbeddingKind.ISSUE,
            issue.pk,
            issue.repository_id,
            f"h{issue.pk}",
            _at_cosine(self.base, cosine, self.seed),
        )
        embeddings_save(rows=[row], model_id=MODEL)
        return issue

    def suggest(self, issue=None):
        issue = issue or IssueFactory(repository=self.repository)
        return issue_assignee_candidates(issue=issue, vector=self.base, model_id=MODEL)


def _active(actor):
    CommentFactory(author=actor, created_at=_ago(3), updated_at=_ago(3))
    return actor


def test_active_resolvers_of_similar_issues_are_ranked_with_their_evidence():
    scene = Scene()
    maya, ravi = _active(ActorFactory(login="maya")), _active(ActorFactory(login="ravi"))
    first = scene.closed(cosine=0.9, days_ago=10, assignees=[maya])
    second = scene.closed(cosine=0.8, days_ago=40, closed_by=maya)
    third = scene.closed(cosine=0.7, days_ago=200, assignees=[ravi])

    found = scene.suggest()

    assert [c.actor.login for c in found] == ["maya", "ravi"]
    assert [item["number"] for item in found[0].evidence] == [first.number, second.number]
    assert found[0].evidence[0]["roles"] == ["assigned"]
    assert found[0].evidence[1]["roles"] == ["closed it"]
    assert found[0].evidence[0]["score"] == pytest.approx(0.9, abs=1e-4)
    assert [item["number"] for item in found[1].evidence] == [third.number]
    assert 1.0 >= found[0].score > found[1].score > 0
    recency = [0.5 ** (d / 90) for d in (10, 40, 200)]
    expected = (0.9 * recency[0] + 0.8 * recency[1]) / (
        0.9 * recency[0] + 0.8 * recency[1] + 0.7 * recency[2]
    )
    assert found[0].score == pytest.approx(expected, abs=1e-3)


def test_authors_of_merged_pull_requests_that_close_the_issue_are_resolvers():
    scene = Scene()
    fixer = _active(ActorFactory(login="fixer"))
    fixed = scene.closed(cosine=0.85, days_ago=5)
    PullRequestFactory(
        repository=scene.repository,
        author=fixer,
        is_merged=True,
        number=77,
        body=f"Fixes #{fixed.number}\n\nAlso mentions #{fixed.number}0 in passing.",
    )
    PullRequestFactory(
        repository=scene.repository, author=_active(ActorFactory()), body=f"See #{fixed.number}"
    )

    (found,) = scene.suggest()

    assert found.actor == fixer
    assert found.evidence[0]["roles"] == ["fixed in #77"]


def test_bots_the_inactive_the_author_and_unrelated_issues_are_never_suggested():
    scene = Scene()
    bot = _active(ActorFactory(bot=True))
    gone = ActorFactory(login="gone")  # resolved once, long ago, nothing since
    reporter = _active(ActorFactory(login="reporter"))
    helper = _active(ActorFactory(login="helper"))
    scene.closed(cosine=0.9, days_ago=5, closed_by=bot)
    scene.closed(cosine=0.9, days_ago=100, assignees=[gone])
    scene.closed(cosine=0.9, days_ago=5, assignees=[reporter])
    scene.closed(cosine=0.9, days_ago=5, closed_by=helper, reason="not_planned")
    scene.closed(cosine=0.9, days_ago=500, closed_by=helper)
    scene.closed(cosine=0.3, days_ago=5, closed_by=helper)
    self_closed = scene.closed(cosine=0.9, days_ago=5, author=helper)
    self_closed.closed_by = helper
    self_closed.save()

    found = scene.suggest(IssueFactory(repository=scene.repository, author=reporter))

    assert found == []
