"""The API's door: browser sessions only (no HTTP Basic), and a request budget per client (429
past it); the GitHub webhook is a plain view, outside the API's throttles."""

from __future__ import annotations

import base64

import pytest
from django.urls import resolve
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

pytestmark = pytest.mark.django_db
API = "/api/metrics/"
PRIVATE = "/api/metrics/issue_first_response/?repository=acme/secret"


@pytest.fixture
def small_rates(monkeypatch):
    """Rates small enough to exhaust. DRF reads them into its throttle classes at import, so a
    settings override alone would not reach them."""
    rates = {"anon": "3/minute", "user": "5/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    return rates


def test_the_configured_rates():
    assert api_settings.DEFAULT_THROTTLE_RATES == {"anon": "60/minute", "user": "600/minute"}
    assert [cls.__name__ for cls in api_settings.DEFAULT_THROTTLE_CLASSES] == [
        "AnonRateThrottle",
        "UserRateThrottle",
    ]


def test_the_61st_anonymous_request_in_a_minute_is_refused(client):
    statuses = [client.get(API).status_code for _ in range(61)]

    assert statuses[:60] == [200] * 60
    assert statuses[60] == 429
    response = client.get(API)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "Request was throttled" in response.json()["detail"]


def test_a_budget_is_per_client_address_and_forwarded_for_does_not_reset_it(client, small_rates):
    for _ in range(3):
        assert client.get(API).status_code == 200

    # No trusted proxy in front: X-Forwarded-For is whatever the client wrote.
    assert client.get(API, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    assert client.get(API, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_behind_a_trusted_proxy_the_address_it_forwards_is_the_client(
    client, small_rates, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(3):
        assert client.get(API, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 200

    spoofed = "203.0.113.1, 198.51.100.7"  # the client's own claim, then what the proxy saw
    assert client.get(API, HTTP_X_FORWARDED_FOR=spoofed, **proxy).status_code == 429
    assert client.get(API, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy).status_code == 200


def test_signed_in_users_have_their_own_larger_budget(client, django_user_model, small_rates):
    for _ in range(3):
        client.get(API)
    assert client.get(API).status_code == 429

    client.force_login(django_user_model.objects.create_user("reader", password="pw"))
    statuses = [client.get(API).status_code for _ in range(6)]

    assert statuses == [200] * 5 + [429]


def test_the_webhook_is_a_plain_view_the_api_throttles_never_see(client, small_rates):
    view = resolve("/webhooks/github/").func
    assert not issubclass(getattr(view, "cls", object), APIView)

    statuses = {
        client.post("/webhooks/github/", data=b"{}", content_type="application/json").status_code
        for _ in range(10)
    }

    assert 429 not in statuses


def test_http_basic_credentials_are_not_accepted(
    client, staff_client, django_user_model, community
):
    django_user_model.objects.create_user("maintainer-basic", password="pw-1234", is_staff=True)
    token = base64.b64encode(b"maintainer-basic:pw-1234").decode()

    response = client.get(PRIVATE, HTTP_AUTHORIZATION=f"Basic {token}")

    assert response.status_code == 404  # seen as anonymous: the private repository is hidden
    assert "Basic" not in response.headers.get("WWW-Authenticate", "")
    assert staff_client.get(PRIVATE).status_code == 200  # a signed-in session does see it
    # Browser sessions and personal API tokens (accounts/authentication.py), nothing else.
    assert [cls.__name__ for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES] == [
        "ApiTokenAuthentication",
        "SessionAuthentication",
    ]
