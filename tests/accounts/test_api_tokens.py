"""Personal API tokens: created on the account page (the key shown once, only its SHA-256
stored), sent as `Authorization: Token <key>` (or Bearer), revocable, throttled like any user;
anonymous requests still read public data."""

from __future__ import annotations

import hashlib
import re

import pytest
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken, RepositoryRole
from tests.models_hub.scenarios.hub import build_hub

pytestmark = pytest.mark.django_db
PRIVATE_MODEL_API = "/api/models/{name}/"


@pytest.fixture
def hub():
    return build_hub(versions=1)


@pytest.fixture
def maintainer(django_user_model, hub):
    user = django_user_model.objects.create_user("priya", password="x-pass-word-1")
    RepositoryRole.objects.create(user=user, repository=hub.private_model.repository)
    return user


def _create(client, name="report script") -> str:
    response = client.post("/accounts/me/tokens/", {"name": name})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return re.search(r'<code id="new-key">([^<]+)</code>', response.text).group(1)


def test_the_key_is_shown_once_and_only_its_hash_is_stored(client, maintainer):
    client.force_login(maintainer)

    key = _create(client)

    token = ApiToken.objects.get(user=maintainer)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(token.prefix) and len(key) > 40
    stored = [str(value) for value in ApiToken.objects.values_list(flat=False).get()]
    assert not any(key in value for value in stored)
    page = client.get("/accounts/me/tokens/").text
    assert key not in page and f"{token.prefix}…" in page and "report script" in page


def test_a_token_sees_what_its_user_sees(client, maintainer, hub):
    client.force_login(maintainer)
    key = _create(client)
    client.logout()
    private = PRIVATE_MODEL_API.format(name=hub.private_model.name)

    assert client.get(private).status_code == 404  # anonymous: public data only
    assert client.get(private, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert client.get(private, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    wrong = client.get(private, HTTP_AUTHORIZATION=f"Token {key}x")
    assert wrong.status_code == 401 and wrong["WWW-Authenticate"] == "Token"
    assert ApiToken.objects.get().last_used_at is not None


def test_a_revoked_token_opens_nothing(client, maintainer, hub, django_user_model):
    client.force_login(maintainer)
    key = _create(client)
    token = ApiToken.objects.get()
    other = django_user_model.objects.create_user("mallory")
    client.force_login(other)
    assert client.post(f"/accounts/me/tokens/{token.pk}/revoke/").status_code == 404
    client.force_login(maintainer)

    response = client.post(f"/accounts/me/tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    client.logout()
    private = PRIVATE_MODEL_API.format(name=hub.private_model.name)
    assert client.get(private, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert client.get("/api/models/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_an_inactive_users_token_opens_nothing(client, maintainer):
    client.force_login(maintainer)
    key = _create(client)
    maintainer.is_active = False
    maintainer.save()
    client.logout()

    assert client.get("/api/models/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_token_requests_are_throttled_per_user(client, maintainer, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "3/minute"}
    )
    client.force_login(maintainer)
    key = _create(client)
    client.logout()
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}

    statuses = [client.get("/api/models/", **auth).status_code for _ in range(4)]
    # From another address: the budget is the user's, not the address's.
    elsewhere = client.get("/api/models/", REMOTE_ADDR="198.51.100.9", **auth)

    assert statuses == [200, 200, 200, 429]
    assert elsewhere.status_code == 429


def test_anonymous_reads_public_data_but_writes_nothing(client, hub):
    assert client.get("/api/models/").status_code == 200
    assert client.post("/api/models/", {}).status_code in (403, 405)
    assert client.get(f"/api/models/{hub.model.name}/").status_code == 200


def test_the_token_page_is_for_signed_in_users(client):
    response = client.get("/accounts/me/tokens/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
