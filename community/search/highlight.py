"""Matched words wrapped in <mark>, every other character escaped: safe to render as HTML.

Search stems words (English on PostgreSQL, Porter on SQLite), so "renderer" also matched
"rendering": a word is highlighted when it starts like a query word (all but the last three
letters of a longer one; a word of three letters or fewer only as itself; stop words never).
Done in Python, so both databases highlight alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_LENGTH = 220
_SPACES = re.compile(r"\s+")
# Markdown punctuation an excerpt shows no better without: headings, fences, emphasis, code ticks.
_MARKDOWN = re.compile(r"^#{1,6}\s+|`{3}[\w-]*|\*\*|`", re.MULTILINE)


# Words the search does not match on (PostgreSQL's English stop words, mostly): never marked.
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "for", "from", "had",
    "has", "have", "he", "her", "his", "i", "if", "in", "into", "is", "it", "its", "me", "my",
    "no", "not", "of", "on", "or", "our", "she", "so", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "to", "too", "up", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "why", "will", "with", "you", "your",
})  # fmt: skip


def _word_pattern(word: str) -> str:
    """A short word matches itself only; a longer one also its other forms (same start)."""
    if len(word) <= 3:
        return re.escape(word) + r"\b"
    return re.escape(word[: max(4, len(word) - 3)]) + r"\w*"


def _pattern(words: Iterable[str]) -> re.Pattern | None:
    kept = sorted({w.lower() for w in words if w and w.lower() not in STOP_WORDS}, key=len)
    if not kept:
        return None
    alternatives = "|".join(_word_pattern(word) for word in reversed(kept))
    return re.compile(r"\b(?:" + alternatives + ")", re.IGNORECASE)


def highlighted(text: str, words: Iterable[str]) -> SafeString:
    """`text`, escaped, with the words matching `words` in <mark>."""
    pattern = _pattern(words)
    if pattern is None:
        return mark_safe(escape(text))  # escaped just now
    parts, position = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every piece escaped above


def snippet(text: str, words: Iterable[str], *, length: int = SNIPPET_LENGTH) -> SafeString:
    """About `length` characters of `text` (whitespace collapsed) around its first match."""
    words = list(words)
    flat = _SPACES.sub(" ", _MARKDOWN.sub("", text)).strip()
    pattern = _pattern(words)
    match = pattern.search(flat) if pattern else None
    start = 0 if match is None else max(0, match.start() - length // 3)
    if start:
        space = flat.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(flat), start + length)
    if end < len(flat):
        space = flat.rfind(" ", start, end)
        end = space if space > start + length // 2 else end
    shown = highlighted(flat[start:end], words)
    return mark_safe(("…" if start else "") + shown + ("…" if end < len(flat) else ""))
