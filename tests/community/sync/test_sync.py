"""Full and incremental sync against the fake GitHub: what lands in the database, and what the
second run costs (since filtering, ETag/304)."""

from __future__ import annotations

import pytest

from community.models import (
    Comment,
    CommentKind,
    Issue,
    IssueEvent,
    Label,
    Milestone,
    PullRequest,
    Release,
    Review,
    StarEvent,
    SyncCursor,
    SyncStatus,
)
from community.services.sync import repository_sync

pytestmark = pytest.mark.django_db


def test_full_sync_stores_every_resource(api, repository, fake_repo):
    state = repository_sync(repository=repository, full=True, client=api)

    assert state.status == SyncStatus.OK and state.last_error == ""
    assert state.requests_made > 0 and state.last_success_at is not None
    repository.refresh_from_db()
    assert repository.description == "Demo project" and repository.stargazers_count == 3
    assert set(Label.objects.values_list("name", flat=True)) == {"bug", "docs"}
    assert Milestone.objects.get().title == "v1.0"

    crash = Issue.objects.get(number=fake_repo.sample["crash"])
    assert [label.name for label in crash.labels.all()] == ["bug"]
    assert [a.login for a in crash.assignees.all()] == ["erin"]
    assert Issue.objects.count() == 2  # PRs listed by the issues API are not issues

    merged = PullRequest.objects.get(number=fake_repo.sample["merged"])
    assert merged.merged and merged.merged_at is not None and merged.merged_by.login == "octo"
    assert (merged.additions, merged.deletions) == (42, 7)
    assert [u.login for u in merged.requested_reviewers.all()] == ["dave"]
    assert PullRequest.objects.get(number=fake_repo.sample["draft"]).draft
    assert sorted(Review.objects.values_list("state", flat=True)) == [
        "APPROVED",
        "CHANGES_REQUESTED",
    ]

    review_comment = Comment.objects.get(kind=CommentKind.REVIEW)
    assert (
        review_comment.pull_request == merged and review_comment.review.state == "CHANGES_REQUESTED"
    )
    assert Comment.objects.get(body="I see this too").issue == crash
    assert Comment.objects.get(body="LGTM").pull_request == merged

    events = {(e.event, e.issue_id or e.pull_request_id) for e in IssueEvent.objects.all()}
    assert events == {
        ("labeled", crash.pk),
        ("assigned", crash.pk),
        ("merged", merged.pk),
        ("closed", merged.pk),
    }
    assert IssueEvent.objects.get(event="labeled").label_name == "bug"
    assert Release.objects.get().tag_name == "v1.0.0"
    stars = StarEvent.objects.order_by("starred_at")
    assert [s.actor.login for s in stars] == ["fan1", "fan2", "fan3"]
    assert stars[0].starred_at < stars[2].starred_at
    assert set(SyncCursor.objects.values_list("status", flat=True)) == {SyncStatus.OK}


def test_link_pagination_over_many_pages(github, make_client, repository, fake_repo):
    for n in range(57):
        github.add_issue(fake_repo, title=f"Issue {n}")
        github.add_star(fake_repo, f"stargazer{n}")
    client = make_client(per_page=5)

    repository_sync(repository=repository, client=client, resources=["issues", "stargazers"])

    assert Issue.objects.count() == 59
    assert StarEvent.objects.count() == 60
    star_pages = github.requests_to(r"/stargazers$")
    assert len(star_pages) == 12  # 60 stars, 5 per page, every `next` link followed
    assert {h.query.get("page", "1") for h in star_pages} == {str(n) for n in range(1, 13)}
    assert len(github.requests_to(r"/issues$")) >= 12


def test_second_run_asks_only_for_changes_since_the_cursor(github, api, repository, fake_repo):
    repository_sync(repository=repository, client=api)
    cursor = SyncCursor.objects.get(resource="issues")
    assert cursor.since is not None
    github.hits.clear()

    github.add_issue(fake_repo, title="Brand new")
    repository_sync(repository=repository, client=api)

    (request,) = github.requests_to(r"/issues$")
    assert request.query["since"] == cursor.since.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert request.query["sort"] == "updated" and request.query["direction"] == "asc"
    assert Issue.objects.filter(title="Brand new").exists()


