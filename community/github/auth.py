"""Credentials the GitHub client may use: personal/fine-grained tokens, or a GitHub App install."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from github import Auth


@dataclass(frozen=True, slots=True)
class Credential:
    """One PyGithub auth, with a name safe to show in logs and the admin (never the secret)."""

    label: str
    auth: Auth.Auth | None


def app_private_key() -> str:
    key = settings.GITHUB_APP_PRIVATE_KEY
    if not key and settings.GITHUB_APP_PRIVATE_KEY_PATH:
        key = Path(settings.GITHUB_APP_PRIVATE_KEY_PATH).read_text()
    return key.replace("\\n", "\n")


def credentials_from_settings() -> list[Credential]:
    """GitHub App installation first (higher limits), then every token; anonymous when none."""
    found: list[Credential] = []
    if settings.GITHUB_APP_ID:
        key = app_private_key()
        if not key or not settings.GITHUB_APP_INSTALLATION_ID:
            raise ImproperlyConfigured(
                "GITHUB_APP_ID is set: GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_PATH) "
                "and GITHUB_APP_INSTALLATION_ID are needed too"
            )
        app = Auth.AppAuth(settings.GITHUB_APP_ID, key)
        installation = app.get_installation_auth(int(settings.GITHUB_APP_INSTALLATION_ID))
        found.append(Credential(label=f"app {settings.GITHUB_APP_ID}", auth=installation))
    for index, token in enumerate(settings.GITHUB_TOKENS, start=1):
        found.append(Credential(label=f"token #{index} (…{token[-4:]})", auth=Auth.Token(token)))
    return found or [Credential(label="anonymous", auth=None)]
