"""The upsert services: every write keyed by GitHub id, stale payloads ignored, graphs atomic."""

from __future__ import annotations

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
from tests.community.webhooks import payloads

pytestmark = pytest.mark.django_db


@pytest.fixture
def webhook():
    """`webhook("issues", "opened")`: a GitHub-shaped payload built in tests/ (payloads.py)."""
    return payloads.example


@pytest.fixture
def repo(webhook) -> Repository:
    payload = webhook("issues", "opened")["repository"]
    return upserts.repository_upsert(payload=GitHubRepository.from_json(payload))


def _issue(webhook, **changes) -> GitHubIssue:
    data = webhook("issues", "opened")["issue"]
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
    detail = webhook("pull_request", "closed")["pull_request"]
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
    data = webhook("issues", "opened")["repository"]
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
    pr_data = webhook("pull_request", "closed")["pull_request"]
    pr = upserts.pull_request_upsert(repository=repo, payload=GitHubPullRequest.from_json(pr_data))
    upserts.issue_upsert(repository=repo, payload=_issue(webhook))

    review = webhook("pull_request_review", "submitted")["review"]
    upserts.reviews_bulk_upsert(pull_request=pr, payloads=[GitHubReview.from_json(review)])
    comment = webhook("issue_comment", "created")["comment"]
    review_comment = webhook("pull_request_review_comment", "created")["comment"]
    upserts.comments_bulk_upsert(
        repository=repo,
        payloads=[GitHubComment.from_json(comment), GitHubComment.from_json(review_comment)],
    )
    release = webhook("release", "published")["release"]
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
    comment = webhook("issue_comment", "created")["comment"]
    assert (
        upserts.comments_bulk_upsert(repository=repo, payloads=[GitHubComment.from_json(comment)])
        == set()
    )


def test_bulk_upsert_many_rows_in_batches(repo, webhook):
    base = webhook("issues", "opened")["issue"]
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
        payload=GitHubRepository.from_json(webhook("issues", "opened")["repository"])
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


def test_stale_repository_payload_does_not_take_the_name_of_another_repository(webhook):
    """A delayed payload from before a rename must not rename the repository that holds the
    old name now (its full name is how the sync reaches it)."""
    data = webhook("issues", "opened")["repository"]
    before_rename = {**data, "updated_at": "2020-01-01T00:00:00Z"}
    upserts.repository_upsert(payload=GitHubRepository.from_json(before_rename))
    renamed = {**data, "name": "Moved", "full_name": "Codertocat/Moved"}
    upserts.repository_upsert(
        payload=GitHubRepository.from_json({**renamed, "updated_at": "2020-02-01T00:00:00Z"})
    )
    newcomer = {**data, "id": 999_001, "updated_at": "2020-03-01T00:00:00Z"}
    upserts.repository_upsert(payload=GitHubRepository.from_json(newcomer))

    upserts.repository_upsert(payload=GitHubRepository.from_json(before_rename))

    assert Repository.objects.get(pk=999_001).full_name == data["full_name"]
    assert Repository.objects.get(pk=data["id"]).full_name == "Codertocat/Moved"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_naming_the_same_people_in_turn_do_not_deadlock():
    """Two transactions writing the same accounts in opposite orders lock them in one order."""
    import threading

    from django.db import connection, transaction

    people = [GitHubUser(id=n, login=f"user{n}") for n in range(1, 1501)]
    upserts.actors_bulk_upsert(payloads=people)
    orders = [people, list(reversed(people))]
    errors: list[Exception] = []
    barrier = threading.Barrier(2)

    def write(order: list[GitHubUser]) -> None:
        try:
            for _ in range(4):
                barrier.wait()
                with transaction.atomic():
                    upserts.actors_bulk_upsert(payloads=order)
        except Exception as exc:  # a deadlock is reported in the writing thread
            errors.append(exc)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [e for e in errors if not isinstance(e, threading.BrokenBarrierError)] == []


def test_issue_payloads_do_not_revert_or_resurrect_labels(repo, webhook):
    """Labels have no timestamp: the copy inside an issue payload is some past state of them."""
    from community.github.payloads import GitHubLabel

    current = _issue(webhook)
    upserts.issue_upsert(repository=repo, payload=current)
    label = current.labels[0]
    upserts.labels_bulk_upsert(
        repository=repo, payloads=[GitHubLabel(id=label.id, name="defect", color="ff0000")]
    )
    # A newer edit of the issue, delivered after the rename, still names the label "bug".
    later = (current.updated_at + timedelta(minutes=5)).isoformat()
    upserts.issue_upsert(repository=repo, payload=_issue(webhook, updated_at=later))
    assert Label.objects.get(pk=label.id).name == "defect"
    assert Issue.objects.get().labels.get().pk == label.id

    # Deleted on GitHub; a stale payload that still names it does not bring it back.
    upserts.objects_delete(model=Label, ids=[label.id])
    upserts.issue_upsert(repository=repo, payload=current)
    assert not Label.objects.filter(pk=label.id).exists()


