"""Pages stay fast: their query count does not grow with the number of rows they show."""

from __future__ import annotations

import pytest

from tests.factories import (
    ActorFactory,
    CommentFactory,
    IssueEventFactory,
    IssueFactory,
    LabelFactory,
    PullRequestFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_community(site_community):
    """Dozens of items, authors, labels and conversation entries in the public repository."""
    repository = site_community.public
    labels = LabelFactory.create_batch(3, repository=repository)
    authors = ActorFactory.create_batch(10)
    for n in range(40):
        IssueFactory(repository=repository, author=authors[n % 10], labels=labels[: n % 4])
        PullRequestFactory(repository=repository, author=authors[n % 10], labels=labels[:1])
    issue, pull = site_community.bug_issue, site_community.merged_pull
    for n in range(20):
        CommentFactory(issue=issue, author=authors[n % 10])
        IssueEventFactory(issue=issue, actor=authors[n % 10])
        review = ReviewFactory(pull_request=pull, reviewer=authors[n % 10])
        CommentFactory(review_comment=True, pull_request=pull, review=review)
    return site_community


@pytest.mark.parametrize(
    ("url", "most"),
    [
        ("/", 4),
        ("/repos/acme/rocket/", 14),
        ("/repos/acme/rocket/issues/?state=all", 6),
        ("/repos/acme/rocket/pulls/?state=all&sort=comments", 6),
        ("/repos/acme/rocket/issues/1/", 8),
        ("/repos/acme/rocket/pull/4/", 10),
        ("/people/", 6),
        ("/people/ada/", 16),
    ],
)
def test_query_count_is_bounded(client, busy_community, django_assert_max_num_queries, url, most):
    with django_assert_max_num_queries(most):
        response = client.get(url)
    assert response.status_code == 200
