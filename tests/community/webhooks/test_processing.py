"""Processing: ordering, idempotency, failures, retries, the sweeper, replay, the tracked rule."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from community.models import (
    Delivery,
    DeliveryStatus,
    Installation,
    InstallationStatus,
    Issue,
    PullRequest,
    PushedCommit,
    Repository,
)
from community.services.webhooks import deliveries_sweep, delivery_process, handlers, processing
from community.services.webhooks.push import pushed_commit_counts
from community.tasks import webhooks as webhook_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue_edited(webhook_payload):
    return webhook_payload("issues", "edited")


def _edited(payload: dict, *, title: str, updated_at: str) -> dict:
    edited = copy.deepcopy(payload)
    edited["issue"].update(title=title, updated_at=updated_at)
    return edited


def test_older_edit_after_newer_keeps_the_newer_state(post_webhook, issue_edited):
    newer = _edited(issue_edited, title="Newer title", updated_at="2030-01-02T00:00:00Z")
    older = _edited(issue_edited, title="Older title", updated_at="2030-01-01T00:00:00Z")

    assert post_webhook("issues", newer).status_code == 202
    assert post_webhook("issues", older).status_code == 202

    issue = Issue.objects.get(pk=issue_edited["issue"]["id"])
    assert issue.title == "Newer title"
    assert issue.updated_at.year == 2030 and issue.updated_at.day == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.PROCESSED}


def test_deleted_issue_stays_deleted_when_an_old_edit_arrives(post_webhook, webhook_payload):
    deleted = webhook_payload("issues", "deleted")
    post_webhook("issues", deleted)
    old = _edited(deleted, title="old", updated_at="2001-01-01T00:00:00Z")
    old["action"] = "edited"
    post_webhook("issues", old)

    issue = Issue.objects.get(pk=deleted["issue"]["id"])
    assert issue.deleted_at is not None and issue.title != "old"


def test_an_older_pin_after_a_newer_unpin_leaves_the_issue_unpinned(post_webhook, webhook_payload):
    unpinned = webhook_payload("issues", "unpinned")
    unpinned["issue"]["updated_at"] = "2030-01-02T00:00:00Z"
    pinned = webhook_payload("issues", "pinned")
    pinned["issue"]["updated_at"] = "2030-01-01T00:00:00Z"

    post_webhook("issues", unpinned)
    post_webhook("issues", pinned)

    assert Issue.objects.get(pk=pinned["issue"]["id"]).pinned is False


def test_a_delivery_is_applied_once_however_often_it_is_queued(post_webhook, issue_edited):
    post_webhook("issues", issue_edited)
    delivery = Delivery.objects.get()

    assert delivery_process(delivery_pk=delivery.pk).status == "skipped"
    webhook_tasks.process_delivery.delay(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.status == DeliveryStatus.PROCESSED


def test_an_unexpected_error_fails_at_once_with_its_error(post_webhook, issue_edited, monkeypatch):
    def broken(ctx):
        raise KeyError("labels")

    monkeypatch.setitem(handlers.HANDLERS, "issues", broken)
    assert post_webhook("issues", issue_edited).status_code == 202

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1 and delivery.error == "KeyError: 'labels'"


def test_a_transient_error_is_retried_then_left_failed(post_webhook, issue_edited, monkeypatch):
    delays = []
    monkeypatch.setattr(processing, "retry_delay", lambda attempts: delays.append(attempts) or 0)

    def database_gone(ctx):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setitem(handlers.HANDLERS, "issues", database_gone)
    post_webhook("issues", issue_edited)

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == processing.MAX_ATTEMPTS
    assert delays == list(range(1, processing.MAX_ATTEMPTS))
    assert "server closed the connection" in delivery.error


def test_a_transient_error_then_success(post_webhook, issue_edited, monkeypatch):
    monkeypatch.setattr(processing, "retry_delay", lambda attempts: 0)
    real = handlers.HANDLERS["issues"]
    calls = []

    def flaky(ctx):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("deadlock detected")
        return real(ctx)

    monkeypatch.setitem(handlers.HANDLERS, "issues", flaky)
    post_webhook("issues", issue_edited)

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PROCESSED and delivery.attempts == 2
    assert delivery.error == ""
    assert Issue.objects.filter(pk=issue_edited["issue"]["id"]).exists()


def test_retry_backoff_grows():
    delays = [processing.retry_delay(n) for n in range(1, 5)]
    for attempt, delay in enumerate(delays, start=1):
        base = processing.RETRY_BASE_SECONDS * 2 ** (attempt - 1)
        assert base <= delay <= base * 1.5


def _broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    monkeypatch.setattr(webhook_tasks.process_delivery, "apply_async", refuse)


def test_broker_down_still_stores_and_acknowledges_then_the_sweeper_catches_up(
    post_webhook, issue_edited, monkeypatch, caplog
):
    with monkeypatch.context() as patch:
        _broker_down(patch)
        response = post_webhook("issues", issue_edited)

        assert response.status_code == 202
        assert "could not queue webhook delivery" in caplog.text
        delivery = Delivery.objects.get()
        assert delivery.status == DeliveryStatus.PENDING
        assert deliveries_sweep() == 0  # not yet a minute old

    assert deliveries_sweep() == 0
    Delivery.objects.update(due_at=timezone.now() - timedelta(minutes=2))
    assert webhook_tasks.sweep_deliveries.delay().get() == 1

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PROCESSED and delivery.attempts == 1
    assert Issue.objects.filter(pk=issue_edited["issue"]["id"]).exists()


def test_the_sweeper_reclaims_a_delivery_left_by_a_dead_worker(
    post_webhook, issue_edited, monkeypatch
):
    with monkeypatch.context() as patch:
        _broker_down(patch)
        post_webhook("issues", issue_edited)
    long_ago = timezone.now() - processing.STALE_PROCESSING - timedelta(seconds=1)
    Delivery.objects.update(status=DeliveryStatus.PROCESSING, started_at=long_ago, attempts=1)

    assert deliveries_sweep() == 1

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PROCESSED and delivery.attempts == 2


def test_replay_failed_deliveries_after_a_fix(
    post_webhook, issue_edited, webhook_payload, monkeypatch, django_capture_on_commit_callbacks
):
    with monkeypatch.context() as patch:
        patch.setitem(handlers.HANDLERS, "issues", lambda ctx: 1 / 0)
        patch.setitem(handlers.HANDLERS, "label", lambda ctx: 1 / 0)
        post_webhook("issues", issue_edited)
        post_webhook("label", webhook_payload("label", "created"))
    assert Delivery.objects.filter(status=DeliveryStatus.FAILED).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        call_command("replay_deliveries", "--failed", "--since", "1h", "--event", "issues")

    statuses = dict(Delivery.objects.values_list("event", "status"))
    assert statuses == {"issues": DeliveryStatus.PROCESSED, "label": DeliveryStatus.FAILED}
    assert Issue.objects.filter(pk=issue_edited["issue"]["id"]).exists()


def test_replay_inline_reprocesses_processed_deliveries(post_webhook, issue_edited, capsys):
    post_webhook("issues", issue_edited)
    Issue.objects.all().delete()

    call_command("replay_deliveries", "--since", "2020-01-01", "--inline")

    assert "1 deliveries processed: processed=1" in capsys.readouterr().out
    assert Issue.objects.filter(pk=issue_edited["issue"]["id"]).exists()


def test_replay_rejects_a_bad_since():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("replay_deliveries", "--since", "yesterday-ish")


def test_admin_action_reruns_deliveries(
    admin_client, post_webhook, issue_edited, monkeypatch, django_capture_on_commit_callbacks
):
    with monkeypatch.context() as patch:
        patch.setitem(handlers.HANDLERS, "issues", lambda ctx: 1 / 0)
        post_webhook("issues", issue_edited)
    delivery = Delivery.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/community/delivery/",
            {"action": "rerun_deliveries", "_selected_action": [delivery.pk]},
            follow=True,
        )

    assert response.status_code == 200 and b"1 deliveries queued again" in response.content
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PROCESSED


def test_admin_pages_render(admin_client, post_webhook, issue_edited):
    post_webhook("issues", issue_edited)
    delivery = Delivery.objects.get()

    listing = admin_client.get("/admin/community/delivery/?status__exact=processed")
    detail = admin_client.get(f"/admin/community/delivery/{delivery.pk}/change/")

    assert listing.status_code == 200 and delivery.delivery_id.encode() in listing.content
    assert detail.status_code == 200 and b"Spelling error in the README" in detail.content


def test_ops_page_lists_and_filters_deliveries(
    admin_client, client, post_webhook, issue_edited, monkeypatch
):
    post_webhook("gollum", {"pages": []})
    with monkeypatch.context() as patch:
        patch.setitem(handlers.HANDLERS, "issues", lambda ctx: 1 / 0)
        post_webhook("issues", issue_edited)

    assert client.get("/ops/webhooks/").status_code == 302  # staff only

    page = admin_client.get("/ops/webhooks/?status=failed")
    assert page.status_code == 200
    html = page.content.decode()
    assert "ZeroDivisionError" in html and "gollum" not in html
    everything = admin_client.get("/ops/webhooks/").content.decode()
    assert "gollum" in everything and "failed (1)" in everything and "ignored (1)" in everything


def test_untracked_repository_is_not_touched(post_webhook, issue_edited):
    post_webhook("issues", issue_edited)
    Repository.objects.update(tracked=False)
    newer = _edited(issue_edited, title="While untracked", updated_at="2031-01-01T00:00:00Z")

    post_webhook("issues", newer)

    ignored = Delivery.objects.get(status=DeliveryStatus.IGNORED)
    assert "is not tracked" in ignored.note
    assert Issue.objects.get().title != "While untracked"


def test_unknown_repository_from_an_uninstalled_app_is_not_created(post_webhook, issue_edited):
    Installation.objects.create(id=77, status=InstallationStatus.DELETED)
    payload = issue_edited | {"installation": {"id": 77}}

    post_webhook("issues", payload)

    assert Delivery.objects.get().status == DeliveryStatus.IGNORED
    assert not Repository.objects.exists() and not Issue.objects.exists()


def test_installation_repositories_removed_untracks(post_webhook, webhook_payload, issue_edited):
    post_webhook("issues", issue_edited)
    removed = webhook_payload("installation_repositories", "removed")
    removed["repositories_removed"] = [
        {"id": issue_edited["repository"]["id"], "full_name": "Codertocat/Hello-World"}
    ]

    post_webhook("installation_repositories", removed)

    assert not Repository.objects.get(pk=issue_edited["repository"]["id"]).tracked


def test_push_commits_are_counted_once_per_author(post_webhook, webhook_payload):
    push = webhook_payload("push", "payload")
    commit = push["commits"][0]
    push["commits"] = [
        commit,
        commit | {"id": "b" * 40},
        commit | {"id": "c" * 40, "author": {"name": "Anon", "email": "anon@example.org"}},
    ]
    post_webhook("push", push)
    post_webhook("push", push | {"ref": "refs/heads/other"})  # the same commits on a branch

    repository = Repository.objects.get()
    assert PushedCommit.objects.count() == 3
    assert pushed_commit_counts(repository=repository) == {"Codertocat": 2, "anon@example.org": 1}
    assert set(PushedCommit.objects.values_list("ref", flat=True)) == {push["ref"]}


def test_a_delivery_waiting_for_its_retry_is_not_swept_early(
    post_webhook, issue_edited, monkeypatch
):
    with monkeypatch.context() as patch:
        _broker_down(patch)
        post_webhook("issues", issue_edited)
    delivery = Delivery.objects.get()

    def database_gone(ctx):
        raise OperationalError("could not connect to server")

    monkeypatch.setitem(handlers.HANDLERS, "issues", database_gone)
    outcome = delivery_process(delivery_pk=delivery.pk)

    assert outcome.status == DeliveryStatus.PENDING
    assert processing.RETRY_BASE_SECONDS <= outcome.retry_in <= processing.RETRY_BASE_SECONDS * 1.5
    delivery.refresh_from_db()
    assert delivery.due_at > timezone.now() and delivery.attempts == 1
    assert "could not connect" in delivery.error
    assert deliveries_sweep() == 0


@pytest.mark.parametrize("action", ["archived", "deleted"])
def test_repository_archived_and_deleted(post_webhook, webhook_payload, action):
    payload = webhook_payload("repository", "privatized")
    payload["action"] = action
    payload["repository"] |= {
        "archived": action == "archived",
        "updated_at": "2031-01-01T00:00:00Z",
    }

    post_webhook("repository", payload)

    repository = Repository.objects.get(pk=payload["repository"]["id"])
    assert repository.archived == (action == "archived")
    assert (repository.deleted_at is not None) == (action == "deleted")


def test_pull_request_closed_with_and_without_merge(post_webhook, webhook_payload):
    closed = webhook_payload("pull_request", "closed")
    unmerged = copy.deepcopy(closed)
    unmerged["pull_request"] |= {"merged": False, "merged_at": None, "merged_by": None}
    post_webhook("pull_request", unmerged)
    pr = PullRequest.objects.get(pk=closed["pull_request"]["id"])
    assert (pr.state, pr.merged, pr.merged_at) == ("closed", False, None)

    merged = copy.deepcopy(closed)
    merged["pull_request"] |= {
        "merged": True,
        "merged_at": "2031-01-01T00:00:00Z",
        "updated_at": "2031-01-01T00:00:00Z",
        "merged_by": closed["sender"],
    }
    post_webhook("pull_request", merged)
    pr.refresh_from_db()
    assert pr.merged and pr.merged_at.year == 2031 and pr.merged_by_id == closed["sender"]["id"]
