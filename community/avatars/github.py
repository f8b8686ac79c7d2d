"""Real avatars (STEWARD_AVATARS=github): fetched once by Steward's server, kept on disk, served
from Steward's own URL, so the reader's browser never contacts GitHub.

Only URLs under STEWARD_AVATAR_ORIGIN (https://avatars.githubusercontent.com/) are fetched: no
other host, no redirect, a timeout and a size limit, and only raster images (PNG, JPEG, GIF or
WebP, judged by their first bytes rather than by the server's Content-Type) are kept. A failed
fetch is remembered for a few minutes, so a missing avatar does not cost a request per page view.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_ACCEPT = "image/png,image/jpeg,image/gif,image/webp"
_KEY_SALT = "community.avatars.github"
# After a failed fetch, pages show the drawn avatar for this long before Steward asks again.
MISS_SECONDS = 10 * 60


@dataclass(frozen=True, slots=True)
class AvatarImage:
    content: bytes
    content_type: str


def image_type(content: bytes) -> str | None:
    """The image's MIME type from its first bytes; None for anything but PNG, JPEG, GIF, WebP."""
    for signature, content_type in _SIGNATURES:
        if content.startswith(signature):
            return content_type
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


def avatar_fetchable(url: str) -> bool:
    """Whether `url` lies under STEWARD_AVATAR_ORIGIN: same scheme, host and port, no user info."""
    if not url or any(char <= " " or char == "\\" for char in url):
        return False
    origin = urlsplit(settings.STEWARD_AVATAR_ORIGIN)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme == origin.scheme
        and parts.hostname == origin.hostname
        and port == origin.port
        and parts.username is None
        and parts.password is None
        and parts.path.startswith(origin.path or "/")
    )


def avatar_key(*, actor_id: int, avatar_url: str) -> str:
    """Signs an avatar's Steward URL: only avatars a page showed can be fetched (no open proxy,
    no probing for accounts), and the URL changes when the account's avatar URL does."""
    return salted_hmac(_KEY_SALT, f"{actor_id}\n{avatar_url}").hexdigest()[:24]


def _stored_path(url: str) -> Path:
    return Path(settings.STEWARD_AVATAR_CACHE_DIR) / hashlib.sha256(url.encode()).hexdigest()


def _stored(path: Path) -> AvatarImage | None:
    try:
        content = path.read_bytes()
    except OSError:
        return None
    content_type = image_type(content)
    return AvatarImage(content, content_type) if content_type else None


def _is_fresh(path: Path) -> bool:
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return False
    return age < settings.STEWARD_AVATAR_REFRESH_SECONDS


def _store(path: Path, image: AvatarImage) -> None:
    """Written beside its final name, then renamed: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".fetch-", delete=False) as file:
        file.write(image.content)
    os.replace(file.name, path)


def _download(url: str) -> AvatarImage | None:
    limit = settings.STEWARD_AVATAR_MAX_BYTES
    timeout = settings.STEWARD_AVATAR_TIMEOUT_SECONDS
    # requests' timeout bounds each read; the deadline bounds the whole download.
    deadline = time.monotonic() + timeout
    content = bytearray()
    try:
        with requests.get(
            url,
            timeout=timeout,
            stream=True,
            allow_redirects=False,
            headers={"Accept": _ACCEPT, "User-Agent": "Steward"},
        ) as response:
            if response.status_code != 200:
                logger.warning("avatar %s: HTTP %s", url, response.status_code)
                return None
            for chunk in response.iter_content(chunk_size=16384):
                content += chunk
                if len(content) > limit or time.monotonic() > deadline:
                    logger.warning("avatar %s: over %s bytes or %ss", url, limit, timeout)
                    return None
    except requests.RequestException as error:
        logger.warning("avatar %s: %s", url, error)
        return None
    content_type = image_type(bytes(content))
    if content_type is None:
        logger.warning("avatar %s: not a PNG, JPEG, GIF or WebP image", url)
        return None
    return AvatarImage(bytes(content), content_type)


def github_avatar_get(*, url: str) -> AvatarImage | None:
    """The avatar at `url`: the stored copy while fresh, else fetched now (and stored).

    None when `url` is not fetchable or no copy could be had; a stale copy is served when a
    refresh fails.
    """
    if not avatar_fetchable(url):
        return None
    path = _stored_path(url)
    stored = _stored(path)
    if stored is not None and _is_fresh(path):
        return stored
    miss_key = f"steward:avatar-miss:{path.name}"
    if cache.get(miss_key):
        return stored
    fetched = _download(url)
    if fetched is None:
        cache.set(miss_key, True, MISS_SECONDS)
        return stored
    _store(path, fetched)
    return fetched
