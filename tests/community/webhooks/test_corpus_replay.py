"""Conformance: the whole recorded corpus replayed in sequence into ONE database.

Each example applied alone (test_corpus.py) proves little about how they agree with one another:
the corpus reuses repositories and numbers across unrelated examples, as a real stream reorders,
deletes and transfers. Applied one after another, no delivery may fail, and every number of a
repository belongs to at most one live issue and one live pull request.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models import Count

from community.models import Delivery, DeliveryStatus, Issue, PullRequest
from community.services.webhooks.handlers import HANDLERS
from tests.community.webhooks.conftest import payload_files
from tests.conftest import corpus_missing

pytestmark = [pytest.mark.conformance, pytest.mark.django_db]


def test_the_whole_corpus_applies_in_sequence_into_one_database(corpus, post_webhook):
    files = payload_files()
    if not files:
        corpus_missing("the recorded webhook payloads (github-webhooks/)")
    assert len(files) == 273

    for index, path in enumerate(files):
        event = path.parent.name
        response = post_webhook(event, path.read_bytes(), delivery_id=f"replay-{index}")
        assert response.status_code in (200, 202), (path, response.content)

    failed = {
        f"{d.event}.{d.action}": d.error
        for d in Delivery.objects.filter(status=DeliveryStatus.FAILED)
    }
    assert failed == {}
    counts = Counter(Delivery.objects.values_list("status", flat=True))
    assert set(counts) <= {DeliveryStatus.PROCESSED, DeliveryStatus.IGNORED}
    # Every delivery of an event Steward handles is applied (none ignored on the way).
    handled = Delivery.objects.filter(event__in=HANDLERS)
    ignored = dict(handled.exclude(status=DeliveryStatus.PROCESSED).values_list("event", "note"))
    assert ignored == {}
    assert handled.count() > 100
    for model in (Issue, PullRequest):
        claimed = (
            model.objects.filter(deleted_at__isnull=True)
            .values("repository_id", "number")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        assert list(claimed) == []
