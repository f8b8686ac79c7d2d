"""Webhook test helpers: payloads built in tests/ (payloads.py), signed and POSTed to the real URL.

The recorded payloads of the corpus are replayed by the conformance suite (test_corpus.py).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from community.github.signature import signature_for
from tests.community.webhooks import payloads
from tests.conftest import CORPUS_DIR

SECRET = "test-webhook-secret"
URL = "/webhooks/github/"
WEBHOOKS_DIR = CORPUS_DIR / "github-webhooks"


def payload_files() -> list[Path]:
    """Every recorded payload of the corpus: <event>/<name>.json (the event is the folder's name);
    empty without the corpus."""
    if not WEBHOOKS_DIR.is_dir():
        return []
    return sorted(WEBHOOKS_DIR.glob("*/*.json"))


def signed_headers(
    body: bytes, *, event: str, delivery_id: str | None = None, secret: str = SECRET
) -> dict[str, str]:
    return {
        "HTTP_X_GITHUB_EVENT": event,
        "HTTP_X_GITHUB_DELIVERY": delivery_id or str(uuid.uuid4()),
        "HTTP_X_GITHUB_HOOK_ID": "4242",
        "HTTP_X_HUB_SIGNATURE_256": signature_for(secret=secret, body=body),
        "HTTP_USER_AGENT": "GitHub-Hookshot/test",
    }


@pytest.fixture
def webhook_payload() -> Callable[[str, str], dict[str, Any]]:
    """`webhook_payload("issues", "opened")`: a fresh payload from payloads.EXAMPLES."""
    return payloads.example


@pytest.fixture
def post_webhook(client: Client, django_capture_on_commit_callbacks):
    """POST a signed delivery; on-commit callbacks (the task queueing) run as in production."""

    def post(
        event: str,
        payload: dict[str, Any] | bytes,
        *,
        delivery_id: str | None = None,
        **headers: str,
    ):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        meta = signed_headers(body, event=event, delivery_id=delivery_id) | headers
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, data=body, content_type="application/json", **meta)

    return post
