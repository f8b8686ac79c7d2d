"""The one seam for "community data changed": `issue_text_changed` and `community_data_written`.

The issue upserts detect text changes themselves, and read the stored texts for it only while a
receiver is connected; both signals go out once the writer's transaction commits, never for a
rolled-back write; the model hub's triage and analytics' rollups hear them from webhook and sync
writes alike.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from analytics import receivers as analytics_receivers
from analytics import tasks as analytics_tasks
from community.github.payloads import GitHubIssue, GitHubRepository
from community.models import Issue, Repository
from community.services import upserts
from community.signals import (
    EDITED,
    OPENED,
    SYNC,
    SYNCED,
    WEBHOOK,
    community_data_written,
    issue_text_changed,
)
from community.tasks.sync import sync_repository
from models_hub.triage import receivers as triage_receivers
from tests.community.sync.conftest import (  # noqa: F401
    api,
    fake_repo,
    github,
    github_settings,
    make_client,
    repository,
    sleeps,
)
from tests.community.webhooks import payloads
from tests.community.webhooks.conftest import post_webhook  # noqa: F401

pytestmark = pytest.mark.django_db


def _listen(signal, calls: list[dict], uid: str):
    def receive(sender, signal, **kwargs):
        calls.append(kwargs)

    signal.connect(receive, dispatch_uid=uid, weak=False)
    return receive


@pytest.fixture
def texts_heard():
    calls: list[dict] = []
    _listen(issue_text_changed, calls, "test-data-signals-texts")
    yield calls
    issue_text_changed.disconnect(dispatch_uid="test-data-signals-texts")


@pytest.fixture
def writes_heard():
    calls: list[dict] = []
    _listen(community_data_written, calls, "test-data-signals-writes")
    yield calls
    community_data_written.disconnect(dispatch_uid="test-data-signals-writes")


@pytest.fixture
def repo() -> Repository:
    payload = payloads.issues("opened")["repository"]
    return upserts.repository_upsert(payload=GitHubRepository.from_json(payload))


def _issue(*, title: str, minutes: int) -> GitHubIssue:
    data = payloads.issues("opened")["issue"]
    updated = dt.datetime.fromisoformat(data["updated_at"].replace("Z", "+00:00"))
    data.update(title=title, updated_at=(updated + dt.timedelta(minutes=minutes)).isoformat())
    return GitHubIssue.from_json(data)


def _texts_read(queries: list[dict]) -> list[str]:
    table = Issue._meta.db_table
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith("SELECT")
        and table in q["sql"]
        and "body" in q["sql"]
    ]


def test_with_automatic_triage_off_nobody_listens_to_issue_texts(settings):
    settings.STEWARD_TRIAGE_AUTO = False
    assert not issue_text_changed.has_listeners()
    settings.STEWARD_TRIAGE_AUTO = True
    assert issue_text_changed.has_listeners()


def test_a_write_nobody_listens_to_does_no_extra_select(repo, settings, django_assert_num_queries):
    settings.STEWARD_TRIAGE_AUTO = False
    upserts.issues_bulk_upsert(repository=repo, payloads=[_issue(title="First", minutes=0)])

    with CaptureQueriesContext(connection) as unheard:
        upserts.issues_bulk_upsert(
            repository=repo, payloads=[_issue(title="Second", minutes=1)], text_reason=SYNCED
        )
    assert _texts_read(unheard.captured_queries) == []

    calls: list[dict] = []
    _listen(issue_text_changed, calls, "test-data-signals-count")
    try:
        with django_assert_num_queries(len(unheard.captured_queries) + 1) as heard:
            upserts.issues_bulk_upsert(
                repository=repo, payloads=[_issue(title="Third", minutes=2)], text_reason=SYNCED
            )
    finally:
        issue_text_changed.disconnect(dispatch_uid="test-data-signals-count")
    assert len(_texts_read(heard.captured_queries)) == 1


def test_issue_text_changed_fires_once_on_commit(
    repo, texts_heard, django_capture_on_commit_callbacks
):
    issue = _issue(title="Crash on start", minutes=0)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        upserts.issues_bulk_upsert(repository=repo, payloads=[issue], text_reason=SYNCED)
        assert texts_heard == []  # not before the transaction commits

    assert len(callbacks) == 1
    assert texts_heard == [{"issue_ids": [issue.id], "reason": SYNCED}]


def test_an_edit_that_kept_the_text_is_not_announced(
    repo, texts_heard, django_capture_on_commit_callbacks
):
    upserts.issues_bulk_upsert(repository=repo, payloads=[_issue(title="Same", minutes=0)])
    same = _issue(title="Same", minutes=1)
    retitled = _issue(title="Retitled", minutes=2)

    with django_capture_on_commit_callbacks(execute=True):
        upserts.issues_bulk_upsert(repository=repo, payloads=[same], text_reason=EDITED)
    assert texts_heard == []

    with django_capture_on_commit_callbacks(execute=True):
        upserts.issues_bulk_upsert(repository=repo, payloads=[retitled], text_reason=EDITED)
    assert texts_heard == [{"issue_ids": [retitled.id], "reason": EDITED}]


def test_a_rolled_back_write_announces_nothing(
    repo, texts_heard, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        upserts.issues_bulk_upsert(
            repository=repo, payloads=[_issue(title="Lost", minutes=0)], text_reason=SYNCED
        )
        raise RuntimeError("the writer failed after the upsert")

    assert callbacks == [] and texts_heard == []
    assert not Issue.objects.exists()


def test_community_data_written_fires_once_on_commit_and_not_on_rollback(
    writes_heard, django_capture_on_commit_callbacks
):
    from community.signals import community_data_written_send_on_commit

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            community_data_written_send_on_commit(sender=None, repository_ids=[1], kind=SYNC)
            raise RuntimeError("rolled back")
        assert writes_heard == []
        community_data_written_send_on_commit(sender=None, repository_ids=[2, 2], kind=SYNC)
        assert writes_heard == []

    assert writes_heard == [{"repository_ids": [2], "kind": SYNC, "complete": True}]


# --- the subscribers: triage and analytics, from webhook and sync writes -----------------------


@pytest.fixture
def triage_queued(settings, monkeypatch) -> list[tuple[list[int], bool]]:
    """Automatic triage on; what its receiver queues (embed → triage) is captured, not run."""
    settings.STEWARD_TRIAGE_AUTO = True
    queued: list[tuple[list[int], bool]] = []
    monkeypatch.setattr(
        triage_receivers,
        "issues_embed_and_triage",
        lambda *, issue_ids, force: queued.append((sorted(issue_ids), force)),
    )
    return queued


@pytest.fixture
def rollups_queued(monkeypatch) -> dict[str, list]:
    """As with a real broker: analytics' receiver reacts; the fills it queues are captured."""
    from django.core.cache import cache

    monkeypatch.setattr(analytics_receivers, "_fills_would_run_inline", lambda: False)
    cache.clear()
    queued: dict[str, list] = {"history": [], "refresh": []}
    monkeypatch.setattr(
        analytics_tasks.rollups_fill_history,
        "apply_async",
        lambda args, countdown: queued["history"].append(args),
    )
    monkeypatch.setattr(
        analytics_tasks.rollups_refresh,
        "apply_async",
        lambda countdown: queued["refresh"].append(countdown),
    )
    yield queued
    cache.clear()


