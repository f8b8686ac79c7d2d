"""A small community with hand-checked activity, in one public and one private repository."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from community.models import Repository
from tests.factories import (
    ActorFactory,
    CommentFactory,
    IssueFactory,
    PullRequestFactory,
    ReleaseFactory,
    RepositoryFactory,
    ReviewFactory,
    StarEventFactory,
)

NOW = dt.datetime(2024, 6, 15, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def staff_client(db) -> Client:
    """A signed-in staff member (sees private repositories and maintainer pages)."""
    user = get_user_model().objects.create_user("staff", password="x", is_staff=True)
    staff = Client()
    staff.force_login(user)
    return staff


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@dataclass
class Community:
    public: Repository
    private: Repository
    now: dt.datetime


@pytest.fixture
def community(db) -> Community:
    maintainer = ActorFactory(login="maintainer")
    alice, bob = ActorFactory(login="alice"), ActorFactory(login="bob")
    bot = ActorFactory(bot=True)
    public = RepositoryFactory(full_name="acme/widgets", name="widgets", forks_count=4)
    private = RepositoryFactory(full_name="acme/secret", name="secret", private=True)

    # Answered by the maintainer after 5 h; alice's own comment and the bot's come earlier.
    issue = IssueFactory(
        repository=public, author=alice, number=1, created_at=at("2024-05-06 10:00"),
        state="closed", closed_at=at("2024-05-08 10:00"), updated_at=at("2024-05-08 10:00"),
    )  # fmt: skip
    for author, hours in ((alice, 1), (bot, 2), (maintainer, 5)):
        CommentFactory(
            issue=issue, author=author, created_at=issue.created_at + dt.timedelta(hours=hours)
        )
    # Never answered, still open.
    IssueFactory(
        repository=public, author=bob, number=2, title="Crash on start",
        created_at=at("2024-06-03 09:00"), updated_at=at("2024-06-03 09:00"),
    )  # fmt: skip
    pr = PullRequestFactory(
        repository=public, author=alice, number=3, created_at=at("2024-05-07 08:00"),
        state="closed", merged=True, merged_at=at("2024-05-09 08:00"),
        closed_at=at("2024-05-09 08:00"), updated_at=at("2024-05-09 08:00"),
    )  # fmt: skip
    ReviewFactory(pull_request=pr, reviewer=maintainer, state="CHANGES_REQUESTED",
                  submitted_at=at("2024-05-07 11:00"))  # fmt: skip
    ReviewFactory(pull_request=pr, reviewer=maintainer, state="APPROVED",
                  submitted_at=at("2024-05-08 08:00"))  # fmt: skip
    # bob's first PR, waiting for review.
    PullRequestFactory(
        repository=public, author=bob, number=4, title="Fix the crash",
        created_at=at("2024-06-04 09:00"), updated_at=at("2024-06-04 09:00"),
    )  # fmt: skip
    # Private: answered after 1 h.
    secret = IssueFactory(
        repository=private, author=alice, number=1, created_at=at("2024-05-10 10:00"),
        updated_at=at("2024-05-10 11:00"),
    )  # fmt: skip
    CommentFactory(issue=secret, author=maintainer, created_at=at("2024-05-10 11:00"))
    for day in ("2024-05-01", "2024-05-20", "2024-06-02"):
        StarEventFactory(repository=public, starred_at=at(f"{day} 12:00"))
    ReleaseFactory(repository=public, created_at=at("2024-05-01 00:00"))
    ReleaseFactory(repository=public, created_at=at("2024-05-31 00:00"))
    return Community(public=public, private=private, now=NOW)
