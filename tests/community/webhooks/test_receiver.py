"""The receiver's answers: 202 stored, 200 ping/duplicate, 401, 413, 400, 415, 405."""

from __future__ import annotations

import io
import json
import logging

import pytest

from community.github.signature import signature_for
from community.models import Delivery, DeliveryStatus, Issue
from community.views.webhooks import read_body
from tests.community.webhooks.conftest import URL, signed_headers

pytestmark = pytest.mark.django_db


def _post(client, body: bytes, headers: dict, content_type: str = "application/json"):
    return client.post(URL, data=body, content_type=content_type, **headers)


def test_issue_delivery_is_stored_acknowledged_and_applied(post_webhook, webhook_payload):
    payload = webhook_payload("issues", "opened")

    response = post_webhook("issues", payload, delivery_id="72d3162e-cc78-11e3-81ab-4c9367dc0958")

    assert response.status_code == 202
    assert response.json() == {
        "delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        "status": "queued",
    }
    delivery = Delivery.objects.get()
    assert (delivery.event, delivery.action) == ("issues", "opened")
    assert delivery.repository_github_id == payload["repository"]["id"]
    assert delivery.repository_full_name == "Codertocat/Hello-World"
    assert delivery.headers["X-Github-Event"] == "issues"
    assert delivery.headers["X-Hub-Signature-256"].startswith("sha256=")
    assert delivery.status == DeliveryStatus.PROCESSED and delivery.latency is not None
    assert Issue.objects.filter(pk=payload["issue"]["id"]).exists()


def test_redelivery_is_acknowledged_but_not_processed_again(post_webhook, webhook_payload):
    payload = webhook_payload("issues", "opened")
    first = post_webhook("issues", payload, delivery_id="same-guid")

    again = post_webhook("issues", payload, delivery_id="same-guid")

    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["status"] == "duplicate"
    assert Delivery.objects.get().attempts == 1


def test_ping_is_answered_and_not_stored(post_webhook, webhook_payload):
    response = post_webhook("ping", webhook_payload("ping", "payload"))

    assert response.status_code == 200 and response.json()["ok"] == "pong"
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("signature", [None, "sha256=" + "0" * 64, "sha1=abc", "garbage"])
def test_missing_or_wrong_signature_is_401_and_logged(client, signature, caplog):
    body = b'{"action": "opened"}'
    headers = signed_headers(body, event="issues")
    if signature is None:
        del headers["HTTP_X_HUB_SIGNATURE_256"]
    else:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature

    with caplog.at_level(logging.WARNING, logger="community.views.webhooks"):
        response = _post(client, body, headers)

    assert response.status_code == 401
    assert not Delivery.objects.exists()
    assert "webhook rejected" in caplog.text


def test_signature_with_another_secret_is_401(client):
    body = b'{"action": "opened"}'
    headers = signed_headers(body, event="issues", secret="not-our-secret")

    assert _post(client, body, headers).status_code == 401


def test_both_rotation_secrets_are_accepted(client, settings, django_capture_on_commit_callbacks):
    settings.GITHUB_WEBHOOK_SECRETS = ["new-secret", "old-secret"]
    body = b'{"zen": "rotate"}'
    for secret in ("new-secret", "old-secret"):
        headers = signed_headers(body, event="gollum", secret=secret)
        with django_capture_on_commit_callbacks(execute=True):
            assert _post(client, body, headers).status_code == 202
    assert Delivery.objects.count() == 2


def test_malformed_json_is_400(client):
    body = b'{"action": "opened",'
    assert _post(client, body, signed_headers(body, event="issues")).status_code == 400
    body = b'["not", "an", "object"]'
    assert _post(client, body, signed_headers(body, event="issues")).status_code == 400
    # Signed, so stored all the same (nothing a signed sender sends is lost), failed with why.
    stored = Delivery.objects.order_by("received_at", "pk")
    assert [d.status for d in stored] == [DeliveryStatus.FAILED, DeliveryStatus.FAILED]
    assert "not valid JSON" in stored[0].error and "expected a JSON object" in stored[1].error


def test_missing_event_or_delivery_header_is_400(client):
    body = b"{}"
    headers = signed_headers(body, event="issues")
    del headers["HTTP_X_GITHUB_DELIVERY"]
    assert _post(client, body, headers).status_code == 400


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data"]
)
def test_wrong_content_type_is_415(client, content_type):
    body = b'{"action": "opened"}'
    response = _post(client, body, signed_headers(body, event="issues"), content_type=content_type)

    assert response.status_code == 415


def test_body_over_25_mb_is_413_not_400(client):
    """A real 25 MB + 1 byte body: Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) must not win."""
    body = b'{"pad": "' + b"x" * (25 * 1024 * 1024 - 10) + b'"}'
    assert len(body) == 25 * 1024 * 1024 + 1

    response = _post(client, body, signed_headers(body, event="issues"))

    assert response.status_code == 413
    assert not Delivery.objects.exists()


def test_declared_length_over_the_limit_is_413_before_reading(client, settings):
    settings.GITHUB_WEBHOOK_MAX_BODY_BYTES = 1000
    body = b"{}"
    headers = signed_headers(body, event="issues") | {"CONTENT_LENGTH": "1001"}

    assert _post(client, body, headers).status_code == 413


def test_large_delivery_under_the_limit_is_accepted(post_webhook, webhook_payload):
    """A 3 MB body (over DATA_UPLOAD_MAX_MEMORY_SIZE) is a normal delivery."""
    payload = webhook_payload("issues", "opened")
    payload["issue"]["body"] = "y" * (3 * 1024 * 1024)

    response = post_webhook("issues", payload)

    assert response.status_code == 202
    assert Issue.objects.get(pk=payload["issue"]["id"]).body == payload["issue"]["body"]


def test_body_reader_stops_at_the_limit_whatever_the_header_said():
    assert read_body(io.BytesIO(b"x" * 10), limit=10) == b"x" * 10
    assert read_body(io.BytesIO(b"x" * 11), limit=10) is None


def test_only_post_is_allowed(client):
    assert client.get(URL).status_code == 405


def test_the_receiver_is_csrf_exempt_with_csrf_checks_on(webhook_payload):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    body = json.dumps(webhook_payload("label", "created")).encode()
    response = _post(strict, body, signed_headers(body, event="label"))

    assert response.status_code == 202


def test_unknown_event_is_stored_and_ignored(post_webhook, webhook_payload):
    response = post_webhook("gollum", webhook_payload("gollum", "payload"))

    assert response.status_code == 202
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.IGNORED and delivery.error == ""
    assert "gollum" in delivery.note


def test_signature_covers_the_exact_bytes(client):
    body = b'{"a": 1}'
    headers = signed_headers(body, event="issues")
    headers["HTTP_X_HUB_SIGNATURE_256"] = signature_for(
        secret="test-webhook-secret", body=b'{"a":1}'
    )

    assert _post(client, body, headers).status_code == 401


def test_out_of_range_ids_are_stored_as_unknown_not_a_server_error(post_webhook):
    payload = {"installation": {"id": 10**30}, "repository": {"id": "x", "full_name": 7}}

    response = post_webhook("gollum", payload, HTTP_X_GITHUB_HOOK_ID="9" * 30)

    assert response.status_code == 202
    delivery = Delivery.objects.get()
    assert (delivery.hook_id, delivery.installation_id, delivery.repository_github_id) == (
        None,
        None,
        None,
    )
    assert delivery.repository_full_name == "7"
