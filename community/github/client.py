"""The GitHub REST client the sync uses: PyGithub's requester, raw JSON pages, typed errors.

Pages are read as raw JSON (parsed later into `community.github.payloads`) so that conditional
requests (`If-None-Match` → 304) and `Link` pagination stay visible to the caller, which keeps a
cursor of both. Several credentials are rotated when one runs low; when all are low the client
raises `RateLimited` instead of sleeping, so a Celery task can re-schedule itself.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import requests
from django.conf import settings
from django.utils import timezone
from github import Github, GithubException

from community.github.auth import Credential, credentials_from_settings
from community.github.errors import (
    BadCredentials,
    GitHubError,
    NotFound,
    RateLimited,
    TransientError,
)
from community.github.ratelimit import (
    SECONDARY_LIMIT_DEFAULT_WAIT,
    RateBudget,
    primary_reset,
    retry_after,
)

logger = logging.getLogger(__name__)

JSON_MEDIA_TYPE = "application/vnd.github+json"
STAR_MEDIA_TYPE = "application/vnd.github.star+json"
_LINK = re.compile(r'<([^>]+)>;\s*rel="([^"]+)"')


def parse_links(header: str | None) -> dict[str, str]:
    """`Link: <url>; rel="next", <url>; rel="last"` → {"next": url, "last": url}."""
    return {rel: url for url, rel in _LINK.findall(header or "")}


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    data: Any
    headers: Mapping[str, str]
    links: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def next_url(self) -> str | None:
        return self.links.get("next")


@dataclass(slots=True)
class _Slot:
    credential: Credential
    requester: Any
    budget: RateBudget = field(default_factory=RateBudget)


class GitHubClient:
    def __init__(
        self,
        *,
        credentials: Sequence[Credential] | None = None,
        base_url: str | None = None,
        per_page: int = 100,
        reserve: int | None = None,
        attempts: int = 3,
        backoff: float = 0.5,
        timeout: int = 30,
        seconds_between_requests: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.base_url = (base_url or settings.GITHUB_API_URL).rstrip("/")
        self.per_page = per_page
        self.reserve = settings.GITHUB_RATE_LIMIT_RESERVE if reserve is None else reserve
        self.attempts = attempts
        self.backoff = backoff
        self._sleep = sleep
        if seconds_between_requests is None:
            seconds_between_requests = settings.GITHUB_SECONDS_BETWEEN_REQUESTS
        self._slots = [
            _Slot(
                credential=c,
                # retry=None: PyGithub's default retry sleeps through rate limits; we must not.
                requester=Github(
                    auth=c.auth,
                    base_url=self.base_url,
                    retry=None,
                    timeout=timeout,
                    per_page=per_page,
                    seconds_between_requests=seconds_between_requests or None,
                ).requester,
            )
            for c in (credentials_from_settings() if credentials is None else credentials)
        ]
        self._current = 0
        self.requests_made = 0

    @property
    def credential_label(self) -> str:
        return self._slots[self._current].credential.label

    def budgets(self) -> dict[str, RateBudget]:
        return {s.credential.label: s.budget for s in self._slots}

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        etag: str | None = None,
        accept: str = JSON_MEDIA_TYPE,
    ) -> Response:
        """GET a path (`/repos/…`) or an absolute URL from a `Link` header."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        failures = 0
        while True:
            slot = self._pick_slot()
            try:
                status, response_headers, body = self._send(slot, url, params, headers)
            except (requests.ConnectionError, requests.Timeout) as exc:
                failures += 1
                self._backoff_or_raise(failures, f"GET {url}: {exc}")
                continue
            slot.budget.update(response_headers)
            data = _decode(body)
            if status < 300 or status == 304:
                return Response(
                    status, data, response_headers, parse_links(response_headers.get("link"))
                )
            if status >= 500:
                failures += 1
                self._backoff_or_raise(failures, f"GET {url}: GitHub answered {status}")
                continue
            self._raise_or_rotate(slot, url, status, response_headers, data)

    def post(self, url: str, *, body: Mapping[str, Any]) -> Response:
        """POST a JSON body (a write). Sent at most once per credential: a 5xx or a dropped
        connection is not retried, since GitHub may have applied the write; only a credential
        whose primary limit ran out is rotated, as GitHub refused the write unapplied."""
        headers = {"Accept": JSON_MEDIA_TYPE}
        while True:
            slot = self._pick_slot()
            try:
                status, response_headers, text = self._send(
                    slot, url, None, headers, verb="POST", body=dict(body)
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                raise TransientError(f"POST {url}: {exc}") from exc
            slot.budget.update(response_headers)
            data = _decode(text)
            if status < 300:
                return Response(status, data, response_headers)
            if status >= 500:
                raise TransientError(f"POST {url}: GitHub answered {status}")
            self._raise_or_rotate(slot, url, status, response_headers, data, verb="POST")

    def _send(
        self, slot: _Slot, url: str, params, headers, *, verb: str = "GET", body=None
    ) -> tuple[int, dict, str]:
        self.requests_made += 1
        try:
            return slot.requester.requestJson(verb, url, dict(params or {}), dict(headers), body)
        except GithubException as exc:  # raised while minting a GitHub App installation token
            if exc.status == 401:
                raise BadCredentials(self._bad_credentials_message(slot, exc.data)) from exc
            if exc.status >= 500:
                raise TransientError(f"GitHub App token request failed: {exc.status}") from exc
            raise GitHubError(f"GitHub App token request failed: {exc.status} {exc.data}") from exc

    def _pick_slot(self) -> _Slot:
        now = timezone.now()
        current = self._slots[self._current]
        if not current.budget.is_low(reserve=self.reserve, now=now):
            return current
        usable = [
            i
            for i, s in enumerate(self._slots)
            if not s.budget.is_low(reserve=self.reserve, now=now)
        ]
        if usable:
            self._current = max(usable, key=lambda i: self._slots[i].budget.remaining or 0)
            logger.info("GitHub rate limit low; switching to %s", self.credential_label)
            return self._slots[self._current]
        reset_at = min(s.budget.reset_at or now for s in self._slots)
        raise RateLimited(
            "GitHub rate limit nearly exhausted on every credential;"
            f" resets at {reset_at:%H:%M:%S} UTC",
            reset_at=reset_at,
        )

    def _backoff_or_raise(self, failures: int, message: str) -> None:
        if failures >= self.attempts:
            raise TransientError(f"{message} (after {failures} attempts)")
        logger.warning("%s; retrying", message)
        self._sleep(self.backoff * 2 ** (failures - 1))

    def _raise_or_rotate(
        self, slot: _Slot, url: str, status: int, headers, data, *, verb: str = "GET"
    ) -> None:
        """Raise the typed error for a 4xx; return (to retry) when another credential may serve."""
        message = (data or {}).get("message", "") if isinstance(data, dict) else ""
        now = timezone.now()
        if status == 401:
            raise BadCredentials(self._bad_credentials_message(slot, data))
        if status in (403, 429):
            reset_at = primary_reset(headers, now=now)
            if reset_at is not None and retry_after(headers, now=now) is None:
                slot.budget.exhaust(reset_at=reset_at)
                return  # the next _pick_slot rotates, or raises RateLimited when none is left
            wait_until = retry_after(headers, now=now)
            if wait_until is not None or status == 429 or "secondary rate limit" in message.lower():
                raise RateLimited(
                    f"GitHub secondary rate limit on {url}: {message or status}",
                    reset_at=wait_until or now + SECONDARY_LIMIT_DEFAULT_WAIT,
                    secondary=True,
                )
        if status in (404, 410):
            raise NotFound(f"{url}: {message or 'not found'}", status=status)
        raise GitHubError(f"{verb} {url}: GitHub answered {status}: {message}")

    @staticmethod
    def _bad_credentials_message(slot: _Slot, data: Any) -> str:
        detail = data.get("message") if isinstance(data, dict) else None
        return (
            f"GitHub rejected the credentials ({slot.credential.label}):"
            f" {detail or 'Bad credentials'}."
            " Check GITHUB_TOKEN, or GITHUB_APP_ID / GITHUB_APP_PRIVATE_KEY /"
            " GITHUB_APP_INSTALLATION_ID."
        )


def _decode(body: str) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return {"message": body[:200]}


def reset_countdown(reset_at: datetime, *, now: datetime | None = None, margin: int = 5) -> int:
    """Seconds to wait for `reset_at`, with a small margin for clock skew."""
    now = now or timezone.now()
    return max(1, int((reset_at - now).total_seconds()) + margin)
