"""The sync tells listeners which issues have a new text; the model hub queues embed → triage."""

from __future__ import annotations

import pytest

from community.models import Issue
from community.services.sync import repository_sync
from community.signals import SYNCED, issue_text_changed
from models_hub.models import Embedding, TriageResult
from tests.community.sync.conftest import (  # noqa: F401
    api,
    fake_repo,
    github,
    make_client,
    repository,
    sleeps,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    """What listeners receive: the signal is sent once the writer's transaction commits (the
    syncs below run with the on-commit callbacks captured and executed)."""
    calls: list[dict] = []

    def listen(sender, **kwargs):
        calls.append(kwargs)

    issue_text_changed.connect(listen, dispatch_uid="test-listener")
    yield calls
    issue_text_changed.disconnect(dispatch_uid="test-listener")


def test_sync_signals_new_and_retitled_issues_only(
    github,  # noqa: F811
    api,  # noqa: F811
    repository,  # noqa: F811
    fake_repo,  # noqa: F811
    sent,
    django_capture_on_commit_callbacks,
):
    def sync():
        with django_capture_on_commit_callbacks(execute=True):
            repository_sync(repository=repository, client=api, resources=["issues"])

    sync()
    every = set(Issue.objects.values_list("pk", flat=True))
    assert [set(call["issue_ids"]) for call in sent] == [every]
    assert {call["reason"] for call in sent} == {SYNCED}

    crash = fake_repo.sample["crash"]
    github.edit_issue(fake_repo, crash, title="Crash on start (macOS)")
    github.add_issue(fake_repo, title="Another one")
    sent.clear()
    sync()

    changed = set(
        Issue.objects.filter(title__in=["Crash on start (macOS)", "Another one"]).values_list(
            "pk", flat=True
        )
    )
    assert [set(call["issue_ids"]) for call in sent] == [changed]

    github.edit_issue(fake_repo, crash, state="closed")  # no text change
    sent.clear()
    sync()
    assert sent == []


def test_synced_issues_are_embedded_and_open_ones_triaged(
    api,  # noqa: F811
    repository,  # noqa: F811
    fake_repo,  # noqa: F811
    settings,
    configured_fake,
    django_capture_on_commit_callbacks,
):
    settings.STEWARD_TRIAGE_AUTO = True

    with django_capture_on_commit_callbacks(execute=True) as queued:
        repository_sync(repository=repository, client=api, resources=["issues"])

    assert len(queued) == 1  # one embed → triage chain for the page
    assert Embedding.objects.filter(issue__isnull=False).count() == Issue.objects.count() == 2
    triaged = set(TriageResult.objects.values_list("issue__title", flat=True))
    assert triaged == {"Crash on start"}  # the closed "Typo in README" needs no triage
