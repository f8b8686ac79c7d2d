"""People's avatars, always served from Steward's own URLs.

Pages never point an <img> at GitHub: that would break offline, fail under the site's
Content-Security-Policy (`img-src 'self'`), and tell GitHub who reads which page. By default
Steward draws each account's avatar itself (`drawn.py`); with `STEWARD_AVATARS=github` it fetches
the real picture once, server-side, and serves its own copy (`github.py`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, reverse

from community.avatars.github import avatar_fetchable, avatar_key

if TYPE_CHECKING:
    from community.models import Actor

# What reverse() leaves unescaped in a path (RFC 3986 sub-delimiters, "~:@"), "/" excepted.
_PATH_SAFE = "!$&'()*+,;=~:@"


@lru_cache(maxsize=8)
def _avatars_root(script_prefix: str) -> str:
    """ "/avatars/" as the site is mounted. reverse() takes ~60 µs and a page may show hundreds
    of avatars, so it runs once per mount point (tests check the URLs equal reverse()'s)."""
    return reverse("community:avatar_drawn", args=["x"]).removesuffix("x.svg")


def avatar_src(actor: Actor) -> str:
    """The URL an <img> shows `actor`'s avatar from (always this site's)."""
    root = _avatars_root(get_script_prefix())
    if settings.STEWARD_AVATARS == "github" and avatar_fetchable(actor.avatar_url):
        return (
            f"{root}github/{actor.pk}/{avatar_key(actor_id=actor.pk, avatar_url=actor.avatar_url)}"
        )
    return f"{root}{quote(actor.login, safe=_PATH_SAFE)}.svg"
