"""Avatars Steward draws itself: the login's first letter on a colour chosen by the login.

An initial says more next to a name than an identicon does, and needs no network. The colour
comes from a hash of the login, so a person keeps theirs on every page and every server.
"""

from __future__ import annotations

import hashlib

from django.utils.html import escape

# Dark enough that white text on each reads at 4.5:1 or better (WCAG AA).
PALETTE = (
    "#1f6feb",
    "#8250df",
    "#bf3989",
    "#cf222e",
    "#bc4c00",
    "#7d4e00",
    "#116329",
    "#1b7c83",
    "#0550ae",
    "#6639ba",
    "#953800",
    "#57606a",
)
# Bumped when the drawing changes, so browsers' validators (ETags) change with it.
DRAWING_VERSION = "1"


def avatar_colour(login: str) -> str:
    digest = hashlib.sha256(login.lower().encode()).digest()
    return PALETTE[int.from_bytes(digest[:4], "big") % len(PALETTE)]


def avatar_initial(login: str) -> str:
    """The login's first letter or digit, upper-cased; "?" when it has none."""
    return next((char.upper() for char in login if char.isalnum()), "?")


def avatar_svg(login: str) -> str:
    """A 64 by 64 SVG of `login`'s initial: the same bytes for the same login, always."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" fill="{avatar_colour(login)}"/>'
        '<text x="32" y="32" dy="0.35em" text-anchor="middle" fill="#ffffff" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" '
        f'font-size="30" font-weight="600">{escape(avatar_initial(login))}</text>'
        "</svg>"
    )
