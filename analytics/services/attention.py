"""Attention tables (items waiting for a maintainer), recomputed with each fill and stored."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from django.conf import settings
from django.db import transaction

from analytics.metrics import ATTENTION_LISTS, attention_items
from analytics.models import AttentionSnapshot, Scope
from analytics.selectors import frames as f
from analytics.services.windows import RunContext
from community.models import Actor, Repository

ATTENTION_LIMIT = 10


def _rows(frame: pd.DataFrame, repositories: dict[int, str]) -> list[dict]:
    logins = dict(
        Actor.objects.filter(id__in=set(frame["author_id"].dropna())).values_list("id", "login")
    )
    rows = []
    for record in frame.to_dict("records"):
        full_name = repositories[int(record["repository_id"])]
        path = "issues" if record["kind"] == "issue" else "pull"
        rows.append(
            {
                "kind": record["kind"],
                "repository": full_name,
                "number": int(record["number"]),
                "title": record["title"],
                "author": logins.get(record["author_id"], ""),
                "waiting_days": round(float(record["waiting_days"]), 1),
                "url": f"https://github.com/{full_name}/{path}/{int(record['number'])}",
            }
        )
    return rows


def _top(frame: pd.DataFrame, limit: int) -> pd.DataFrame:
    ordered = frame.sort_values(["list", "waiting_days"], ascending=[True, False])
    return ordered.groupby("list", sort=False).head(limit)


def _lists(frame: pd.DataFrame, repositories: dict[int, str]) -> dict[str, list[dict]]:
    return {name: _rows(frame[frame["list"] == name], repositories) for name in ATTENTION_LISTS}


def attention_tables(
    found: pd.DataFrame, repositories: dict[int, str], *, limit: int = ATTENTION_LIMIT
) -> dict[str, list[dict]]:
    """`attention_items` output as stored: each list's `limit` longest-waiting items, as rows."""
    return _lists(_top(found, limit), repositories)


def attention_refresh(*, context: RunContext, now: dt.datetime) -> int:
    """Recompute every repository's attention tables and the aggregate ones; returns rows kept."""
    names = dict(
        Repository.objects.filter(id__in=context.repository_ids).values_list("id", "full_name")
    )
    tops = {}
    history = context.history
    for repository_id in context.repository_ids:
        # One repository at a time: open items are the one unbounded read of a fill.
        selection = f.item_selection(
            repository_ids=[repository_id], start=now, end=now, open_only=True
        )
        items = f.items_frame(selection=selection, people=context.people)
        found = attention_items(
            items,
            f.responses_frame(selection=selection, people=context.people),
            f.reviews_frame(selection=selection, people=context.people),
            history[history["repository_id"] == repository_id],
            now=pd.Timestamp(now),
            stale_days=settings.ANALYTICS_STALE_DAYS,
        )
        tops[repository_id] = _top(found, ATTENTION_LIMIT)
    everything = (
        pd.concat(tops.values(), ignore_index=True)
        if tops
        else pd.DataFrame(columns=["list", "waiting_days", "repository_id"])
    )
    with transaction.atomic():
        # Only what is still public: a repository privatized while this fill ran stays out.
        public_now = context.public_ids & public_repository_ids()
        public = everything[everything["repository_id"].isin(public_now)]
        AttentionSnapshot.objects.all().delete()
        AttentionSnapshot.objects.bulk_create(
            [
                AttentionSnapshot(repository_id=pk, lists=_lists(top, names), computed_at=now)
                for pk, top in tops.items()
            ]
            + [
                AttentionSnapshot(
                    scope=scope, lists=_lists(_top(frame, ATTENTION_LIMIT), names), computed_at=now
                )
                for scope, frame in ((Scope.ALL, everything), (Scope.PUBLIC, public))
            ]
        )
    return len(everything)


def public_repository_ids() -> set[int]:
    """Repositories in the public scope now (a fill's context may predate a privatization)."""
    public = Repository.objects.filter(private=False, tracked=True, deleted_at__isnull=True)
    return set(public.values_list("pk", flat=True))


def attention_public_rebuild() -> bool:
    """Recompose the stored public tables from the repositories public now; True if stored.

    Each repository's stored tables hold its longest-waiting items, so the public tables (the
    longest-waiting items of all public repositories) are the top of their union: no read of
    the items themselves, fast enough to run inside the transaction that privatizes or deletes
    a repository. Rows keep the time they were computed.
    """
    snapshot = (
        AttentionSnapshot.objects.select_for_update()
        .filter(scope=Scope.PUBLIC, repository__isnull=True)
        .first()
    )
    if snapshot is None:
        return False
    tables = AttentionSnapshot.objects.filter(repository_id__in=public_repository_ids())
    merged: dict[str, list[dict]] = {name: [] for name in ATTENTION_LISTS}
    for lists in tables.values_list("lists", flat=True):
        for name, rows in (lists or {}).items():
            merged.setdefault(name, []).extend(rows)
    snapshot.lists = {
        name: sorted(rows, key=lambda row: -row["waiting_days"])[:ATTENTION_LIMIT]
        for name, rows in merged.items()
    }
    snapshot.save(update_fields=["lists"])
    return True