def test_unchanged_pages_are_conditional_and_cost_nothing(github, api, repository, fake_repo):
    repository_sync(repository=repository, client=api)
    repository_sync(repository=repository, client=api)  # settles the `since` checkpoints
    github.hits.clear()
    budget_before = github.budgets[github_token(github)].remaining

    state = repository_sync(repository=repository, client=api)

    assert state.status == SyncStatus.OK
    listed = [
        h for h in github.hits if not h.path.endswith(("/reviews",)) and "/pulls/" not in h.path
    ]
    assert listed and {h.status for h in listed} == {304}
    assert github.budgets[github_token(github)].remaining == budget_before


def test_issue_edited_between_two_incremental_runs(github, api, repository, fake_repo):
    repository_sync(repository=repository, client=api)
    crash = fake_repo.sample["crash"]
    docs = fake_repo.labels[1]

    github.edit_issue(
        fake_repo, crash, title="Crash on start (macOS)", labels=[docs["id"]], state="closed"
    )
    github.add_comment(fake_repo, crash, body="Fixed in main")
    github.add_event(fake_repo, crash, "closed")
    repository_sync(repository=repository, client=api)

    issue = Issue.objects.get(number=crash)
    assert issue.title == "Crash on start (macOS)" and issue.state == "closed"
    assert [label.name for label in issue.labels.all()] == ["docs"]
    assert issue.comments.count() == 2
    assert issue.events.filter(event="closed").exists()
    assert Issue.objects.count() == 2


def test_edited_pull_request_gets_its_details_again(github, api, repository, fake_repo):
    repository_sync(repository=repository, client=api)
    draft = fake_repo.sample["draft"]
    fake_repo.pulls[draft].update(draft=False, additions=99)
    github.edit_issue(fake_repo, draft, title="Docs")
    github.add_review(fake_repo, draft, state="APPROVED", user="erin")

    repository_sync(repository=repository, client=api)

    pull = PullRequest.objects.get(number=draft)
    assert (pull.title, pull.draft, pull.additions) == ("Docs", False, 99)
    assert pull.reviews.get().reviewer.login == "erin"
    assert SyncCursor.objects.get(resource="pull_request_details").pending == []


def test_comment_on_an_issue_opened_after_the_issue_list_was_read(
    github, api, repository, fake_repo
):
    repository_sync(repository=repository, client=api, resources=["issues"])
    late = github.add_issue(fake_repo, title="Opened during the sync")
    github.add_comment(fake_repo, late, body="First!")

    repository_sync(repository=repository, client=api, resources=["issue_comments"])

    assert Comment.objects.get(body="First!").issue.title == "Opened during the sync"


def test_full_sync_ignores_cursors(github, api, repository, fake_repo):
    repository_sync(repository=repository, client=api)
    github.hits.clear()

    repository_sync(repository=repository, client=api, full=True)

    (request,) = github.requests_to(r"/issues$")
    assert "since" not in request.query and request.status == 200


def test_disabled_issues_are_reported_not_fatal(github, api, repository, fake_repo):
    fake_repo.issues_disabled = True

    state = repository_sync(repository=repository, client=api)

    assert state.status == SyncStatus.OK
    assert "issues" in state.last_error and "disabled" in state.last_error
    assert SyncCursor.objects.get(resource="issues").status == SyncStatus.FAILED
    assert PullRequest.objects.count() == 2


def github_token(github) -> str:
    return next(t for t in github.budgets if t)


def test_reviews_of_a_detail_chunk_are_written_in_one_statement(github, api, repository, fake_repo):
    """PR details write the reviews of a whole chunk at once, not one upsert per pull request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from community.services.sync.issues import PR_DETAILS

    for n in range(8):
        number = github.add_pull(fake_repo, title=f"Change {n}")
        github.add_review(fake_repo, number, state="APPROVED")
    repository_sync(repository=repository, full=True, client=api, resources=["pull_requests"])

    with CaptureQueriesContext(connection) as queries:
        state = repository_sync(repository=repository, client=api, resources=[PR_DETAILS])

    assert state.status == SyncStatus.OK
    assert Review.objects.count() == 10
    review_table = Review._meta.db_table
    writes = [q for q in queries if q["sql"].startswith(f'INSERT INTO "{review_table}"')]
    assert len(writes) == 1
