"""What a search box's text asks for: an item by number (`#123`, `owner/name#123`) or words.

Words follow web-search conventions on every database: words in any order must all match,
"quoted words" match as a phrase, `-word` excludes, `or` between two words accepts either.
PostgreSQL reads that syntax itself (`websearch_to_tsquery`); for SQLite FTS5 it is translated
here, every word quoted so that no user text is ever read as FTS5 syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NUMBER = re.compile(r"^\s*(?:(?P<owner>[\w.-]+)/(?P<name>[\w.-]+))?\s*#(?P<number>\d{1,9})\s*$")
_SIMILAR = re.compile(r"^\s*similar:\s*(?P<item>.*)$", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\s*(?P<number>\d{1,9})\s*$")
_TOKEN = re.compile(r'(?P<neg>-)?"(?P<phrase>[^"]*)"?|(?P<word>\S+)')
_WORD_CHARACTERS = re.compile(r"\w+")


@dataclass(frozen=True)
class NumberQuery:
    """`#123` (any visible repository) or `owner/name#123`; `exact` is False for a bare `123`,
    which also searches the words."""

    number: int
    full_name: str = ""
    exact: bool = True


def similar_query(text: str) -> NumberQuery | None:
    """`similar:#123` or `similar:owner/name#123`: items like that one (its stored vector)."""
    if match := _SIMILAR.match(text):
        number = number_query(match["item"])
        return number if number is not None and number.exact else None
    return None


def number_query(text: str) -> NumberQuery | None:
    if match := _NUMBER.match(text):
        full_name = f"{match['owner']}/{match['name']}" if match["owner"] else ""
        return NumberQuery(number=int(match["number"]), full_name=full_name)
    if match := _BARE_NUMBER.match(text):
        return NumberQuery(number=int(match["number"]), exact=False)
    return None


@dataclass(frozen=True)
class Clause:
    words: tuple[str, ...]  # one word, or the words of a phrase
    alternatives: tuple[tuple[str, ...], ...] = ()  # `a or b`: the other accepted words

    @property
    def options(self) -> tuple[tuple[str, ...], ...]:
        return (self.words, *self.alternatives)


@dataclass(frozen=True)
class TextQuery:
    """The words of a query: clauses that must all match, and excluded words."""

    raw: str
    required: tuple[Clause, ...] = ()
    excluded: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not self.required

    @property
    def highlight_words(self) -> list[str]:
        return sorted(
            {word for clause in self.required for option in clause.options for word in option},
            key=len,
            reverse=True,
        )


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.lower() for word in _WORD_CHARACTERS.findall(text))


def text_query(text: str) -> TextQuery:
    required: list[Clause] = []
    excluded: list[tuple[str, ...]] = []
    pending_or = False
    for token in _TOKEN.finditer(text):
        if token["word"] is not None and token["word"].lower() == "or":
            pending_or = bool(required)
            continue
        negative = token["neg"] is not None or (token["word"] or "").startswith("-")
        source = token["phrase"] if token["phrase"] is not None else token["word"].lstrip("-")
        words = _words(source)
        if not words:
            continue
        if negative:
            excluded.append(words)
        elif pending_or:
            last = required.pop()
            required.append(Clause(last.words, (*last.alternatives, words)))
        else:
            required.append(Clause(words))
        pending_or = False
    return TextQuery(raw=text.strip(), required=tuple(required), excluded=tuple(excluded))


def _fts5_string(words: tuple[str, ...]) -> str:
    # A quoted FTS5 string is tokenized like the indexed text (stemmed) and matched as a phrase;
    # `_words` keeps only word characters, so no quote can end the string early.
    return '"' + " ".join(words) + '"'


def fts5_expression(query: TextQuery) -> str:
    """The FTS5 MATCH expression of a query; empty when it has no required words."""
    if query.is_empty:
        return ""
    parts = []
    for clause in query.required:
        options = [_fts5_string(option) for option in clause.options]
        parts.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
    expression = " AND ".join(parts)
    for words in query.excluded:
        expression = f"({expression}) NOT {_fts5_string(words)}"
    return expression
