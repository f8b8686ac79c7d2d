"""GitHub webhook signatures: `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body>`."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

PREFIX = "sha256="


def signature_for(*, secret: str, body: bytes) -> str:
    """The header value GitHub sends for `body` signed with `secret`."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return PREFIX + digest


def signature_is_valid(*, body: bytes, header: str | None, secrets: Iterable[str]) -> bool:
    """True when `header` matches the body under any configured secret (two during rotation).

    Every secret is compared, in constant time, so the answer's timing reveals nothing.
    """
    if not header or not header.startswith(PREFIX):
        return False
    given = header.encode("utf-8", "replace")  # non-ASCII junk must not raise, only mismatch
    valid = False
    for secret in secrets:
        if secret and hmac.compare_digest(signature_for(secret=secret, body=body).encode(), given):
            valid = True
    return valid
