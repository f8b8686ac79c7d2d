"""A repository's first sync or webhook fills its metrics' whole history, not only recent periods.

With a real broker, rollups refresh a minute after new data, but an incremental refresh redoes
only the last few periods: without this, a new repository's history waited for the nightly full
recompute. Tests here run the tasks eagerly with the listener switched to broker mode and capture
what it queues.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from celery.exceptions import Retry
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from analytics import receivers, tasks
from analytics.models import MetricRollup
from analytics.services import rollups
from analytics.services.rollups import FillReport, rollups_fill, rollups_missing_since
from community.github.client import GitHubClient
from community.models import Repository
from community.services.sync import repository_fetch, repository_sync
from community.services.sync.tracking import repository_track
from community.signals import SYNC, community_data_written
from community.tasks.sync import sync_repository
from tests.community.webhooks import payloads
from tests.community.webhooks.conftest import URL, signed_headers
from tests.fakes.github_server import FakeGitHub

pytestmark = pytest.mark.django_db
TOKEN = "ghp_first_data"
HISTORY_DAYS = 200  # older than the periods an incremental refresh redoes


@pytest.fixture
def queued(monkeypatch) -> dict[str, list]:
    """As with a real broker: the listener reacts; the fills it queues are captured, not run.
    (The data tasks still run inline: the Celery app reads CELERY_TASK_ALWAYS_EAGER from the
    settings on each use, so the setting itself must stay on.)"""
    monkeypatch.setattr(receivers, "_fills_would_run_inline", lambda: False)
    cache.clear()
    captured: dict[str, list] = {"history": [], "refresh": []}
    monkeypatch.setattr(
        tasks.rollups_fill_history,
        "apply_async",
        lambda args, countdown: captured["history"].append((args, countdown)),
    )
    monkeypatch.setattr(
        tasks.rollups_refresh,
        "apply_async",
        lambda countdown: captured["refresh"].append(countdown),
    )
    yield captured
    cache.clear()


@pytest.fixture
def github(settings):
    """A fake GitHub with octo/history: issues, a pull request and stars from months ago."""
    with FakeGitHub(tokens=[TOKEN]) as fake:
        settings.GITHUB_API_URL = fake.base_url
        settings.GITHUB_TOKENS = [TOKEN]
        settings.GITHUB_RATE_LIMIT_RESERVE = 0
        settings.GITHUB_SECONDS_BETWEEN_REQUESTS = 0
        settings.GITHUB_APP_ID = ""
        fake.now = timezone.now() - dt.timedelta(days=HISTORY_DAYS)
        repo = fake.add_repo("octo/history")
        fake.add_issue(repo, title="Crash on start")
        fake.add_issue(repo, title="Typo", state="closed")
        fake.add_pull(repo, title="Fix the crash", merged=True)
        fake.add_star(repo, "fan")
        yield fake


def _first_sync(django_capture_on_commit_callbacks) -> Repository:
    """What "Add repository" does: track it and run its first full sync (eagerly here)."""
    with django_capture_on_commit_callbacks(execute=True):
        return repository_track(full_name="octo/history")


def test_first_sync_queues_the_fill_of_the_repository_history(
    queued, github, django_capture_on_commit_callbacks
):
    repository = _first_sync(django_capture_on_commit_callbacks)
    first_day = (timezone.now() - dt.timedelta(days=HISTORY_DAYS)).date()

    assert queued == {"history": [((repository.pk,), tasks.REFRESH_DELAY_SECONDS)], "refresh": []}
    assert rollups_missing_since(repository_id=repository.pk) == first_day

    assert tasks.rollups_fill_history.apply(args=(repository.pk,)).get() > 0

    assert rollups_missing_since(repository_id=repository.pk) is None
    oldest = MetricRollup.objects.filter(repository=repository).order_by("period_start").first()
    first_week = first_day - dt.timedelta(days=first_day.weekday())
    assert oldest.period_start == min(first_day.replace(day=1), first_week)


def test_the_repository_dashboard_is_full_after_the_history_fill(
    queued, github, django_capture_on_commit_callbacks, client
):
    repository = _first_sync(django_capture_on_commit_callbacks)
    assert "No metrics stored" in client.get("/dashboards/repos/octo/history/").content.decode()

    tasks.rollups_fill_history.apply(args=(repository.pk,))

    page = client.get("/dashboards/repos/octo/history/").content.decode()
    assert "No metrics stored" not in page and "Crash on start" in page  # unanswered


def test_later_syncs_only_queue_the_debounced_refresh(
    queued, github, django_capture_on_commit_callbacks
):
    repository = _first_sync(django_capture_on_commit_callbacks)
    tasks.rollups_fill_history.apply(args=(repository.pk,))
    queued["history"].clear()

    with django_capture_on_commit_callbacks(execute=True):  # the task announces on commit
        sync_repository.delay(repository.pk)

    assert queued == {"history": [], "refresh": [tasks.REFRESH_DELAY_SECONDS]}


def test_a_history_fill_is_queued_once_while_it_waits(queued, github):
    repository_id = _stored_repository(github)
    for _ in range(3):
        _send_written(repository_id, complete=True)

    assert queued["history"] == [((repository_id,), tasks.REFRESH_DELAY_SECONDS)]


def test_a_paused_first_sync_waits_for_its_end(queued, github):
    repository_id = _stored_repository(github)

    _send_written(repository_id, complete=False)

    assert queued == {"history": [], "refresh": [tasks.REFRESH_DELAY_SECONDS]}


def test_first_webhook_of_a_repository_queues_the_fill_of_its_history(
    queued, django_capture_on_commit_callbacks
):
    payload = payloads.issues("opened")
    body = json.dumps(payload).encode()

    response = _post(body, django_capture_on_commit_callbacks)

    assert response.status_code == 202
    repository_id = payload["repository"]["id"]
    assert Repository.objects.filter(pk=repository_id, tracked=True).exists()
    assert queued["history"] == [((repository_id,), tasks.REFRESH_DELAY_SECONDS)]
    # The next delivery finds the fill queued (it ends at the current period): nothing more.
    _post(body, django_capture_on_commit_callbacks)
    assert len(queued["history"]) == 1 and queued["refresh"] == []


def test_rollups_reaching_back_to_the_first_data_need_no_history_fill(github):
    repository_id = _stored_repository(github)
    rollups_fill(full=True)
    assert rollups_missing_since(repository_id=repository_id) is None

    # Only recent periods stored: an incremental fill ran before the history arrived.
    recent = timezone.now().date() - dt.timedelta(days=60)
    MetricRollup.objects.filter(repository_id=repository_id, period_start__lt=recent).delete()
    assert rollups_missing_since(repository_id=repository_id) is not None

    Repository.objects.filter(pk=repository_id).update(tracked=False)
    assert rollups_missing_since(repository_id=repository_id) is None


def test_history_fill_tries_again_while_another_fill_runs(github, monkeypatch):
    repository_id = _stored_repository(github)
    monkeypatch.setattr(rollups, "rollups_fill", lambda since: FillReport(skipped_busy=True))

    with pytest.raises(Retry) as retry:
        tasks.rollups_fill_history.apply(args=(repository_id,))

    assert retry.value.when == tasks.REFRESH_DELAY_SECONDS


def _stored_repository(github) -> int:
    """octo/history stored with its data by the sync service (no task: the listener is quiet)."""
    repository = repository_fetch(client=GitHubClient(), full_name="octo/history")
    repository_sync(repository=repository)
    return repository.pk


def _send_written(repository_id: int, *, complete: bool) -> None:
    """What the sync task sends when it ends (complete) or pauses (more to bring)."""
    community_data_written.send(
        sender=None, repository_ids=[repository_id], kind=SYNC, complete=complete
    )


def _post(body: bytes, capture):
    """POST a signed delivery; its processing is queued on commit, as in production."""
    with capture(execute=True):
        return Client().post(
            URL, data=body, content_type="application/json", **signed_headers(body, event="issues")
        )
