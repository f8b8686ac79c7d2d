"""`pull_request_reviews_bulk_upsert`: the reviews of a whole page of pull requests at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from community.github.payloads import (
    GitHubPullRequest,
    GitHubRepository,
    GitHubReview,
    GitHubUser,
)
from community.models import Review
from community.services import upserts

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 1, 5, 12, tzinfo=UTC)
OWNER = GitHubUser(id=501, login="octo-org", type="Organization")
ADA = GitHubUser(id=502, login="ada")
BOB = GitHubUser(id=503, login="bob")


@pytest.fixture
def repository():
    return upserts.repository_upsert(
        payload=GitHubRepository(id=601, owner=OWNER, name="lib", full_name="octo-org/lib")
    )


def _pull(number: int) -> GitHubPullRequest:
    return GitHubPullRequest(
        id=700 + number, number=number, title=f"PR {number}", body="", state="open", user=ADA,
        created_at=NOW, updated_at=NOW,
    )  # fmt: skip


def _review(review_id: int, state: str, *, hours: int = 1) -> GitHubReview:
    return GitHubReview(
        id=review_id, user=BOB, state=state, submitted_at=NOW + timedelta(hours=hours)
    )


def test_reviews_of_many_pull_requests_in_one_call(repository):
    upserts.pull_requests_bulk_upsert(repository=repository, payloads=[_pull(1), _pull(2)])

    written = upserts.pull_request_reviews_bulk_upsert(
        repository=repository,
        reviews_by_number={
            1: [_review(801, "CHANGES_REQUESTED"), _review(802, "APPROVED", hours=5)],
            2: [_review(803, "COMMENTED")],
            9: [_review(804, "APPROVED")],  # not stored: skipped
        },
    )

    assert written == {801, 802, 803}
    rows = dict(Review.objects.values_list("pk", "pull_request_id"))
    assert rows == {801: 701, 802: 701, 803: 702}
    assert Review.objects.get(pk=801).reviewer.login == "bob"


def test_writing_the_same_reviews_again_changes_nothing(repository):
    upserts.pull_requests_bulk_upsert(repository=repository, payloads=[_pull(1)])
    reviews = {1: [_review(801, "APPROVED")]}

    upserts.pull_request_reviews_bulk_upsert(repository=repository, reviews_by_number=reviews)
    upserts.pull_request_reviews_bulk_upsert(repository=repository, reviews_by_number=reviews)

    assert list(Review.objects.values_list("pk", "state")) == [(801, "APPROVED")]


def test_nothing_to_write(repository):
    assert (
        upserts.pull_request_reviews_bulk_upsert(repository=repository, reviews_by_number={1: []})
        == set()
    )
