"""Builders for small hand-computed metric fixtures (plain DataFrames, no database)."""

from __future__ import annotations

import pandas as pd

NaT = pd.NaT


def ts(value: str) -> pd.Timestamp:
    """A timestamp; naive strings are UTC, offsets are honoured."""
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp


def items(*rows: dict) -> pd.DataFrame:
    defaults = {
        "kind": "issue",
        "repository_id": 1,
        "author_id": 100,
        "author_is_bot": False,
        "closed_at": NaT,
        "merged_at": NaT,
        "draft": False,
        "number": 1,
        "title": "t",
    }
    frame = pd.DataFrame([{**defaults, **row} for row in rows])
    for column in ("created_at", "closed_at", "merged_at", "updated_at"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    if "contributor_id" not in frame:
        frame["contributor_id"] = frame["author_id"]
    if "updated_at" not in frame:
        frame["updated_at"] = frame["created_at"]
    return frame


def responses(*rows: dict) -> pd.DataFrame:
    defaults = {"kind": "issue", "actor_is_bot": False, "source": "comment"}
    frame = pd.DataFrame(
        [{**defaults, **row} for row in rows],
        columns=["kind", "item_id", "actor_id", "actor_is_bot", "at", "source"],
    )
    frame["at"] = pd.to_datetime(frame["at"], utc=True, format="ISO8601")
    return frame


def reviews(*rows: dict) -> pd.DataFrame:
    defaults = {"reviewer_is_bot": False, "state": "COMMENTED"}
    frame = pd.DataFrame(
        [{**defaults, **row} for row in rows],
        columns=["item_id", "reviewer_id", "reviewer_is_bot", "state", "submitted_at"],
    )
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True, format="ISO8601")
    return frame


def contributions(*rows: tuple) -> pd.DataFrame:
    """(contributor_id, at) or (contributor_id, at, is_bot) rows in repository 1."""
    frame = pd.DataFrame(
        [(r[0], 1, r[1], r[2] if len(r) > 2 else False, "comment") for r in rows],
        columns=["contributor_id", "repository_id", "at", "is_bot", "kind"],
    )
    frame["at"] = pd.to_datetime(frame["at"], utc=True, format="ISO8601")
    return frame


def row(frame: pd.DataFrame, period_start: str, repository_id: int = 1) -> dict:
    match = frame[
        (frame["repository_id"] == repository_id)
        & (frame["period_start"] == pd.Timestamp(period_start))
    ]
    assert len(match) == 1, f"expected one row for {period_start}, got {len(match)}"
    return match.iloc[0].to_dict()
