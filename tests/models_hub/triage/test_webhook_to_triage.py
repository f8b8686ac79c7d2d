"""End to end: a signed `issues` webhook → stored delivery → upsert → embed → triage result."""

from __future__ import annotations

import copy

import pytest
from celery import current_app

from community.github.payloads import GitHubRepository
from community.models import Delivery, DeliveryStatus
from community.services import upserts
from models_hub.embeddings.store import issues_embed
from models_hub.models import Embedding, SuggestionKind, TriageResult, TriageSettings
from models_hub.training.retrain import label_classifier_retrain
from models_hub.triage.tasks import triage_issues
from tests.community.webhooks.conftest import post_webhook, webhook_payload  # noqa: F401
from tests.models_hub.scenarios.triage import issue_with_text, labelled_repository

pytestmark = pytest.mark.django_db


@pytest.fixture
def triage_on(settings, worker_encoder, model_store):
    """Webhook writes queue embed → triage (eager Celery), with the real model as the worker's."""
    settings.STEWARD_TRIAGE_AUTO = True
    return worker_encoder


@pytest.fixture
def hello_world(triage_on, webhook_payload):  # noqa: F811
    """The payloads' repository, with labelled history, an open look-alike of the issue the
    `opened` payload reports, and a trained, active label classifier."""
    opened = webhook_payload("issues", "opened.payload.json")
    repository = upserts.repository_upsert(payload=GitHubRepository.from_json(opened["repository"]))
    labelled_repository(
        repository=repository,
        per_label={"bug": 5, "enhancement": 5, "question": 5, "documentation": 5},
        encoder=triage_on,
    )
    twin = issue_with_text(
        repository,
        "Spelling mistake in the README",
        "In the README, 'commit' is spelled with two 't's.",
    )
    issues_embed(issue_ids=[twin.pk], encoder=triage_on)
    # Twenty examples make a cautious model: the maintainers accept suggestions from 0.3 on.
    TriageSettings.objects.create(repository=repository, label_threshold=0.3)
    version = label_classifier_retrain(
        repository=repository, encoder=triage_on, min_per_label=5, folds=3
    ).version
    return {"repository": repository, "twin": twin, "version": version, "opened": opened}


def _edited(payload: dict, *, body: str, updated_at: str, action: str = "edited") -> dict:
    edited = copy.deepcopy(payload)
    edited["action"] = action
    edited["issue"].update(body=body, updated_at=updated_at)
    return edited


def test_opened_issue_is_embedded_and_triaged_then_edits_re_triage(
    post_webhook,  # noqa: F811
    hello_world,
):
    opened = hello_world["opened"]
    issue_id = opened["issue"]["id"]

    assert post_webhook("issues", opened).status_code == 202

    assert Delivery.objects.get().status == DeliveryStatus.PROCESSED
    assert Embedding.objects.filter(issue_id=issue_id).exists()
    result = TriageResult.objects.get(issue_id=issue_id, is_current=True)
    assert result.label_model == hello_world["version"]
    assert result.embedding_model_id == hello_world["version"].embedding_model_id
    assert not result.labels_abstained
    label = result.suggestions.get(kind=SuggestionKind.LABEL)
    assert label.value == "documentation" == max(result.label_scores, key=result.label_scores.get)
    assert label.evidence and all("documentation" in e["labels"] for e in label.evidence)
    duplicate = result.suggestions.filter(kind=SuggestionKind.DUPLICATE).first()
    assert duplicate.duplicate_of == hello_world["twin"]
    assert duplicate.evidence[0]["number"] == hello_world["twin"].number
    assert result.suggestions.filter(kind=SuggestionKind.PRIORITY).count() == 1

    edited = _edited(
        opened,
        body="It looks like you spelled 'commit' with two 't's. Also 'recieve' in CONTRIBUTING.",
        updated_at="2030-01-01T00:00:00Z",
    )
    post_webhook("issues", edited)

    retriaged = TriageResult.objects.get(issue_id=issue_id, is_current=True)
    assert retriaged.pk != result.pk and retriaged.text_hash != result.text_hash
    assert TriageResult.objects.filter(issue_id=issue_id).count() == 2

    post_webhook("issues", edited)  # redelivered: same text, same models
    assert TriageResult.objects.filter(issue_id=issue_id).count() == 2
    assert triage_issues.delay([issue_id]).get()["unchanged"] == 1

    reopened = _edited(edited, body=edited["issue"]["body"], updated_at="2030-01-02T00:00:00Z")
    reopened["action"] = "reopened"
    post_webhook("issues", reopened)  # same text, but back in the queue: triaged afresh
    assert TriageResult.objects.filter(issue_id=issue_id).count() == 3
    assert TriageResult.objects.filter(issue_id=issue_id, is_current=True).count() == 1


def test_edits_that_keep_the_text_and_other_actions_do_not_triage(
    post_webhook,  # noqa: F811
    webhook_payload,  # noqa: F811
    triage_on,
):
    opened = webhook_payload("issues", "opened.payload.json")
    post_webhook("issues", opened)
    issue_id = opened["issue"]["id"]
    # No classifier yet: triaged all the same (duplicates, assignees, priority).
    assert TriageResult.objects.filter(issue_id=issue_id).count() == 1

    relabelled = _edited(opened, body=opened["issue"]["body"], updated_at="2030-01-01T00:00:00Z")
    relabelled["issue"]["labels"] = []
    post_webhook("issues", relabelled)
    labeled = webhook_payload("issues", "labeled.payload.json")
    post_webhook("issues", labeled)

    assert TriageResult.objects.filter(issue_id=issue_id).count() == 1


def test_nothing_is_queued_when_automatic_triage_is_off(
    post_webhook,  # noqa: F811
    webhook_payload,  # noqa: F811
    settings,
):
    settings.STEWARD_TRIAGE_AUTO = False
    opened = webhook_payload("issues", "opened.payload.json")
    post_webhook("issues", opened)

    assert not Embedding.objects.exists() and not TriageResult.objects.exists()


def test_triage_runs_on_the_embeddings_queue():
    route = current_app.amqp.router.route({}, triage_issues.name, (), {})
    assert route["queue"].name == "embeddings"
