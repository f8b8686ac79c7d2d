"""Items needing attention at the end of a period (or now, for the period under way).

The lists and their rules are the dashboards' (`analytics.metrics.attention_items`, stored the
same way by `attention_tables`). For a period that has ended they are taken as of its end: the
items open then, with the responses and reviews they had by then. Only an item's last activity
cannot be known for the past (GitHub keeps `updated_at`, not its history): when it is later than
the period's end, the last comment, review, label or close before the end stands in for it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from django.conf import settings
from django.db.models import Q

from analytics.metrics import ATTENTION_LISTS, attention_items
from analytics.periods import to_utc
from analytics.selectors import frames as f
from analytics.services.attention import attention_tables
from community.models import Issue, PullRequest, Repository


def _open_at(repository: Repository, as_of: dt.datetime) -> dict:
    """kind → items of the repository open at `as_of` (opened before it, not closed by then)."""
    open_then = Q(closed_at__isnull=True) | Q(closed_at__gte=as_of)
    return {
        kind: model.objects.filter(
            open_then, repository=repository, created_at__lt=as_of, deleted_at__isnull=True
        )
        for kind, model in (("issue", Issue), ("pr", PullRequest))
    }


def _as_of(items: pd.DataFrame, responses: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Items as they stood at `as_of`: later closes and merges undone, activity capped."""
    items = items.copy()
    for column in ("closed_at", "merged_at"):
        items[column] = to_utc(items[column]).where(to_utc(items[column]) < as_of)
    updated = to_utc(items["updated_at"])
    later = updated > as_of
    if later.any():
        last = responses.groupby(["kind", "item_id"])["at"].max()
        keys = pd.MultiIndex.from_arrays([items["kind"], items["id"]])
        known = pd.Series(last.reindex(keys).to_numpy(), index=items.index)
        fallback = pd.concat([to_utc(items["created_at"]), to_utc(known)], axis=1).max(axis=1)
        items["updated_at"] = updated.where(~later, fallback)
    return items


def attention_at(
    *,
    repository: Repository,
    people: f.People,
    history: pd.DataFrame,
    as_of: dt.datetime,
) -> dict:
    """{"as_of", "totals": {list: count}, "lists": {list: the longest-waiting rows}}."""
    selection = _open_at(repository, as_of)
    stamp = pd.Timestamp(as_of)
    responses = f.responses_frame(selection=selection, people=people)
    responses = responses[to_utc(responses["at"]) < stamp]
    reviews = f.reviews_frame(selection=selection, people=people)
    reviews = reviews[to_utc(reviews["submitted_at"]) < stamp]
    items = _as_of(f.items_frame(selection=selection, people=people), responses, stamp)
    found = attention_items(
        items,
        responses,
        reviews,
        history[history["repository_id"] == repository.pk],
        now=stamp,
        stale_days=settings.ANALYTICS_STALE_DAYS,
    )
    counts = found["list"].value_counts() if not found.empty else {}
    return {
        "as_of": as_of.isoformat(),
        "stale_days": settings.ANALYTICS_STALE_DAYS,
        "titles": dict(ATTENTION_LISTS),
        "totals": {name: int(counts.get(name, 0)) for name in ATTENTION_LISTS},
        "lists": attention_tables(found, {repository.pk: repository.full_name}),
    }
