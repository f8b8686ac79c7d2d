"""Conformance: every recorded payload of the corpus, signed and POSTed through the real URL,
then processed.

Known events must land in the right rows; the others are stored and marked ignored; no payload
may cause a server error or a failed delivery. A failing payload is named in the test id. Without
the corpus these tests skip, naming it, or fail where it is required (STEWARD_REQUIRE_CORPUS).
"""

from __future__ import annotations

import json

import pytest

from community.models import Delivery, DeliveryStatus
from community.services.webhooks.handlers import HANDLERS
from tests.community.webhooks.checks import CHECKS
from tests.community.webhooks.conftest import payload_files
from tests.conftest import corpus_missing

pytestmark = [pytest.mark.conformance, pytest.mark.django_db]

FILES = payload_files()
# Without the corpus one named case stands for all of them (an empty parametrization would be
# skipped with pytest's generic words).
CASES = [f"{f.parent.name}/{f.name}" for f in FILES] or ["corpus-missing"]


def test_all_example_payloads_are_present(corpus):
    if not FILES:
        corpus_missing("the recorded webhook payloads (github-webhooks/)")
    assert len(FILES) == 273
    assert len({f.parent.name for f in FILES}) == 60


@pytest.mark.parametrize("case", CASES)
def test_example_payload_is_accepted_and_applied(case: str, corpus, post_webhook):
    if not FILES:
        corpus_missing("the recorded webhook payloads (github-webhooks/)")
    path = corpus / "github-webhooks" / case
    event = path.parent.name
    body = path.read_bytes()
    response = post_webhook(event, body, delivery_id=f"example-{event}-{path.name}"[:64])

    if event == "ping":
        assert response.status_code == 200 and not Delivery.objects.exists()
        return
    assert response.status_code == 202, response.content
    delivery = Delivery.objects.get()
    assert delivery.raw_body == body  # stored byte for byte
    assert delivery.hook_id == 4242
    if event not in HANDLERS:
        assert delivery.status == DeliveryStatus.IGNORED, delivery.error
        return
    assert delivery.status == DeliveryStatus.PROCESSED, delivery.error
    assert delivery.attempts == 1 and delivery.processed_at is not None
    CHECKS[event](json.loads(body), delivery)
