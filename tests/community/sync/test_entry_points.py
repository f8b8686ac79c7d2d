"""How syncs start: the management command, the Celery task and its beat schedule, the
maintainers' "add repository" page; and where their outcome shows (admin, repository page)."""

from __future__ import annotations

import io

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from community.models import Issue, PullRequest, Repository, RepositorySync, SyncStatus
from community.tasks.sync import sync_repository, sync_tracked_repositories
from tests.community.sync.conftest import TOKEN

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch) -> list[tuple]:
    """Capture re-scheduled tasks instead of sending them to a broker."""
    calls: list[tuple] = []
    monkeypatch.setattr(
        sync_repository,
        "apply_async",
        lambda args, kwargs, countdown: calls.append((args, kwargs, countdown)),
    )
    return calls


def test_command_syncs_repositories_with_a_progress_bar(github_settings, fake_repo):
    out, err = io.StringIO(), io.StringIO()

    call_command("sync", "octo/demo", "--full", stdout=out, stderr=err)

    assert "octo/demo: Up to date" in out.getvalue()
    assert "octo/demo issues" in err.getvalue() and "items" in err.getvalue()
    assert Issue.objects.count() == 2 and PullRequest.objects.count() == 2


def test_command_reports_a_missing_repository_and_fails(github_settings, fake_repo):
    err = io.StringIO()
    with pytest.raises(CommandError, match="not synced: octo/nope"):
        call_command("sync", "octo/nope", stdout=io.StringIO(), stderr=err)
    assert "Not Found" in err.getvalue()


def test_command_reports_a_rate_limit(github_settings, github, fake_repo):
    github.set_budget(TOKEN, remaining=0, reset_in=600)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("sync", "octo/demo", stdout=io.StringIO(), stderr=err)
    assert "rate limit" in err.getvalue()


def test_task_syncs_one_repository(github_settings, repository):
    assert sync_repository.delay(repository.pk).get() == SyncStatus.OK
    assert RepositorySync.objects.get(repository=repository).status == SyncStatus.OK


def test_rate_limited_task_reschedules_itself_with_a_countdown(
    github_settings, github, repository, queued
):
    github.set_budget(TOKEN, remaining=0, reset_in=900)

    assert sync_repository.run(repository.pk, full=True) == "paused"

    ((args, kwargs, countdown),) = queued
    assert args == (repository.pk,) and kwargs == {"full": False}  # resume, not restart
    assert 890 <= countdown <= 910
    state = RepositorySync.objects.get(repository=repository)
    assert state.status == SyncStatus.PAUSED and state.is_paused


def test_paused_repository_waits_without_calling_github(
    github_settings, github, repository, queued
):
    github.set_budget(TOKEN, remaining=0, reset_in=900)
    sync_repository.run(repository.pk)
    github.hits.clear()

    assert sync_repository.run(repository.pk) == "paused"

    assert github.hits == [] and len(queued) == 2


def test_deleted_repository_is_marked_gone_and_not_retried(github_settings, fake_repo, repository):
    fake_repo.deleted = True

    assert sync_repository.run(repository.pk) == SyncStatus.GONE

    repository.refresh_from_db()
    assert repository.deleted_at is not None
    state = RepositorySync.objects.get(repository=repository)
    assert "not found" in state.last_error.lower()
    assert sync_tracked_repositories() == 0  # the schedule skips it, visibly


def test_bad_credentials_are_recorded_not_retried(github_settings, repository):
    github_settings.GITHUB_TOKENS = ["ghp_revoked"]

    assert sync_repository.run(repository.pk) == SyncStatus.FAILED

    assert "GITHUB_TOKEN" in RepositorySync.objects.get(repository=repository).last_error


def test_beat_schedules_incremental_syncs_of_tracked_repositories(github_settings, repository):
    entry = django_settings.CELERY_BEAT_SCHEDULE["community-sync-tracked-repositories"]
    assert entry["task"] == sync_tracked_repositories.name

    assert sync_tracked_repositories() == 1  # eager: the queued sync ran

    assert RepositorySync.objects.get(repository=repository).status == SyncStatus.OK


def test_add_repository_page_is_for_staff_only(client, django_user_model):
    assert client.get(reverse("community:repository_add")).status_code == 302
    user = django_user_model.objects.create_user("member", password="pw")
    client.force_login(user)
    assert client.get(reverse("community:repository_add")).status_code == 403


def test_maintainer_adds_a_repository_and_it_syncs(
    github_settings, fake_repo, admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("community:repository_add"), {"full_name": "https://github.com/octo/demo"}
        )

    assert response.status_code == 302
    assert response.url == reverse("community:repository_detail", args=("octo", "demo"))
    repository = Repository.objects.get(full_name="octo/demo")
    assert repository.tracked
    assert repository.sync_state.status == SyncStatus.OK
    assert Issue.objects.count() == 2

    page = admin_client.get(response.url)
    assert b"Up to date" in page.content


def test_adding_an_unknown_repository_shows_why(github_settings, fake_repo, admin_client):
    response = admin_client.post(reverse("community:repository_add"), {"full_name": "octo/nope"})

    assert response.status_code == 200
    assert b"GitHub has no such repository" in response.content
    assert not Repository.objects.filter(full_name="octo/nope").exists()


def test_sync_error_is_visible_in_admin_and_on_the_repository_page(
    github_settings, github, repository, admin_client
):
    github.fail(r"/pulls\?", 500, times=10)
    with pytest.raises(Exception, match="500"):
        sync_repository.run(repository.pk)

    admin_page = admin_client.get(reverse("admin:community_repositorysync_changelist"))
    assert b"TransientError" in admin_page.content and b"Failed" in admin_page.content
    detail = admin_client.get(reverse("community:repository_detail", args=("octo", "demo")))
    assert b"Last error" in detail.content and b"answered 500" in detail.content
