"""Interrupted and rate-limited syncs resume from their cursors: no gaps, no duplicates."""

from __future__ import annotations

import pytest
from django.utils import timezone

from community.github.errors import RateLimited
from community.models import Comment, Issue, RepositorySync, SyncCursor, SyncStatus
from community.services import upserts
from community.services.sync import issues as issues_module
from community.services.sync import repository_sync
from tests.community.sync.conftest import TOKEN

pytestmark = pytest.mark.django_db


class Crash(Exception):
    pass


@pytest.fixture
def many_issues(github, fake_repo):
    for n in range(40):
        number = github.add_issue(fake_repo, title=f"Bulk issue {n}")
        github.add_comment(fake_repo, number, body=f"comment {n}")
    return fake_repo


def test_crash_mid_sync_resumes_without_gaps_or_duplicates(
    github, make_client, repository, many_issues, monkeypatch
):
    client = make_client(per_page=10)
    real_upsert = upserts.issues_bulk_upsert
    pages = []

    def crash_on_third_page(**kwargs):
        pages.append(len(kwargs["payloads"]))
        if len(pages) == 3:
            raise Crash("worker killed")
        return real_upsert(**kwargs)

    monkeypatch.setattr(issues_module.upserts, "issues_bulk_upsert", crash_on_third_page)
    with pytest.raises(Crash):
        repository_sync(repository=repository, client=client)

    state = RepositorySync.objects.get(repository=repository)
    cursor = SyncCursor.objects.get(resource="issues")
    assert state.status == SyncStatus.FAILED and "worker killed" in state.last_error
    assert state.lease_until is None
    assert cursor.status == SyncStatus.FAILED and cursor.since is not None
    stored_before = Issue.objects.count()
    assert 10 < stored_before < 42  # two pages committed, the third rolled back with its checkpoint
    checkpoint = cursor.since.strftime("%Y-%m-%dT%H:%M:%SZ")

    monkeypatch.setattr(issues_module.upserts, "issues_bulk_upsert", real_upsert)
    github.hits.clear()
    state = repository_sync(repository=repository, client=client)

    assert state.status == SyncStatus.OK
    first_issue_request = github.requests_to(r"/issues$")[0]
    assert first_issue_request.query["since"] == checkpoint  # resumed, not restarted
    titles = list(Issue.objects.values_list("title", flat=True))
    assert len(titles) == len(set(titles)) == 42
    assert Comment.objects.filter(body__startswith="comment ").count() == 40


def test_items_edited_during_a_run_are_not_skipped(
    github, make_client, repository, many_issues, monkeypatch
):
    """Editing an early issue mid-run shifts later ones back a position: keyset reading
    (since=checkpoint) cannot skip the one that crosses the page boundary."""
    client = make_client(per_page=10)
    real_upsert = upserts.issues_bulk_upsert
    calls = []

    def edit_after_first_page(**kwargs):
        written = real_upsert(**kwargs)
        calls.append(1)
        if len(calls) == 1:
            github.edit_issue(many_issues, 1, title="Edited mid-run")
        return written

    monkeypatch.setattr(issues_module.upserts, "issues_bulk_upsert", edit_after_first_page)
    repository_sync(repository=repository, client=client, resources=["issues"])

    assert Issue.objects.count() == 42
    assert Issue.objects.get(number=1).title == "Edited mid-run"


def test_rate_limit_exhaustion_pauses_then_resumes_after_reset(
    github, make_client, repository, many_issues
):
    client = make_client(per_page=10)
    github.set_budget(TOKEN, remaining=7, reset_in=1800)

    with pytest.raises(RateLimited) as caught:
        repository_sync(repository=repository, client=client)

    state = RepositorySync.objects.get(repository=repository)
    assert state.status == SyncStatus.PAUSED and state.is_paused
    assert abs((state.paused_until - caught.value.reset_at).total_seconds()) < 1
    assert (state.paused_until - timezone.now()).total_seconds() > 1700
    assert "rate limit" in state.last_error
    paused_cursor = SyncCursor.objects.get(status=SyncStatus.PAUSED)
    assert paused_cursor.resource == "issues"  # 7 requests: metadata, labels, milestones, 4 pages
    checkpoint = paused_cursor.since.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert 0 < Issue.objects.count() < 42

    github.set_budget(TOKEN, remaining=5000)  # the hour is over; the re-queued task runs
    github.hits.clear()
    state = repository_sync(repository=repository, client=make_client(per_page=10))

    assert state.status == SyncStatus.OK and state.paused_until is None
    assert Issue.objects.count() == 42
    assert github.requests_to(r"/issues$")[0].query["since"] == checkpoint
    # Resources finished before the pause are only re-checked conditionally (304, free).
    assert {h.status for h in github.requests_to(r"/labels$")} == {304}


def test_secondary_limit_mid_sync_pauses_with_retry_after(github, api, repository, fake_repo):
    github.fail(
        r"/pulls\?",
        403,
        headers={"retry-after": "120"},
        body={"message": "You have exceeded a secondary rate limit."},
    )

    with pytest.raises(RateLimited):
        repository_sync(repository=repository, client=api)

    state = RepositorySync.objects.get(repository=repository)
    assert state.status == SyncStatus.PAUSED
    assert 100 < (state.paused_until - timezone.now()).total_seconds() <= 121
    assert SyncCursor.objects.get(resource="issues").status == SyncStatus.OK
    assert SyncCursor.objects.get(resource="pull_requests").status == SyncStatus.PAUSED

    assert repository_sync(repository=repository, client=api).status == SyncStatus.OK


def test_a_second_sync_of_the_same_repository_is_refused_while_one_runs(api, repository):
    from community.services.sync import SyncBusy, sync_state_for

    state = sync_state_for(repository=repository)
    state.lease_until = timezone.now() + timezone.timedelta(minutes=5)
    state.save()
    with pytest.raises(SyncBusy):
        repository_sync(repository=repository, client=api)
