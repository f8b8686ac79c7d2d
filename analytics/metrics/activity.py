"""Work flowing through a repository: opened vs closed, backlog, closure ratio, stale items, labels.

`items` is the frame described in `analytics.metrics.responsiveness`, plus `updated_at` for
staleness. Bots' items are counted apart (`bot_opened`, `bot_closed`) from people's.
"""

from __future__ import annotations

import pandas as pd

from analytics.metrics.periods import KEYS, empty
from analytics.periods import period_floor, to_utc

FLOW_COLUMNS = [*KEYS, "opened", "closed", "bot_opened", "bot_closed", "backlog"]


def _counts(subset: pd.DataFrame, when: str, period: str, name: str) -> pd.Series:
    at = to_utc(subset[when])
    done = subset[at.notna()]
    if done.empty:
        return pd.Series(dtype="int64", name=name)
    keys = [done["repository_id"], period_floor(done[when], period).rename("period_start")]
    return done.groupby(keys).size().rename(name)


def item_flow(
    items: pd.DataFrame,
    *,
    kind: str,
    period: str,
    period_starts: list[pd.Timestamp],
    backlog_at_start: pd.DataFrame,
) -> pd.DataFrame:
    """Items of `kind` opened and closed per period, and the open backlog at each period's end.

    `items` holds every item opened or closed within `period_starts`; `backlog_at_start`
    (repository_id, open) counts items open when the first period began. The backlog counts
    everyone's items (bots' too): it is the queue maintainers face. For PRs, `merged` counts
    merges and `closed` every close, merged or not. A reopened item counts once, at its last close.
    """
    subset = items[items["kind"] == kind]
    bots = subset["author_is_bot"].astype(bool)
    parts = [
        _counts(subset[~bots], "created_at", period, "opened"),
        _counts(subset[~bots], "closed_at", period, "closed"),
        _counts(subset[bots], "created_at", period, "bot_opened"),
        _counts(subset[bots], "closed_at", period, "bot_closed"),
    ]
    if kind == "pr":
        parts.append(_counts(subset, "merged_at", period, "merged"))
    repositories = sorted(set(subset["repository_id"]) | set(backlog_at_start["repository_id"]))
    index = pd.MultiIndex.from_product([repositories, period_starts], names=KEYS)
    flow = pd.concat(parts, axis=1).reindex(index).fillna(0).astype(int)
    for name in ("opened", "closed", "bot_opened", "bot_closed", "merged"):
        if name not in flow:
            flow[name] = 0
    if kind != "pr":
        flow = flow.drop(columns="merged")
    start = backlog_at_start.set_index("repository_id")["open"].reindex(repositories).fillna(0)
    net = flow["opened"] + flow["bot_opened"] - flow["closed"] - flow["bot_closed"]
    flow["backlog"] = net.groupby(level=0).cumsum() + start.reindex(
        flow.index.get_level_values(0)
    ).to_numpy().astype(int)
    return flow.reset_index()


def change_request_closure_ratio(items: pd.DataFrame, *, period: str) -> pd.DataFrame:
    """CHAOSS Change Request Closure Ratio: PRs closed (merged or not) in a period ÷ PRs opened.

    Human-opened PRs only. ratio is empty (NaN) for a period with no PR opened.
    """
    prs = items[(items["kind"] == "pr") & ~items["author_is_bot"].astype(bool)]
    opened = _counts(prs, "created_at", period, "opened")
    closed = _counts(prs, "closed_at", period, "closed")
    out = pd.concat([opened, closed], axis=1).fillna(0).astype(int)
    if out.empty:
        return empty([*KEYS, "opened", "closed", "ratio"])
    out["ratio"] = out["closed"] / out["opened"].where(out["opened"] > 0)
    return out.reset_index()


def stale_items(items: pd.DataFrame, *, now: pd.Timestamp, days: int) -> pd.DataFrame:
    """Open items with no activity (`updated_at`) for more than `days` days at `now`, oldest first.

    Adds `idle_days`. Any update (a comment, a label, a push, an edit) counts as activity.
    """
    now = to_utc(pd.Series([now])).iloc[0]
    open_items = items[to_utc(items["closed_at"]).isna()].copy()
    idle = (now - to_utc(open_items["updated_at"])).dt.total_seconds() / 86400.0
    open_items["idle_days"] = idle
    return open_items[idle > days].sort_values("idle_days", ascending=False)


def label_distribution(
    items: pd.DataFrame, item_labels: pd.DataFrame, *, period: str
) -> pd.DataFrame:
    """How many items opened in each period carry each label (item_labels: kind, item_id, label).

    An item with two labels counts once under each; bots' items count too (labels describe the
    work, not who filed it).
    """
    merged = items[["kind", "id", "repository_id", "created_at"]].merge(
        item_labels, left_on=["kind", "id"], right_on=["kind", "item_id"], how="inner"
    )
    if merged.empty:
        return empty([*KEYS, "label", "count"])
    merged["period_start"] = period_floor(merged["created_at"], period)
    return merged.groupby([*KEYS, "label"]).size().rename("count").reset_index()
