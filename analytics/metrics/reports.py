"""Ad-hoc issue/PR reports, as github/issue-metrics computes them, over exactly the chosen items.

Frames:
- items: as in `analytics.metrics.responsiveness` (kind, id, repository_id, number, title,
  author_id, author_is_bot, created_at, closed_at, merged_at), plus author_first_at: when the
  author opened their first issue or PR in that repository (NaT when unknown).
- responses: as in `analytics.metrics.responsiveness`.
- events: kind, item_id, event ("labeled", "unlabeled", "ready_for_review"), label, at —
  the timeline events of the items.

Durations are in hours. Like issue-metrics, a summary gives the average, median and 90th
percentile (linear interpolation) of each duration over the items that have it, and counts.
"""

from __future__ import annotations

import pandas as pd

from analytics.metrics.periods import hours_between
from analytics.metrics.responsiveness import first_responses
from analytics.periods import to_utc

AUTHOR_TYPES = ("human", "bot", "first_time", "any")
DURATIONS = {
    "time_to_first_response": "Time to first response",
    "time_to_close": "Time to close",
    "time_to_merge": "Time to merge",
    "time_in_draft": "Time in draft",
}
PR_ONLY = ("time_to_merge", "time_in_draft")  # no issue has them
ITEM_COLUMNS = ["kind", "id", "number", "title", "author_id", "created_at", "closed_at",
                "merged_at", "first_response_at", "first_time", *DURATIONS]  # fmt: skip


def label_column(label: str) -> str:
    return f"time_in_label_{label.lower()}"


def duration_columns(labels=(), *, kinds=("issue", "pr")) -> dict[str, str]:
    """column → title of every duration of a report on `kinds` measuring time in `labels`:
    a report on issues alone has no PR-only duration (time to merge, time in draft)."""
    columns = {k: v for k, v in DURATIONS.items() if "pr" in kinds or k not in PR_ONLY}
    for label in labels:
        columns[label_column(label)] = f"Time in label {label}"
    return columns


def time_in_draft(items: pd.DataFrame, events: pd.DataFrame) -> pd.Series:
    """Hours from opening a PR to its first "ready for review", indexed like `items`: for PRs
    opened as drafts that left the draft state (NaN for the rest, and for PRs still draft)."""
    ready = events[events["event"] == "ready_for_review"]
    first = to_utc(ready["at"]).groupby(ready["item_id"]).min()
    prs = items["kind"] == "pr"
    at = pd.Series(first.reindex(items["id"].to_numpy()).to_numpy(), index=items.index)
    hours = hours_between(items["created_at"], to_utc(at.where(prs)))
    return hours.where(hours >= 0)


def time_in_label(
    items: pd.DataFrame, events: pd.DataFrame, label: str, *, now: pd.Timestamp
) -> pd.Series:
    """Hours each item carried `label` (case-insensitive), indexed like `items`: the sum of its
    labeled → unlabeled spells; a spell still open ends when the item closed, or now. NaN for
    items that never had the label."""
    mine = events[
        events["event"].isin(["labeled", "unlabeled"])
        & (events["label"].astype(str).str.lower() == label.lower())
    ].sort_values("at")
    keys = list(zip(items["kind"], items["id"], strict=True))
    ends = dict(zip(keys, to_utc(items["closed_at"]), strict=True))
    totals: dict[tuple, float] = {}
    for (kind, item_id), spells in mine.groupby(["kind", "item_id"]):
        total, since = 0.0, None
        for event, at in zip(spells["event"], to_utc(spells["at"]), strict=True):
            if event == "labeled" and since is None:
                since = at
            elif event == "unlabeled" and since is not None:
                total += (at - since).total_seconds() / 3600.0
                since = None
        if since is not None:
            end = ends.get((kind, item_id))
            end = now if end is None or pd.isna(end) else end
            total += max((end - since).total_seconds(), 0) / 3600.0
        totals[(kind, item_id)] = total
    return pd.Series([totals.get(key, float("nan")) for key in keys], index=items.index)


