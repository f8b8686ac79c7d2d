"""Reading GitHub JSON field by field: types, lengths and characters are checked here, once.

Whatever sent it (a signed webhook, a REST page), GitHub-shaped input is checked before anything
is written, by one rule on SQLite and PostgreSQL alike: a value of the wrong type, a string longer
than its column (SQLite would keep it, PostgreSQL refuses it), a NUL character (PostgreSQL
refuses it in text and JSON), a lone surrogate, a number outside its column's range or a login
no page can link to is a `PayloadError` naming the field (`pull_request.user.login`). A webhook
delivery that carries one fails with that message and changes nothing.

The lengths are the columns' (`community/models`); a few long texts are cut by the upserts
instead (issue titles, file paths, renames), as before.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from django.utils.dateparse import parse_datetime

Json = dict[str, Any]

MAX_ID = 2**63 - 1  # a BigIntegerField
MAX_COUNT = 2**31 - 1  # a PositiveIntegerField on PostgreSQL
LOGIN_MAX_LENGTH = 100  # Actor.login
# GitHub logins are ASCII letters, digits and hyphens (enterprise-managed ones add `_shortcode`;
# apps end in `[bot]`). A login is a path segment of the people pages: never empty, never `/`,
# never `.` or `..`.
LOGIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?:\[bot\])?")


class PayloadError(ValueError):
    """GitHub-shaped input that Steward will not store, and why (`path: problem`)."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def checked_text(value: Any, path: str, *, max_length: int | None = None) -> str:
    """A string that both databases store as sent."""
    if not isinstance(value, str):
        raise PayloadError(path, f"expected a string, got {_kind(value)}")
    if "\x00" in value:
        raise PayloadError(path, "contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PayloadError(path, "is not valid Unicode (a lone surrogate)") from None
    if max_length is not None and len(value) > max_length:
        raise PayloadError(path, f"is {len(value)} characters long; at most {max_length} are kept")
    return value


def checked_int(value: Any, path: str, *, low: int = 0, high: int = MAX_COUNT) -> int:
    # bool is an int in Python, never in GitHub's JSON.
    if not isinstance(value, int) or isinstance(value, bool):
        raise PayloadError(path, f"expected an integer, got {_kind(value)}")
    if not low <= value <= high:
        raise PayloadError(path, f"{value} is outside {low}..{high}")
    return value


def checked_login(value: Any, path: str) -> str:
    login = checked_text(value, path, max_length=LOGIN_MAX_LENGTH)
    if not LOGIN.fullmatch(login):
        raise PayloadError(path, f"{login!r} is not a GitHub login")
    return login


def parse_time(value: Any) -> datetime | None:
    """GitHub sends ISO 8601 strings, except for a few webhook fields sent as Unix seconds."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"not a GitHub timestamp: {value!r}")
    try:
        if isinstance(value, int | float):
            return datetime.fromtimestamp(value, tz=UTC)
        parsed = parse_datetime(value)
    except (OverflowError, OSError, ValueError):
        parsed = None
    if parsed is None:
        raise ValueError(f"not a GitHub timestamp: {value!r}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def body_loads(body: bytes) -> Any:
    """A webhook body's JSON; a `PayloadError` when it cannot be read (never a RecursionError:
    a body nested deeper than the parser follows is refused like any other unreadable one)."""
    try:
        return json.loads(body)
    except RecursionError:
        raise PayloadError("body", "JSON nested too deeply to read") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        raise PayloadError("body", f"not valid JSON ({exc})") from None


class Fields:
    """One JSON object of a payload, read with its path (`issue.user`) for error messages.

    Readers follow GitHub's habits: a missing key, `null` and (for text) `""` all mean "not
    set" and give the default; anything of another type is an error.
    """

    __slots__ = ("at", "data")

    def __init__(self, data: Any, at: str) -> None:
        if not isinstance(data, dict):
            raise PayloadError(at, f"expected an object, got {_kind(data)}")
        self.data: Json = data
        self.at = at

    def path(self, key: str) -> str:
        return f"{self.at}.{key}" if self.at else key

    def has(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def id(self, key: str = "id") -> int:
        return checked_int(self.data.get(key), self.path(key), low=1, high=MAX_ID)

    def optional_id(self, key: str) -> int | None:
        return None if self.data.get(key) is None else self.id(key)

    def count(self, key: str, *, default: int = 0) -> int:
        value = self.data.get(key)
        return default if value is None else checked_int(value, self.path(key))

    def optional_count(self, key: str) -> int | None:
        return None if self.data.get(key) is None else self.count(key)

    def number(self, key: str = "number") -> int:
        return checked_int(self.data.get(key), self.path(key), low=1)

    def text(self, key: str, *, max_length: int | None = None, default: str = "") -> str:
        value = self.data.get(key)
        if value is None or value == "":
            return default
        return checked_text(value, self.path(key), max_length=max_length)

    def required_text(self, key: str, *, max_length: int | None = None) -> str:
        value = checked_text(self.data.get(key), self.path(key), max_length=max_length)
        if not value:
            raise PayloadError(self.path(key), "is empty")
        return value

    def optional_text(self, key: str, *, max_length: int | None = None) -> str | None:
        """None when the key is absent or null (an endpoint that does not send the field)."""
        value = self.data.get(key)
        if value is None:
            return None
        return checked_text(value, self.path(key), max_length=max_length)

    def login(self, key: str = "login") -> str:
        return checked_login(self.data.get(key), self.path(key))

    def flag(self, key: str, *, default: bool = False) -> bool:
        value = self.optional_flag(key)
        return default if value is None else value

    def optional_flag(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is not None and not isinstance(value, bool):
            raise PayloadError(self.path(key), f"expected true or false, got {_kind(value)}")
        return value

    def time(self, key: str) -> datetime | None:
        try:
            return parse_time(self.data.get(key))
        except ValueError as exc:
            raise PayloadError(self.path(key), str(exc)) from None

    def required_time(self, key: str) -> datetime:
        value = self.time(key)
        if value is None:
            raise PayloadError(self.path(key), "is missing")
        return value

    def object(self, key: str) -> Fields | None:
        """The nested object, or None when it is missing, null or empty."""
        value = self.data.get(key)
        return Fields(value, self.path(key)) if value else None

    def required_object(self, key: str) -> Fields:
        return Fields(self.data.get(key), self.path(key))

    def objects(self, key: str) -> list[Fields]:
        """A list of objects (null entries skipped, as GitHub sometimes sends them)."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise PayloadError(self.path(key), f"expected a list, got {_kind(value)}")
        return [Fields(item, f"{self.path(key)}[{i}]") for i, item in enumerate(value) if item]

    def texts(self, key: str, *, max_length: int | None = None) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise PayloadError(self.path(key), f"expected a list, got {_kind(value)}")
        return [
            checked_text(item, f"{self.path(key)}[{i}]", max_length=max_length)
            for i, item in enumerate(value)
        ]

    def reactions(self) -> tuple[dict[str, int], int]:
        """Counts by reaction (zeros left out) and their total."""
        reactions = self.object("reactions")
        if reactions is None:
            return {}, 0
        counts = {}
        for key, value in reactions.data.items():
            if key in ("url", "total_count"):
                continue
            checked_text(key, reactions.path("<key>"), max_length=50)
            if checked_int(value, reactions.path(key)):
                counts[key] = value
        return counts, reactions.count("total_count") or sum(counts.values())