def test_triage_and_analytics_hear_a_webhook_write(
    post_webhook,  # noqa: F811
    triage_queued,
    rollups_queued,
    texts_heard,
    writes_heard,
):
    opened = payloads.issues("opened")

    assert post_webhook("issues", opened).status_code == 202

    issue_id, repository_id = opened["issue"]["id"], opened["repository"]["id"]
    assert texts_heard == [{"issue_ids": [issue_id], "reason": OPENED}]
    assert writes_heard == [{"repository_ids": [repository_id], "kind": WEBHOOK, "complete": True}]
    assert triage_queued == [([issue_id], False)]
    # Its first data: the repository's history is filled (which ends with the recent periods).
    assert rollups_queued == {"history": [(repository_id,)], "refresh": []}


def test_triage_and_analytics_hear_a_sync_write(
    github_settings,  # noqa: F811
    repository,  # noqa: F811
    triage_queued,
    rollups_queued,
    texts_heard,
    writes_heard,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        assert sync_repository.delay(repository.pk).get() == "ok"

    issues = sorted(Issue.objects.filter(repository=repository).values_list("pk", flat=True))
    assert issues and [call["reason"] for call in texts_heard] == [SYNCED]
    assert texts_heard[0]["issue_ids"] == issues
    assert writes_heard == [{"repository_ids": [repository.pk], "kind": SYNC, "complete": True}]
    assert triage_queued == [(issues, False)]
    assert rollups_queued == {"history": [(repository.pk,)], "refresh": []}
