from __future__ import annotations

import re

from django.conf import settings
from django.db import models

# Accounts that behave like bots without GitHub saying so (its `type` is "User" for them).
KNOWN_BOT_LOGINS = frozenset(
    {"dependabot-preview", "greenkeeperio-bot", "renovate-bot", "codecov-io", "k8s-ci-robot"}
)
_BOT_SUFFIX = re.compile(r"(\[bot\]|-bot|_bot)$", re.IGNORECASE)


class ActorType(models.TextChoices):
    USER = "User"
    BOT = "Bot"
    ORGANIZATION = "Organization"
    MANNEQUIN = "Mannequin"


def is_bot_account(*, login: str, type_: str) -> bool:
    """GitHub marks apps as `Bot`; older bots are plain users named `…[bot]` / `…-bot`, and a
    project lists its own in the STEWARD_BOT_LOGINS setting."""
    if type_ == ActorType.BOT or _BOT_SUFFIX.search(login):
        return True
    configured = {name.lower() for name in getattr(settings, "STEWARD_BOT_LOGINS", ())}
    return login in KNOWN_BOT_LOGINS or login.lower() in configured


class Actor(models.Model):
    """A GitHub account: a person, a bot (app) or an organization."""

    id = models.BigIntegerField(primary_key=True, help_text="GitHub account id")
    login = models.CharField(max_length=100, db_index=True)
    type = models.CharField(max_length=20, choices=ActorType.choices, default=ActorType.USER)
    is_bot = models.BooleanField(default=False, db_index=True)
    name = models.CharField(max_length=255, blank=True)
    # From the account's GitHub profile, read by the sync (nested user objects lack it): as
    # written there ("@acme", "Acme Inc."); organisational diversity normalises it. A database
    # default too: code that predates the column (a rolling deploy) still inserts accounts.
    company = models.CharField(max_length=255, blank=True, default="", db_default="")
    profile_read_at = models.DateTimeField(
        null=True, blank=True, help_text="when the sync last read the GitHub profile"
    )
    avatar_url = models.URLField(max_length=500, blank=True)
    site_admin = models.BooleanField(default=False)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["login"]

    def __str__(self) -> str:
        return self.login

    @property
    def html_url(self) -> str:
        return f"https://github.com/{self.login}"
