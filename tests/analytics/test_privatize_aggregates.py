"""A repository that leaves the public scope (privatized or deleted on GitHub, by a signed
webhook) leaves every public aggregate at once: the public attention tables (page and API), the
public dashboards' metrics, the home page; the public rollups are then recomputed without it."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from analytics.models import AttentionSnapshot, MetricRollup, Scope
from analytics.services.attention import attention_refresh
from analytics.services.rollups import (
    repository_snapshots_take,
    rollups_fill,
    tracked_repositories,
)
from analytics.services.windows import run_context_load
from community.github.signature import signature_for
from community.models import Delivery, DeliveryStatus, Repository
from tests.analytics.conftest import at
from tests.community.webhooks import payloads as gh
from tests.factories import ActorFactory, IssueFactory, RepositoryFactory

pytestmark = pytest.mark.django_db
RANGE = "period=month&start=2024-01-01&end=2024-06-30"
LEAK = "Gadget leak waiting forever"


@pytest.fixture
def gadgets(community):
    """A second public repository with the longest-waiting issue of all, then a fill."""
    repository = RepositoryFactory(full_name="acme/gadgets", name="gadgets")
    for number, created in ((1, "2024-01-02 09:00"), (2, "2024-05-15 09:00")):
        IssueFactory(
            repository=repository, author=ActorFactory(), number=number,
            title=LEAK if number == 1 else "Another gadget issue",
            created_at=at(created), updated_at=at(created),
        )  # fmt: skip
    rollups_fill(now=community.now)
    return repository


def _opened_in_may(scope: str = Scope.PUBLIC) -> int:
    row = MetricRollup.objects.get(
        metric="issue_flow", period="month", period_start="2024-05-01", scope=scope,
        repository__isnull=True,
    )  # fmt: skip
    return row.values["opened"]


def _send(client: Client, event: str, payload: dict, capture) -> None:
    body = json.dumps(payload).encode()
    headers = {
        "HTTP_X_GITHUB_EVENT": event,
        "HTTP_X_GITHUB_DELIVERY": f"{event}-{payload['action']}",
        "HTTP_X_HUB_SIGNATURE_256": signature_for(secret="test-webhook-secret", body=body),
    }
    with capture(execute=True):
        response = client.post(
            "/webhooks/github/", body, content_type="application/json", **headers
        )
    assert response.status_code == 202
    assert Delivery.objects.get(delivery_id=headers["HTTP_X_GITHUB_DELIVERY"]).status == (
        DeliveryStatus.PROCESSED
    )


def _repository_event(repository: Repository, action: str) -> dict:
    owner = repository.owner
    payload = gh.repository_event(action)
    payload["repository"] |= {
        "id": repository.pk, "name": repository.name, "full_name": repository.full_name,
        "owner": gh.user(owner.login, owner.pk, type="Organization"),
        "updated_at": timezone.now().isoformat(),
    }  # fmt: skip
    return payload


def _public_attention(client: Client) -> str:
    return json.dumps(client.get("/api/attention/").json())


def test_privatized_repository_leaves_every_public_aggregate_at_once(
    client, staff_client, gadgets, django_capture_on_commit_callbacks
):
    assert LEAK in _public_attention(client)
    assert LEAK in client.get(f"/dashboards/?{RANGE}").content.decode()
    assert _opened_in_may() == 2  # acme/widgets' #1 and acme/gadgets' #2

    _send(
        client,
        "repository",
        _repository_event(gadgets, "privatized"),
        django_capture_on_commit_callbacks,
    )

    assert Repository.objects.get(pk=gadgets.pk).private
    assert LEAK not in _public_attention(client)
    assert LEAK not in client.get(f"/dashboards/?{RANGE}").content.decode()
    assert "acme/gadgets" not in client.get("/").content.decode()
    assert client.get("/dashboards/repos/acme/gadgets/").status_code == 404
    # Public rollups recomputed without it (the fill queued on commit ran); staff keep it all.
    assert _opened_in_may() == 1
    assert _opened_in_may(Scope.ALL) == 3
    assert LEAK in json.dumps(staff_client.get("/api/attention/").json())


def test_public_aggregates_are_withdrawn_inside_the_privatizing_transaction(
    client, gadgets, django_capture_on_commit_callbacks
):
    from community.github.payloads import GitHubRepository
    from community.services import upserts

    payload = GitHubRepository.from_json(_repository_event(gadgets, "privatized")["repository"])
    with django_capture_on_commit_callbacks(execute=False) as queued, transaction.atomic():
        upserts.repository_upsert(payload=payload)
        # Before the commit, before any recompute: nothing public counts it any more.
        assert not MetricRollup.objects.filter(scope=Scope.PUBLIC).exists()
        public = AttentionSnapshot.objects.get(scope=Scope.PUBLIC, repository__isnull=True)
        assert LEAK not in json.dumps(public.lists)
        assert "Crash on start" in json.dumps(public.lists)  # acme/widgets' stay
    assert len(queued) == 1  # the public recompute, once committed


def test_recomputed_public_rollups_equal_a_full_fill(
    client, gadgets, django_capture_on_commit_callbacks
):
    repository_snapshots_take(today=timezone.now().date())  # as the full fill below will
    _send(
        client,
        "repository",
        _repository_event(gadgets, "privatized"),
        django_capture_on_commit_callbacks,
    )
    recomputed = _public_rows()

    rollups_fill(full=True)

    assert recomputed == _public_rows() and recomputed


def _public_rows() -> dict:
    rows = MetricRollup.objects.filter(scope=Scope.PUBLIC, repository__isnull=True)
    return {(r.metric, r.period, r.period_start): r.values for r in rows}


def test_deleted_repository_leaves_the_home_page_and_public_aggregates(
    client, gadgets, django_capture_on_commit_callbacks
):
    assert "acme/gadgets" in client.get("/").content.decode()

    _send(
        client,
        "repository",
        _repository_event(gadgets, "deleted"),
        django_capture_on_commit_callbacks,
    )

    assert Repository.objects.get(pk=gadgets.pk).deleted_at is not None
    assert "acme/gadgets" not in client.get("/").content.decode()
    assert LEAK not in _public_attention(client)
    assert _opened_in_may() == 1


def test_untracked_repository_leaves_the_public_aggregates(client, gadgets):
    from community.services import upserts

    upserts.repositories_set_tracked(repository_ids=[gadgets.pk], tracked=False)

    assert LEAK not in _public_attention(client)
    # Dropped in the same transaction; the recompute waits for the commit (never, in this test).
    assert not MetricRollup.objects.filter(scope=Scope.PUBLIC).exists()
    assert MetricRollup.objects.filter(scope=Scope.ALL).exists()


def test_a_fill_that_read_the_repository_as_public_does_not_bring_it_back(client, gadgets):
    context = run_context_load(repositories=tracked_repositories())
    Repository.objects.filter(pk=gadgets.pk).update(private=True)  # while that fill runs

    attention_refresh(context=context, now=timezone.now())

    public = AttentionSnapshot.objects.get(scope=Scope.PUBLIC, repository__isnull=True)
    assert LEAK not in json.dumps(public.lists)
    everything = AttentionSnapshot.objects.get(scope=Scope.ALL, repository__isnull=True)
    assert LEAK in json.dumps(everything.lists)


def test_a_fill_running_while_a_repository_is_privatized_writes_no_public_rows(
    gadgets, community, monkeypatch
):
    from analytics.services import rollups

    read_context = rollups.run_context_load

    def privatized_meanwhile(**kwargs):
        context = read_context(**kwargs)  # the fill has read gadgets as public…
        Repository.objects.filter(pk=gadgets.pk).update(private=True)  # …then it is privatized
        return context

    monkeypatch.setattr(rollups, "run_context_load", privatized_meanwhile)

    rollups_fill(full=True, now=community.now)

    # Its public rows would count gadgets: left for the public recompute to write.
    assert not MetricRollup.objects.filter(scope=Scope.PUBLIC).exists()
    assert _opened_in_may(Scope.ALL) == 3
