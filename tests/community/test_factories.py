"""The shared factories build valid, consistent rows (other test areas rely on them)."""

from __future__ import annotations

import pytest

from community.models import Comment, CommentKind, IssueEvent, IssueState, Repository
from tests.factories import (
    ActorFactory,
    CommentFactory,
    IssueEventFactory,
    IssueFactory,
    LabelFactory,
    MilestoneFactory,
    PullRequestFactory,
    ReleaseFactory,
    RepositoryFactory,
    ReviewFactory,
    StarEventFactory,
)

pytestmark = pytest.mark.django_db


def test_actor_traits():
    assert ActorFactory(bot=True).is_bot is True
    assert ActorFactory(bot=True).login.endswith("[bot]")
    assert ActorFactory(organization=True).type == "Organization"
    assert ActorFactory().is_bot is False


def test_repository_traits_and_names():
    repository = RepositoryFactory(is_private=True)
    assert repository.private is True
    assert repository.full_name == f"{repository.owner.login}/{repository.name}"
    assert RepositoryFactory(private=True).private is True
    assert Repository.objects.filter(private=False).count() == 0


def test_issue_and_pull_request_relations_and_traits():
    repository = RepositoryFactory()
    label = LabelFactory(repository=repository)
    milestone = MilestoneFactory(repository=repository)
    assignee = ActorFactory()
    issue = IssueFactory(
        repository=repository, labels=[label], assignees=[assignee], milestone=milestone
    )
    assert list(issue.labels.all()) == [label] and list(issue.assignees.all()) == [assignee]
    assert IssueFactory(closed=True).state == IssueState.CLOSED

    reviewer = ActorFactory()
    pull = PullRequestFactory(is_merged=True, requested_reviewers=[reviewer])
    assert pull.merged and pull.merged_at and pull.state == IssueState.CLOSED
    assert list(pull.requested_reviewers.all()) == [reviewer]
    assert PullRequestFactory(is_draft=True).draft is True


def test_activity_rows_follow_their_parent():
    issue_comment = CommentFactory()
    assert issue_comment.repository == issue_comment.issue.repository
    pull_comment = CommentFactory(on_pull_request=True)
    assert pull_comment.issue is None
    assert pull_comment.repository == pull_comment.pull_request.repository
    review = ReviewFactory()
    diff_comment = CommentFactory(review_comment=True, review=review)
    assert diff_comment.kind == CommentKind.REVIEW and diff_comment.path
    pull = PullRequestFactory()
    event = IssueEventFactory(issue=None, pull_request=pull, event="closed")
    assert event.repository == pull.repository and event.label_name == ""
    assert IssueEventFactory().label_name == "bug"
    assert Comment.objects.count() == 3 and IssueEvent.objects.count() == 2


def test_release_and_star():
    release = ReleaseFactory()
    assert release.published_at and release.tag_name.startswith("v")
    star = StarEventFactory()
    assert star.repository.pk and star.actor.pk
