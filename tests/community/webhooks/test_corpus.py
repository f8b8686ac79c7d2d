"""Conformance: every recorded payload of the corpus, signed and POSTed through the real URL,
then processed.

Known events must land in the right rows; the others are stored and marked ignored; no payload
may cause a server error or a failed delivery. A failing payload is named in the test id. Without
the corpus these tests skip, naming it, or fail where it is required (STEWARD_REQUIRE_CORPUS).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from community.models import Delivery, DeliveryStatus
from community.services.webhooks.handlers import HANDLERS
from tests.community.webhooks.checks import CHECKS
from tests.community.webhooks.conftest import payload_files
from tests.community.webhooks.payloads import EXAMPLES
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


# What the test payloads send that the corpus's examples of the event do not show, with why.
BEYOND_THE_CORPUS = {
    # GitHub documents `changes.permission` (from, to) beside the older `old_permission`.
    ("member", "/changes/permission"),
    ("member", "/changes/permission/from"),
    ("member", "/changes/permission/to"),
}

_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number",
               float: "number", type(None): "null"}  # fmt: skip


def _shapes(value: Any, path: str = "", into: dict | None = None) -> dict[str, set[str]]:
    """Every key path of a JSON value (the items of a list merged) → the JSON types seen there."""
    shapes = {} if into is None else into
    shapes.setdefault(path, set()).add(_JSON_TYPES[type(value)])
    if isinstance(value, dict):
        for key, item in value.items():
            _shapes(item, f"{path}/{key}", shapes)
    elif isinstance(value, list):
        for item in value:
            _shapes(item, f"{path}[]", shapes)
    return shapes


def test_the_test_payloads_have_the_shapes_github_sends(corpus):
    """Every field of the payloads built in tests/ (payloads.py) is a field GitHub sends for the
    event, with a type it sends there: the core tests do not stand on invented shapes."""
    webhooks = corpus / "github-webhooks"
    if not webhooks.is_dir():
        corpus_missing("the recorded webhook payloads (github-webhooks/)")
    recorded: dict[str, dict[str, set[str]]] = {}
    for path in sorted(webhooks.glob("*/*.json")):
        _shapes(json.loads(path.read_bytes()), into=recorded.setdefault(path.parent.name, {}))

    unknown, mistyped = {}, {}
    for (event, name), build in sorted(EXAMPLES.items()):
        seen = recorded.get(event, {})
        allowed = {path for e, path in BEYOND_THE_CORPUS if e == event}
        ours = _shapes(build())
        if extra := sorted(set(ours) - set(seen) - allowed):
            unknown[f"{event}/{name}"] = extra
        for path, types in ours.items():
            if path in seen and seen[path] != {"null"} and not types - {"null"} <= seen[path]:
                mistyped[f"{event}/{name}{path}"] = (types, seen[path])

    assert {event for event, _ in EXAMPLES} <= set(recorded)
    assert unknown == {}
    assert mistyped == {}
