"""The model page says why the champion is champion (its promotion: who, forced, the reason),
says in words when an older version scores higher, and warns when the evaluation set is small
(review bug 12)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from models_hub.models import CHAMPION, AliasEvent, ModelAlias
from tests.factories import ModelVersionFactory, RegisteredModelFactory

pytestmark = pytest.mark.django_db


def _metrics(f1: float, samples: int) -> dict:
    return {"macro_f1": f1, "samples": samples, "evaluated": True, "folds": 3}


@pytest.fixture
def model():
    model = RegisteredModelFactory(name="acme-widgets-label-classifier")
    v1 = ModelVersionFactory(model=model, version=1, metrics=_metrics(0.9285, 210))
    v2 = ModelVersionFactory(model=model, version=2, metrics=_metrics(0.9077, 344))
    ModelAlias.objects.update_or_create(model=model, name=CHAMPION, defaults={"version": v2})
    AliasEvent.objects.create(
        model=model,
        alias=CHAMPION,
        from_version=v1,
        to_version=v2,
        actor_label="maintainer",
        reason="Newer issues: v1 never saw the question label's new wording",
        forced=True,
    )
    return model


def test_the_champion_shows_its_promotion_reason_and_the_better_older_version(client, model):
    body = client.get(f"/models/{model.name}/").content.decode()

    why = body[body.index('class="champion-why"') :][:2000]
    assert "Forced" in why and "promoted by maintainer" in why
    assert "Newer issues: v1 never saw the question label" in why
    assert "Its k-fold macro F1 (0.908) is below v1's (0.929)" in why
    assert "small sample" not in why  # 344 issues


def test_a_score_from_few_issues_has_a_caveat(client):
    model = RegisteredModelFactory(name="acme-docs-label-classifier")
    version = ModelVersionFactory(model=model, version=1, metrics=_metrics(1.0, 38))
    ModelAlias.objects.update_or_create(model=model, name=CHAMPION, defaults={"version": version})

    page = client.get(f"/models/{model.name}/").content.decode()
    assert "Evaluated on 38 issues — small sample" in page
    version_page = client.get(f"/models/{model.name}/v/1/").content.decode()
    assert "Evaluated on 38 issues — small sample" in version_page
    index = client.get("/models/").content.decode()
    assert "38 issues — small sample" in index


def test_setting_an_alias_defaults_to_the_newest_version_not_to_removal(client, model):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    body = client.get(f"/models/{model.name}/").content.decode()

    select = body[body.index('<select id="id_alias_version"') :]
    select = select[: select.index("</select>")]
    assert select.index('<option value="2">') < select.index('<option value="">remove')
