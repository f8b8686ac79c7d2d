"""X-Hub-Signature-256: HMAC-SHA256 of the raw body, any configured secret (rotation)."""

from __future__ import annotations

import re

import pytest

from community.github.signature import signature_for, signature_is_valid

# The test vector of GitHub's documentation ("Validating webhook deliveries").
OFFICIAL_SECRET = "It's a Secret to Everybody"
OFFICIAL_PAYLOAD = b"Hello, World!"
OFFICIAL_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"


def test_official_test_vector():
    assert signature_for(secret=OFFICIAL_SECRET, body=OFFICIAL_PAYLOAD) == OFFICIAL_SIGNATURE
    assert signature_is_valid(
        body=OFFICIAL_PAYLOAD, header=OFFICIAL_SIGNATURE, secrets=[OFFICIAL_SECRET]
    )


def _corpus_vector(corpus) -> tuple[str, bytes, str]:
    text = (corpus / "github-webhooks" / "HEADERS_AND_SIGNATURE_TEST_VECTOR.md").read_text()
    match = re.search(
        r'secret "(?P<secret>[^"]+)", payload "(?P<payload>[^"]+)"\s*->\s*'
        r"X-Hub-Signature-256: (?P<signature>sha256=[0-9a-f]{64})",
        text,
    )
    assert match, "test vector not found in the corpus notes"
    return match["secret"], match["payload"].encode(), match["signature"]


@pytest.mark.conformance
def test_the_corpus_notes_give_the_same_test_vector(corpus):
    secret, payload, signature = _corpus_vector(corpus)
    assert (secret, payload, signature) == (OFFICIAL_SECRET, OFFICIAL_PAYLOAD, OFFICIAL_SIGNATURE)

    assert signature_for(secret=secret, body=payload) == signature
    assert signature_is_valid(body=payload, header=signature, secrets=[secret])


def test_either_of_two_secrets_verifies_during_rotation():
    body = b'{"zen": "Keep it logically awesome."}'
    old, new = "old-secret", "new-secret"

    assert signature_is_valid(
        body=body, header=signature_for(secret=old, body=body), secrets=[new, old]
    )
    assert signature_is_valid(
        body=body, header=signature_for(secret=new, body=body), secrets=[new, old]
    )
    assert not signature_is_valid(
        body=body, header=signature_for(secret="other", body=body), secrets=[new, old]
    )


def test_rejects_missing_malformed_and_tampered_signatures():
    body = b'{"action": "opened"}'
    good = signature_for(secret="s", body=body)

    assert not signature_is_valid(body=body, header=None, secrets=["s"])
    assert not signature_is_valid(body=body, header="", secrets=["s"])
    assert not signature_is_valid(body=body, header=good.replace("sha256=", "sha1="), secrets=["s"])
    assert not signature_is_valid(body=body, header=good[:-1] + "0", secrets=["s"])
    assert not signature_is_valid(body=body + b" ", header=good, secrets=["s"])
    assert not signature_is_valid(body=body, header="sha256=ünïcode", secrets=["s"])
    assert not signature_is_valid(body=body, header=good, secrets=[])
    assert not signature_is_valid(
        body=body, header=signature_for(secret="", body=body), secrets=[""]
    )
