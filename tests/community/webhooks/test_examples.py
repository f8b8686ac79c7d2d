"""Every handled event, with payloads built in tests/ (payloads.py), signed, POSTed through the
real URL and processed: the rows it leaves are checked against the payload (checks.py), as the
conformance suite does for the recorded corpus. A removal is sent after the event that created
what it removes, so that it is seen to remove something.
"""

from __future__ import annotations

import json

import pytest

from community.models import Delivery, DeliveryStatus, Installation, Repository
from community.services.webhooks.handlers import HANDLERS
from tests.community.webhooks.checks import CHECKS
from tests.community.webhooks.payloads import EXAMPLES

pytestmark = pytest.mark.django_db

KEYS = sorted(EXAMPLES)

# A removal and the example that first creates what it removes.
PRECEDED_BY = {
    ("issue_comment", "deleted"): ("issue_comment", "created"),
    ("pull_request_review_comment", "deleted"): ("pull_request_review_comment", "created"),
    ("release", "deleted"): ("release", "published"),
    ("label", "deleted"): ("label", "created"),
    ("milestone", "closed"): ("milestone", "created"),
    ("member", "removed"): ("member", "added"),
    ("star", "deleted"): ("star", "created"),
    ("installation_repositories", "removed"): ("installation_repositories", "added"),
}


def test_every_handled_event_has_a_check():
    assert set(CHECKS) == set(HANDLERS)


def test_every_handled_event_has_an_example():
    assert set(HANDLERS) <= {event for event, _ in EXAMPLES}


@pytest.mark.parametrize("key", KEYS, ids=[f"{event}/{name}" for event, name in KEYS])
def test_example_payload_is_accepted_and_applied(key, post_webhook):
    event, name = key
    if key in PRECEDED_BY:
        first_event, _ = PRECEDED_BY[key]
        first = post_webhook(first_event, EXAMPLES[PRECEDED_BY[key]](), delivery_id="before")
        assert first.status_code == 202
        assert Delivery.objects.get(delivery_id="before").status == DeliveryStatus.PROCESSED
        CHECKS[first_event](EXAMPLES[PRECEDED_BY[key]](), Delivery.objects.get())
    body = json.dumps(EXAMPLES[key]()).encode()

    response = post_webhook(event, body, delivery_id=f"example-{event}-{name}")

    if event == "ping":
        assert response.status_code == 200 and not Delivery.objects.exists()
        return
    assert response.status_code == 202, response.content
    delivery = Delivery.objects.get(delivery_id=f"example-{event}-{name}")
    assert delivery.raw_body == body  # stored byte for byte
    assert delivery.hook_id == 4242
    if event not in HANDLERS:
        assert delivery.status == DeliveryStatus.IGNORED, delivery.error
        return
    assert delivery.status == DeliveryStatus.PROCESSED, delivery.error
    assert delivery.attempts == 1 and delivery.processed_at is not None
    CHECKS[event](json.loads(body), delivery)


def test_uninstalling_the_app_untracks_its_repositories(post_webhook):
    created = EXAMPLES["installation", "created"]()
    post_webhook("installation", created)
    stub = created["repositories"][0]
    assert Repository.objects.get(pk=stub["id"]).tracked

    post_webhook("installation", EXAMPLES["installation", "deleted"]())

    assert not Repository.objects.get(pk=stub["id"]).tracked
    assert Installation.objects.get(pk=created["installation"]["id"]).status == "deleted"
