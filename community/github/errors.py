"""Typed GitHub errors: what the sync does about a failure depends only on which one it is."""

from __future__ import annotations

from datetime import datetime


class GitHubError(Exception):
    """Any failure talking to GitHub."""


class RateLimited(GitHubError):
    """Primary limit exhausted on every credential, or a secondary limit: wait until `reset_at`."""

    def __init__(self, message: str, *, reset_at: datetime, secondary: bool = False):
        super().__init__(message)
        self.reset_at = reset_at
        self.secondary = secondary


class NotFound(GitHubError):
    """404 or 410: the object is gone or not visible to us. Never retried."""

    def __init__(self, message: str, *, status: int = 404):
        super().__init__(message)
        self.status = status


class TransientError(GitHubError):
    """5xx or a connection failure that persisted through the client's own short retries."""


class BadCredentials(GitHubError):
    """GitHub rejected the token or the GitHub App credentials."""
