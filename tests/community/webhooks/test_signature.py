"""X-Hub-Signature-256: HMAC-SHA256 of the raw body, any configured secret (rotation)."""

from __future__ import annotations

import re

from community.github.signature import signature_for, signature_is_valid


def _official_vector(shared_data) -> tuple[str, bytes, str]:
    text = (shared_data / "github-webhooks" / "HEADERS_AND_SIGNATURE_TEST_VECTOR.md").read_text()
    match = re.search(
        r'secret "(?P<secret>[^"]+)", payload "(?P<payload>[^"]+)"\s*->\s*'
        r"X-Hub-Signature-256: (?P<signature>sha256=[0-9a-f]{64})",
        text,
    )
    assert match, "test vector not found in the shared notes"
    return match["secret"], match["payload"].encode(), match["signature"]


def test_official_test_vector(shared_data):
    secret, payload, signature = _official_vector(shared_data)
    assert secret == "It's a Secret to Everybody" and payload == b"Hello, World!"

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