def _backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _blockers_of(pid: int, *, within: float = 10.0) -> list[int]:
    """The sessions `pid` waits on for a lock, once it waits on any (empty if it never does)."""
    import time

    from django.db import connection

    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_blocking_pids(%s)", [pid])
            blockers = cursor.fetchone()[0]
        if blockers:
            return blockers
        time.sleep(0.01)
    return []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_commit_pushed_to_two_branches_at_once_keeps_the_first_ref(webhook):
    """The second push waits on the first one's uncommitted row, then must leave it as it is.

    The first push commits only once PostgreSQL shows the second one blocked by it, so the race
    is exercised every time, and the test fails if it is not (the second push never waited)."""
    import threading

    from django.db import connection, transaction

    from community.github.payloads import GitHubPushedCommit
    from community.models import PushedCommit

    repo = upserts.repository_upsert(
        payload=GitHubRepository.from_json(webhook("issues", "opened")["repository"])
    )
    commits = [GitHubPushedCommit(sha="a" * 40, author_login="ada")]
    pids: dict[str, int] = {}
    connected = threading.Barrier(2)  # both sessions are open and know each other's pid
    written = threading.Barrier(2)  # the first push's row is written, not committed
    blocked_by: list[int] = []
    errors: list[BaseException] = []

    def first_push() -> None:
        try:
            pids["first"] = _backend_pid()
            connected.wait(10)
            with transaction.atomic():
                upserts.pushed_commits_bulk_upsert(
                    repository=repo, ref="refs/heads/main", payloads=commits
                )
                written.wait(10)
                blocked_by.extend(_blockers_of(pids["second"]))
        except BaseException as exc:
            errors.append(exc)
            connected.abort()
            written.abort()
        finally:
            connection.close()

    def second_push() -> None:
        try:
            pids["second"] = _backend_pid()
            connected.wait(10)
            written.wait(10)
            upserts.pushed_commits_bulk_upsert(
                repository=repo, ref="refs/heads/other", payloads=commits
            )
        except BaseException as exc:
            errors.append(exc)
            connected.abort()
            written.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=first_push), threading.Thread(target=second_push)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert blocked_by == [pids["first"]]  # the race happened: the second push waited on the first
    assert list(PushedCommit.objects.values_list("ref", flat=True)) == ["refs/heads/main"]


def test_undated_star_never_overwrites_a_stored_star_time(repo):
    from datetime import UTC, datetime

    fan = GitHubUser(id=42, login="fan")
    real = datetime(2024, 1, 2, tzinfo=UTC)
    upserts.star_events_bulk_upsert(
        repository=repo, payloads=[GitHubStar(user=fan, starred_at=real)]
    )
    written = upserts.star_events_bulk_upsert(
        repository=repo,
        payloads=[GitHubStar(user=fan, starred_at=datetime(2025, 1, 1, tzinfo=UTC))],
        insert_only=True,
    )
    assert written == 0
    assert StarEvent.objects.get().starred_at == real


def test_timeline_events_keep_the_reviewer_asked_and_the_milestone_named(repo, webhook):
    """The REST issue-events API names who was asked for a review (a person or a team) and
    which milestone an item joined or left; the stored event keeps both."""
    upserts.issue_upsert(repository=repo, payload=_issue(webhook))
    author = webhook("issues", "opened")["issue"]["user"]
    reviewer = {**author, "id": 4242, "login": "reviewer-person"}
    when = "2026-11-02T10:00:00Z"
    rest = [
        {"id": 71, "event": "review_requested", "created_at": when, "actor": author,
         "review_requester": author, "requested_reviewer": reviewer, "issue": {"number": 1}},
        {"id": 72, "event": "review_request_removed", "created_at": when, "actor": author,
         "requested_team": {"id": 9, "name": "Core Team", "slug": "core-team"},
         "issue": {"number": 1}},
        {"id": 73, "event": "milestoned", "created_at": when, "actor": author,
         "milestone": {"title": "v2.0 " + "x" * 300}, "issue": {"number": 1}},
        {"id": 74, "event": "demilestoned", "created_at": when, "actor": author,
         "milestone": None, "issue": {"number": 1}},
    ]  # fmt: skip

    stored = upserts.issue_events_bulk_upsert(
        repository=repo, payloads=[GitHubIssueEvent.from_json(e) for e in rest]
    )

    assert stored == {71, 72, 73, 74}
    asked = IssueEvent.objects.select_related("reviewer").get(pk=71)
    assert asked.reviewer.login == "reviewer-person" and asked.reviewer_team == ""
    assert Actor.objects.filter(pk=4242, login="reviewer-person").exists()
    team = IssueEvent.objects.get(pk=72)
    assert team.reviewer_id is None and team.reviewer_team == "Core Team"
    milestoned = IssueEvent.objects.get(pk=73)
    assert milestoned.milestone_title.startswith("v2.0 ") and len(milestoned.milestone_title) == 255
    assert IssueEvent.objects.get(pk=74).milestone_title == ""
