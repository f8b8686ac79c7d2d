"""Writes for accounts: the GitHub login on a profile, API tokens (created, revoked)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import ApiToken, Profile

# Keys read "stw_" + 40 URL-safe characters; the first 12 characters are kept to tell keys apart.
KEY_PREFIX = "stw_"
PREFIX_LENGTH = 12


def key_hash(key: str) -> str:
    """SHA-256 of the key. Keys are long random strings, so a fast hash is enough: there is
    nothing to guess, unlike a password."""
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # shown to the user once, never stored


def api_token_create(*, user, name: str) -> NewToken:
    key = KEY_PREFIX + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:PREFIX_LENGTH], key_hash=key_hash(key)
    )
    return NewToken(token=token, key=key)


def api_token_revoke(*, user, token_id: int) -> bool:
    """Revoke one of the user's own tokens. False if they have no such active token."""
    revoked = ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return bool(revoked)


def profile_get_or_create(*, user) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def profile_set_github_login(*, user, github_login: str) -> Profile:
    profile = profile_get_or_create(user=user)
    if profile.github_login != github_login:
        profile.github_login = github_login
        profile.save(update_fields=["github_login"])
    return profile