def first_time_items(items: pd.DataFrame) -> pd.Series:
    """True for items that are their author's first issue or PR in the repository: nothing the
    author opened there came before (`author_first_at` equals the item's own `created_at`)."""
    first = to_utc(items["author_first_at"])
    return (first.notna() & (first == to_utc(items["created_at"]))).astype(bool)


def author_type_filter(items: pd.DataFrame, author_type: str) -> pd.DataFrame:
    """Keep items by who opened them: "human" (not a bot), "bot", "first_time" (a human's first
    issue or PR in the repository) or "any"."""
    bots = items["author_is_bot"].astype(bool)
    if author_type == "human":
        return items[~bots]
    if author_type == "bot":
        return items[bots]
    if author_type == "first_time":
        return items[~bots & first_time_items(items)]
    return items


def report_items(
    items: pd.DataFrame,
    responses: pd.DataFrame,
    events: pd.DataFrame | None = None,
    *,
    labels=(),
    now: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """One row per item with its durations, oldest first.

    - time_to_first_response: opened → first response, as every Steward metric defines it
      (`analytics.metrics.responsiveness.first_responses`: a comment or a submitted review by
      someone who is neither the author nor a bot, as github/issue-metrics counts it).
    - time_to_close: opened → closed (merged PRs are closed too); NaN while open.
    - time_to_merge: opened → merged, for merged PRs only.
    - time_in_draft: see `time_in_draft`; time_in_label_<label>: see `time_in_label`, for each
      of `labels` (github/issue-metrics' LABELS_TO_MEASURE).
    """
    columns = [*ITEM_COLUMNS, *(label_column(label) for label in labels)]
    if items.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    if events is None:
        events = pd.DataFrame(columns=["kind", "item_id", "event", "label", "at"])
    now = now if now is not None else pd.Timestamp.now(tz="UTC")
    frame = items.copy()
    for column in ("created_at", "closed_at", "merged_at"):
        frame[column] = to_utc(frame[column])
    frame["first_response_at"] = to_utc(first_responses(frame, responses))
    frame["first_time"] = first_time_items(frame) & ~frame["author_is_bot"].astype(bool)
    frame["time_to_first_response"] = hours_between(frame["created_at"], frame["first_response_at"])
    frame["time_to_close"] = hours_between(frame["created_at"], frame["closed_at"])
    frame["time_to_merge"] = hours_between(frame["created_at"], frame["merged_at"])
    frame["time_in_draft"] = time_in_draft(frame, events)
    for label in labels:
        frame[label_column(label)] = time_in_label(frame, events, label, now=now)
    frame = frame.sort_values(["created_at", "kind", "number"])
    return frame[columns].reset_index(drop=True)


def report_summary(table: pd.DataFrame, labels=(), *, kinds=("issue", "pr")) -> dict:
    """{"durations": [{metric, label, count, average, median, p90}], "counts": {...}}.

    Each duration is summarised over the items that have one (count says how many); counts:
    total (items in the report), open (still open), closed, merged (PRs), answered (items
    with a first response), first_time (items that are their author's first). A report on
    issues alone has no PR-only duration and no merged count (None).
    """
    durations = []
    for metric, label in duration_columns(labels, kinds=kinds).items():
        values = table[metric].dropna().astype(float)
        durations.append(
            {
                "metric": metric,
                "label": label,
                "count": len(values),
                "average": float(values.mean()) if len(values) else None,
                "median": float(values.median()) if len(values) else None,
                "p90": float(values.quantile(0.9)) if len(values) else None,
            }
        )
    closed = table["closed_at"].notna()
    counts = {
        "total": len(table),
        "open": int((~closed).sum()),
        "closed": int(closed.sum()),
        "merged": int(table["merged_at"].notna().sum()) if "pr" in kinds else None,
        "answered": int(table["first_response_at"].notna().sum()),
        "first_time": int(table["first_time"].astype(bool).sum()),
    }
    return {"durations": durations, "counts": counts}
