"""The upsert services: every write keyed by GitHub id, stale payloads ignored, graphs atomic."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from community.github.payloads import (
    GitHubComment,
    GitHubIssue,
    GitHubIssueEvent,
    GitHubPullRequest,
    GitHubRelease,
    GitHubRepository,
    GitHubReview,
    GitHubStar,
    GitHubUser,
)
from community.models import (
    Actor,
    Comment,
    Issue,
    IssueEvent,
    Label,
    Release,
    Repository,
    Review,
    StarEvent,
)
from community.services import upserts

pytestmark = pytest.mark.django_db


@pytest.fixture
def webhook(shared_data):
    def load(event: str, name: str) -> dict:
        return json.loads((shared_data / "github-webhooks" / event / name).read_text())

    return load


@pytest.fixture
def repo(webhook) -> Repository:
    payload = webhook("issues", "opened.payload.json")["repository"]
    return upserts.repository_upsert(payload=GitHubRepository.from_json(payload))


def _issue(webhook, **changes) -> GitHubIssue:
    data = webhook("issues", "opened.payload.json")["issue"]
    return GitHubIssue.from_json({**data, **changes})


def test_issue_upsert_writes_the_whole_graph(repo, webhook):
    issue = upserts.issue_upsert(repository=repo, payload=_issue(webhook))

    assert issue.pk == 444500041 and issue.number == 1
    assert issue.author.login == "Codertocat"
    assert [label.name for label in issue.labels.all()] == ["bug"]
    assert [a.login for a in issue.assignees.all()] == ["Codertocat"]
    assert Label.objects.get(name="bug").repository == repo


def test_upsert_is_idempotent(repo, webhook):
    for _ in range(3):
        upserts.issue_upsert(repository=repo, payload=_issue(webhook))
    assert Issue.objects.count() == 1
    assert Issue.labels.through.objects.count() == 1


def test_newer_payload_replaces_labels_and_fields(repo, webhook):
    first = _issue(webhook)
    upserts.issue_upsert(repository=repo, payload=first)
    later = (first.updated_at + timedelta(minutes=5)).isoformat()
    issue = upserts.issue_upsert(
        repository=repo, payload=_issue(webhook, title="Renamed", labels=[], updated_at=later)
    )
    assert issue.title == "Renamed"
    assert not issue.labels.exists()


def test_stale_payload_changes_nothing(repo, webhook):
    current = _issue(webhook)
    upserts.issue_upsert(repository=repo, payload=current)
    older = (current.updated_at - timedelta(days=1)).isoformat()

    written = upserts.issues_bulk_upsert(
        repository=repo, payloads=[_issue(webhook, title="Old", labels=[], updated_at=older)]
    )

    issue = Issue.objects.get()
    assert written == set()
    assert issue.title == current.title
    assert issue.labels.count() == 1  # the stale graph does not touch relations either


def test_stale_rule_within_one_batch_keeps_newest(repo, webhook):
    base = _issue(webhook)
    newer = (base.updated_at + timedelta(hours=1)).isoformat()
    upserts.issues_bulk_upsert(
        repository=repo,
        payloads=[_issue(webhook, title="New", updated_at=newer), _issue(webhook, title="Old")],
    )
    assert Issue.objects.get().title == "New"


def test_issues_api_pull_requests_are_left_to_pr_upsert(repo, webhook):
    item = _issue(webhook, pull_request={"url": "x"})
    assert upserts.issues_bulk_upsert(repository=repo, payloads=[item]) == set()
    assert not Issue.objects.exists()


def test_pull_request_list_payload_keeps_detail_fields(repo, webhook):
    detail = webhook("pull_request", "closed.payload.json")["pull_request"]
    upserts.pull_request_upsert(repository=repo, payload=GitHubPullRequest.from_json(detail))
    # The pulls *list* endpoint omits additions/deletions/merged_by: they must not be erased.
    listed = {k: v for k, v in detail.items() if k not in ("additions", "deletions", "merged")}
    pr = upserts.pull_request_upsert(repository=repo, payload=GitHubPullRequest.from_json(listed))

    assert pr.additions == detail["additions"] and pr.deletions == detail["deletions"]
    assert pr.merged is False and pr.base_ref == detail["base"]["ref"]
    assert [u.login for u in pr.requested_reviewers.all()] == ["octocat"]


def test_actor_name_not_erased_by_nested_user(repo):
    upserts.actor_upsert(payload=GitHubUser(id=7, login="ada", name="Ada Lovelace"))
    upserts.actor_upsert(payload=GitHubUser(id=7, login="ada", avatar_url="https://a/x.png"))
    actor = Actor.objects.get(pk=7)
    assert actor.name == "Ada Lovelace" and actor.avatar_url == "https://a/x.png"


def test_configured_bot_logins_are_bots(settings):
    settings.STEWARD_BOT_LOGINS = ["Release-Helper"]
    upserts.actor_upsert(payload=GitHubUser(id=4, login="release-helper"))
    assert Actor.objects.get(pk=4).is_bot


def test_bots_are_recognised():
    upserts.actors_bulk_upsert(
        payloads=[
            GitHubUser(id=1, login="dependabot[bot]", type="Bot"),
            GitHubUser(id=2, login="renovate-bot"),
            GitHubUser(id=3, login="robotics-fan"),
        ]
    )
    assert dict(Actor.objects.values_list("login", "is_bot")) == {
        "dependabot[bot]": True,
        "renovate-bot": True,
        "robotics-fan": False,
    }


def test_repository_stale_payload_ignored_and_rename(webhook):
    data = webhook("issues", "opened.payload.json")["repository"]
    repo = upserts.repository_upsert(payload=GitHubRepository.from_json(data))
    stale = {**data, "description": "old", "updated_at": "2001-01-01T00:00:00Z"}
    assert upserts.repository_upsert(payload=GitHubRepository.from_json(stale)).description == (
        repo.description
    )
    renamed = {
        **data,
        "name": "Renamed",
        "full_name": "Codertocat/Renamed",
        "updated_at": "2030-01-01T00:00:00Z",
    }
    repo = upserts.repository_upsert(payload=GitHubRepository.from_json(renamed))
    assert repo.full_name == "Codertocat/Renamed" and Repository.objects.count() == 1


def test_comments_reviews_events_releases_stars(repo, webhook):
    pr_data = webhook("pull_request", "closed.payload.json")["pull_request"]
    pr = upserts.pull_request_upsert(repository=repo, payload=GitHubPullRequest.from_json(pr_data))
    upserts.issue_upsert(repository=repo, payload=_issue(webhook))

    review = webhook("pull_request_review", "submitted.payload.json")["review"]
    upserts.reviews_bulk_upsert(pull_request=pr, payloads=[GitHubReview.from_json(review)])
    comment = webhook("issue_comment", "created.payload.json")["comment"]
    review_comment = webhook("pull_request_review_comment", "created.payload.json")["comment"]
    upserts.comments_bulk_upsert(
        repository=repo,
        payloads=[GitHubComment.from_json(comment), GitHubComment.from_json(review_comment)],
    )
    release = webhook("release", "published.payload.json")["release"]
    upserts.releases_bulk_upsert(repository=repo, payloads=[GitHubRelease.from_json(release)])
    star = GitHubStar(user=GitHubUser(id=99, login="fan"), starred_at=pr.created_at)
    upserts.star_events_bulk_upsert(repository=repo, payloads=[star, star])
    event = GitHubIssueEvent(
        id=5, event="labeled", created_at=pr.created_at, label_name="bug", issue_number=1
    )
    upserts.issue_events_bulk_upsert(repository=repo, payloads=[event])

    assert Review.objects.get().pull_request == pr
    issue_comment = Comment.objects.get(pk=comment["id"])
    assert issue_comment.issue_id == 444500041 and issue_comment.kind == "issue"
    diff_comment = Comment.objects.get(pk=review_comment["id"])
    assert diff_comment.pull_request == pr and diff_comment.kind == "review"
    assert Release.objects.get().tag_name == release["tag_name"]
    assert StarEvent.objects.count() == 1
    assert IssueEvent.objects.get().issue_id == 444500041


def test_comment_on_unknown_parent_is_skipped(repo, webhook):
    comment = webhook("issue_comment", "created.payload.json")["comment"]
    assert (
        upserts.comments_bulk_upsert(repository=repo, payloads=[GitHubComment.from_json(comment)])
        == set()
    )


def test_bulk_upsert_many_rows_in_batches(repo, webhook):
    base = webhook("issues", "opened.payload.json")["issue"]
    items = [
        GitHubIssue.from_json({**base, "id": 10_000 + n, "number": 100 + n, "labels": []})
        for n in range(1_203)
    ]
    assert len(upserts.issues_bulk_upsert(repository=repo, payloads=items)) == 1_203
    assert Issue.objects.count() == 1_203


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_versions_newest_wins(webhook):
    """Versions of one issue written concurrently: whatever the order, the newest stays."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    repo = upserts.repository_upsert(
        payload=GitHubRepository.from_json(webhook("issues", "opened.payload.json")["repository"])
    )
    base = _issue(webhook)
    versions = [
        _issue(
            webhook, title=f"v{n}", updated_at=(base.updated_at + timedelta(seconds=n)).isoformat()
        )
        for n in range(12)
    ]

    def write(payload):
        try:
            upserts.issues_bulk_upsert(repository=repo, payloads=[payload])
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(write, reversed(versions)))

    assert Issue.objects.get().title == "v11"
