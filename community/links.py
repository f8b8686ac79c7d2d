"""URLs that came from GitHub (homepages, avatars) and may become links: absolute http(s) only.

GitHub stores what people typed: a repository's homepage may be `javascript:alert(1)`, and a
webhook may carry anything. Browsers drop leading and trailing spaces and control characters
before they read a URL, remove tabs and newlines inside it and ignore the scheme's case, so the
check reads the URL the same way (" \tJaVa\nScript:" is `javascript:` to them).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

WEB_SCHEMES = frozenset({"http", "https"})
_SPACE_AND_CONTROLS = "".join(chr(code) for code in range(0x21))
_TABS_AND_NEWLINES = re.compile(r"[\t\n\r]")


def safe_url(value: object) -> str:
    """`value` when it is an absolute http(s) URL (as a browser reads it), "" otherwise."""
    url = _TABS_AND_NEWLINES.sub("", str(value or "")).strip(_SPACE_AND_CONTROLS)
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 host
        return ""
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.netloc:
        return ""
    return url
