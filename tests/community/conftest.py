"""Fixtures for the community site pages: a small tracked community with one private repository."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from community.models import Actor, Issue, PullRequest, Repository
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
)


@dataclass
class SiteCommunity:
    public: Repository
    private: Repository
    ada: Actor  # active in both repositories
    grace: Actor  # active in the public repository only
    secretive: Actor  # active in the private repository only
    bot: Actor
    bug_issue: Issue
    feature_issue: Issue
    closed_issue: Issue
    merged_pull: PullRequest
    draft_pull: PullRequest
    private_issue: Issue


@pytest.fixture
def site_community(db) -> SiteCommunity:
    now = timezone.now()
    org = ActorFactory(organization=True, login="acme")
    ada = ActorFactory(login="ada", name="Ada Lovelace")
    grace = ActorFactory(login="grace")
    secretive = ActorFactory(login="secretive")
    bot = ActorFactory(bot=True, login="dependabot[bot]")
    public = RepositoryFactory(
        owner=org, name="rocket", description="A public rocket", topics=["space", "python"]
    )
    private = RepositoryFactory(owner=org, name="vault", is_private=True, description="Secrets")
    bug = LabelFactory(repository=public, name="bug", color="d73a4a")
    docs = LabelFactory(repository=public, name="docs", color="0075ca")
    milestone = MilestoneFactory(repository=public, title="v1.0")

    bug_issue = IssueFactory(
        repository=public,
        number=1,
        title="Crash on launch",
        body="Steps:\n\n1. **launch**\n2. boom",
        author=ada,
        labels=[bug],
        assignees=[grace],
        milestone=milestone,
        comments_count=5,
        created_at=now - dt.timedelta(days=3),
    )
    feature_issue = IssueFactory(
        repository=public,
        number=2,
        title="Add a countdown",
        body="It would be nice to see the countdown timer.",
        author=grace,
        labels=[docs],
        comments_count=1,
        created_at=now - dt.timedelta(days=2),
    )
    closed_issue = IssueFactory(
        repository=public,
        number=3,
        title="Old typo",
        author=bot,
        closed=True,
        created_at=now - dt.timedelta(days=9),
    )
    merged_pull = PullRequestFactory(
        repository=public,
        number=4,
        title="Fix the launch crash",
        author=grace,
        is_merged=True,
        merged_by=ada,
        requested_reviewers=[ada],
        additions=42,
        deletions=7,
        changed_files=3,
        created_at=now - dt.timedelta(days=2, hours=12),
    )
    draft_pull = PullRequestFactory(
        repository=public, number=5, title="WIP countdown", author=ada, is_draft=True
    )
    CommentFactory(issue=bug_issue, author=grace, body="I can reproduce this.")
    IssueEventFactory(issue=bug_issue, event="labeled", label_name="bug", actor=ada)
    IssueEventFactory(
        issue=bug_issue,
        event="renamed",
        actor=ada,
        rename_from="crash",
        rename_to="Crash on launch",
        created_at=now - dt.timedelta(days=1),
    )
    review = ReviewFactory(pull_request=merged_pull, reviewer=ada, state="CHANGES_REQUESTED")
    CommentFactory(
        review_comment=True, pull_request=merged_pull, review=review, author=ada, body="Nit here"
    )
    IssueEventFactory(
        issue=None, pull_request=merged_pull, event="merged", actor=ada, commit_id="a" * 40
    )
    ReleaseFactory(repository=public, tag_name="v1.0.0", name="Liftoff")

    private_issue = IssueFactory(
        repository=private, number=1, title="Leaked credentials", author=ada
    )
    IssueFactory(repository=private, number=2, title="Vault door", author=secretive)
    CommentFactory(issue=private_issue, author=secretive, body="Rotate them now")
    return SiteCommunity(
        public=public,
        private=private,
        ada=ada,
        grace=grace,
        secretive=secretive,
        bot=bot,
        bug_issue=bug_issue,
        feature_issue=feature_issue,
        closed_issue=closed_issue,
        merged_pull=merged_pull,
        draft_pull=draft_pull,
        private_issue=private_issue,
    )
