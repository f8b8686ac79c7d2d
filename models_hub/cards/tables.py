"""Markdown building blocks of the card: tables whose cells cannot break out of their cell."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

EMPTY = "-"


def cell(value: object) -> str:
    """A value as a table cell: numbers to 4 decimals; text escaped (a label named `a|b` or
    `<b>` stays text)."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, datetime):
        return when(value)
    text = html.escape(str(value), quote=False).replace("|", "\\|")
    return " ".join(text.split())


def code(value: object) -> str:
    """Inline code (for identifiers, hashes, label names)."""
    if value is None:
        return EMPTY
    text = " ".join(str(value).split()).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}" if text else EMPTY


def percent(value: float | None) -> str:
    return EMPTY if value is None else f"{value * 100:.1f}%"


def when(moment: datetime | None) -> str:
    if moment is None:
        return EMPTY
    aware = moment.astimezone(UTC) if moment.tzinfo else moment
    return aware.strftime("%Y-%m-%d %H:%M UTC")


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A GitHub table; cells must already be formatted (`cell`, `code`, links)."""
    lines = [
        "| " + " | ".join(headers) + " |",
        "| " + " | ".join("---" for _ in headers) + " |",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def link(text: str, url: str) -> str:
    if not url.startswith(("https://", "http://")):
        return cell(text)
    return f"[{cell(text)}]({url.replace(')', '%29').replace(' ', '%20')})"
