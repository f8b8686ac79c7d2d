"""The model hub's admin: pages with data, search, and the version actions."""

from __future__ import annotations

import numpy as np
import pytest
from django.urls import reverse

from models_hub.embeddings.store import VectorRow, embeddings_save
from models_hub.models import (
    CHAMPION,
    AliasEvent,
    EmbeddingKind,
    FeedbackDecision,
    ModelAlias,
    ModelVersion,
    SuggestionFeedback,
    SuggestionKind,
    TriageSettings,
)
from tests.factories import (
    IssueFactory,
    ModelVersionFactory,
    RepositoryFactory,
    TriageResultFactory,
    TriageSuggestionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(admin_user):
    repository = RepositoryFactory()
    issue = IssueFactory(repository=repository, number=4242, title="Renderer hangs on resize")
    old = ModelVersionFactory(
        repository=repository, version=1, metrics={"evaluated": True, "macro_f1": 0.81}
    )
    new = ModelVersionFactory(repository=repository, version=2, is_active=True)
    vector = np.ones(8, dtype=np.float32) / np.sqrt(8)
    embeddings_save(
        rows=[VectorRow(EmbeddingKind.ISSUE, issue.pk, repository.pk, "h", vector)],
        model_id="test/admin",
    )
    result = TriageResultFactory(issue=issue, label_model=new)
    label = TriageSuggestionFactory(
        result=result, kind=SuggestionKind.LABEL, value="bug", score=0.91, evidence=[{"n": 1}]
    )
    TriageSuggestionFactory(result=result, kind=SuggestionKind.PRIORITY, value="high", score=0.6)
    SuggestionFeedback.objects.create(
        suggestion=label,
        issue=issue,
        kind=label.kind,
        value=label.value,
        decision=FeedbackDecision.ACCEPTED,
        decided_by=admin_user,
        decided_at=result.created_at,
    )
    TriageSettings.objects.create(repository=repository)
    return {"repository": repository, "issue": issue, "old": old, "new": new, "result": result}


MODELS = ["modelversion", "embedding", "triageresult", "suggestionfeedback", "triagesettings"]


@pytest.mark.parametrize("model", MODELS)
def test_changelists_search_and_change_pages_render_with_data(admin_client, hub, model):
    changelist = reverse(f"admin:models_hub_{model}_changelist")
    page = admin_client.get(changelist)
    assert page.status_code == 200
    assert "0 of 0" not in page.content.decode()
    for query in ("4242", "Renderer", hub["repository"].full_name, "nothing-like-it"):
        assert admin_client.get(changelist, {"q": query}).status_code == 200
    first = page.context["cl"].result_list[0]
    change = admin_client.get(reverse(f"admin:models_hub_{model}_change", args=[first.pk]))
    assert change.status_code == 200


def test_embeddings_are_listed_by_target_without_their_raw_vector(admin_client, hub):
    changelist = admin_client.get(reverse("admin:models_hub_embedding_changelist"), {"q": "4242"})
    assert "issue #4242 Renderer hangs on resize" in changelist.content.decode()
    embedding = changelist.context["cl"].result_list[0]
    change = admin_client.get(reverse("admin:models_hub_embedding_change", args=[embedding.pk]))
    assert 'name="vector"' not in change.content.decode()


def test_a_triage_result_shows_its_suggestions_inline(admin_client, hub):
    page = admin_client.get(
        reverse("admin:models_hub_triageresult_change", args=[hub["result"].pk])
    )
    content = page.content.decode()
    assert "bug" in content and "0.91" in content and "high" in content


def test_promote_action_goes_through_the_champion_gate(admin_client, hub):
    changelist = reverse("admin:models_hub_modelversion_changelist")
    champion = ModelAlias.objects.get(name=CHAMPION)
    assert champion.version == hub["new"]  # v2 (not evaluated) is the champion

    response = admin_client.post(
        changelist, {"action": "promote", "_selected_action": [hub["old"].pk]}, follow=True
    )
    assert "is the champion" in response.content.decode()  # 0.81 beats a champion with none
    champion.refresh_from_db()
    assert champion.version == hub["old"]
    assert AliasEvent.objects.filter(to_version=hub["old"], actor_label="admin").exists()

    response = admin_client.post(
        changelist, {"action": "promote", "_selected_action": [hub["new"].pk]}, follow=True
    )
    assert "was not promoted" in response.content.decode()
    response = admin_client.post(
        changelist,
        {"action": "promote", "_selected_action": [hub["old"].pk, hub["new"].pk]},
        follow=True,
    )
    assert "one champion each" in response.content.decode()
    champion.refresh_from_db()
    assert champion.version == hub["old"]


def test_retrain_action_queues_a_retraining_per_repository(admin_client, hub, model_store):
    changelist = reverse("admin:models_hub_modelversion_changelist")
    selected = [hub["old"].pk, hub["new"].pk]

    response = admin_client.post(
        changelist, {"action": "retrain", "_selected_action": selected}, follow=True
    )

    assert f"Retraining queued for {hub['repository'].full_name}." in response.content.decode()
    # Celery is eager in tests: it ran, and skipped (this repository has no labelled issues).
    assert ModelVersion.objects.filter(model__repository=hub["repository"]).count() == 2


def test_versions_are_not_added_or_edited_by_hand_but_settings_are(admin_client, hub):
    assert admin_client.get(reverse("admin:models_hub_modelversion_add")).status_code == 403
    assert admin_client.get(reverse("admin:models_hub_triagesettings_add")).status_code == 200
