"""Resumable, idempotent metric fills (the Zulip `analytics/lib/counts.py` pattern).

A fill walks each period kind (week, month) from where each metric's `FillState` stopped to the
current period, reading one window of periods at a time. Each (metric, period) is written in one
transaction that first deletes what is stored for it, so running a fill twice changes nothing and
a fill that crashed (state STARTED) simply redoes the period it was writing. An incremental fill
also redoes the last few periods (`ANALYTICS_REFILL_PERIODS`): answers arriving late change them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from analytics.models import FillState, MetricRollup, RepositorySnapshot, Scope
from analytics.periods import PERIODS, period_shift, period_start, period_starts
from analytics.services.attention import (
    attention_public_rebuild,
    attention_refresh,
    public_repository_ids,
)
from analytics.services.catalog import ALL_ID, METRICS, PUBLIC_ID, MetricSpec
from analytics.services.windows import RunContext, run_context_load, window_load
from community.models import Issue, PullRequest, Repository, StarEvent

logger = logging.getLogger(__name__)
SCOPES = {ALL_ID: Scope.ALL, PUBLIC_ID: Scope.PUBLIC}
LOCK_KEY = 0x5754_0001  # PostgreSQL advisory lock held by the one fill running


@dataclass
class FillReport:
    periods_written: int = 0
    rows_written: int = 0
    attention_rows: int = 0
    skipped_busy: bool = False
    plan: dict[str, int] = field(default_factory=dict)


def _earliest_data(repository_ids: list[int]) -> dt.datetime | None:
    found = [
        model.objects.filter(repository_id__in=repository_ids).aggregate(at=Min(column))["at"]
        for model, column in (
            (Issue, "created_at"),
            (PullRequest, "created_at"),
            (StarEvent, "starred_at"),
        )
    ]
    found = [at for at in found if at is not None]
    return min(found) if found else None


def _start_for(
    state: FillState, *, period: str, first: pd.Timestamp, current: pd.Timestamp, full: bool,
    since: dt.date | None,
) -> pd.Timestamp:  # fmt: skip
    if full or state.filled_through is None:
        return first
    start = period_shift(period=period, start=period_start(state.filled_through, period), count=1)
    if state.status == FillState.Status.STARTED and state.period_in_progress:
        start = min(start, period_start(state.period_in_progress, period))
    start = min(
        start,
        period_shift(
            period=period, start=current, count=-settings.ANALYTICS_REFILL_PERIODS[period]
        ),
    )
    if since is not None:
        start = min(start, period_start(since, period))
    return max(start, first)


def _json_value(value):
    if value is None or (not isinstance(value, dict | list | str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer | int):
        return int(value)
    if isinstance(value, np.floating | float):
        return round(float(value), 4)
    return value


def _rollup(spec: MetricSpec, period: str, scope_id, start, values: dict) -> MetricRollup:
    scope_id = int(scope_id)
    return MetricRollup(
        metric=spec.name,
        period=period,
        period_start=start.date(),
        scope=SCOPES.get(scope_id, Scope.REPOSITORY),
        repository_id=None if scope_id in SCOPES else scope_id,
        values=values,
    )


def rollup_rows(spec: MetricSpec, result: pd.DataFrame, *, period: str) -> dict:
    """period start → the rows to store for that period of one metric's result."""
    rows: dict[pd.Timestamp, list[MetricRollup]] = {}
    if result.empty:
        return rows
    result = result.assign(period_start=pd.to_datetime(result["period_start"]))
    if spec.nest:
        key, value = spec.nest
        for (scope_id, start), group in result.groupby(["repository_id", "period_start"]):
            pairs = zip(group[key], group[value], strict=True)
            values = {key + "s": {str(_json_value(k)): _json_value(v) for k, v in pairs}}
            rows.setdefault(start, []).append(_rollup(spec, period, scope_id, start, values))
        return rows
    for record in result.to_dict("records"):
        scope_id, start = record.pop("repository_id"), record.pop("period_start")
        values = {column: _json_value(v) for column, v in record.items()}
        rows.setdefault(start, []).append(_rollup(spec, period, scope_id, start, values))
    return rows


def period_write(
    states: list[FillState], rows: list[MetricRollup], *, period: str, start: pd.Timestamp
) -> None:
    """Replace one period of several metrics atomically; their states say STARTED until done."""
    pks, metrics = [s.pk for s in states], [s.metric for s in states]
    FillState.objects.filter(pk__in=pks).update(
        status=FillState.Status.STARTED, period_in_progress=start.date()
    )
    with transaction.atomic():
        MetricRollup.objects.filter(
            metric__in=metrics, period=period, period_start=start.date()
        ).delete()
        MetricRollup.objects.bulk_create(rows, batch_size=1000)
        FillState.objects.filter(pk__in=pks).update(
            status=FillState.Status.DONE, period_in_progress=None, filled_through=start.date()
        )


@contextmanager
def _fill_lock() -> Iterator[bool]:
    """One fill at a time on PostgreSQL (beat and data-triggered refreshes may overlap)."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def repository_snapshots_take(*, today: dt.date) -> int:
    """Record today's fork and star counts of tracked repositories (one row per day)."""
    repositories = Repository.objects.filter(tracked=True, deleted_at__isnull=True)
    rows = [
        RepositorySnapshot(repository_id=pk, taken_on=today, forks=forks, stars=stars)
        for pk, forks, stars in repositories.values_list("id", "forks_count", "stargazers_count")
    ]
    with transaction.atomic():
        RepositorySnapshot.objects.filter(taken_on=today).delete()
        RepositorySnapshot.objects.bulk_create(rows)
    return len(rows)


def rollups_missing_since(*, repository_id: int) -> dt.date | None:
    """The day of a tracked repository's first data when its stored rollups do not reach back
    to it; None when they do, or when it has no data (or is not tracked).

    Rollups miss a repository's history when none are stored yet (its first sync or webhook just
    landed) or only recent periods are (an incremental fill ran while its first sync was still
    bringing in the older items): incremental fills redo only the last few periods, so without a
    fill from that day the history would wait for the nightly full recompute.
    """
    live = Repository.objects.filter(pk=repository_id, tracked=True, deleted_at__isnull=True)
    if not live.exists():
        return None
    earliest = _earliest_data([repository_id])
    if earliest is None:
        return None
    first_day = timezone.localdate(earliest, timezone=dt.UTC)
    # A filled repository has rows from its first month on: that month starts on or before it.
    stored = MetricRollup.objects.filter(repository_id=repository_id).aggregate(
        at=Min("period_start")
    )["at"]
    return None if stored is not None and stored <= first_day else first_day


def tracked_repositories() -> list[tuple[int, bool]]:
    rows = Repository.objects.filter(tracked=True, deleted_at__isnull=True).order_by("id")
    return list(rows.values_list("id", "private"))


def rollups_fill(
    *,
    full: bool = False,
    since: dt.date | None = None,
    now: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> FillReport:
    """Fill every metric up to the current period (everything again with `full`).

    `progress(done, total)` is called after each window with counts of periods.
    """
    now = now or timezone.now()
    report = FillReport()
    with _fill_lock() as acquired:
        if not acquired:
            report.skipped_busy = True
            return report
        repository_snapshots_take(today=now.date())
        repositories = tracked_repositories()
        if full:
            _drop_untracked(repositories)
        if not repositories:
            return report
        earliest = _earliest_data([pk for pk, _ in repositories]) or now
        context = run_context_load(repositories=repositories)
        plans = [
            _plan(period, earliest=earliest, now=now, full=full, since=since) for period in PERIODS
        ]
        total = sum(len(starts) for _, starts, _ in plans)
        report.plan = {period: len(starts) for period, starts, _ in plans}
        done = 0
        for period, starts, pending in plans:
            for chunk in _chunks(starts, settings.ANALYTICS_FILL_CHUNK[period]):
                _fill_window(context, period, chunk, pending, report)
                done += len(chunk)
                if progress:
                    progress(done, total)
        if full:
            oldest = min(period_start(earliest, period) for period in PERIODS)
            MetricRollup.objects.filter(period_start__lt=oldest.date()).delete()
        report.attention_rows = attention_refresh(context=context, now=now)
    return report


def _plan(period: str, *, earliest, now, full: bool, since) -> tuple[str, list, dict]:
    first, current = period_start(earliest, period), period_start(now, period)
    pending: dict[str, tuple[FillState, pd.Timestamp]] = {}
    for spec in METRICS:
        if period not in spec.periods:
            continue
        state, _ = FillState.objects.get_or_create(metric=spec.name, period=period)
        start = _start_for(
            state, period=period, first=first, current=current, full=full, since=since
        )
        pending[spec.name] = (state, start)
    start = min(start for _, start in pending.values())
    return period, period_starts(start, current, period), pending


def _chunks(starts: list, size: int) -> Iterator[list]:
    for position in range(0, len(starts), size):
        yield starts[position : position + size]


def _fill_window(context: RunContext, period: str, chunk: list, pending: dict, report: FillReport):
    end = period_shift(period=period, start=chunk[-1], count=1)
    window = window_load(context=context, period=period, starts=chunk, end=end)
    results = {
        spec.name: rollup_rows(spec, spec.compute(window), period=period)
        for spec in METRICS
        if spec.name in pending and pending[spec.name][1] <= chunk[-1]
    }
    # A repository privatized or deleted since this fill read its context: the public rows of
    # this window would still count it. They are left out; the public recompute it queued
    # (`rollups_public_recompute`) writes them.
    withdrawn = context.public_ids - public_repository_ids()
    for start in chunk:
        due = [name for name in results if pending[name][1] <= start]
        if not due:
            continue
        rows = [row for name in due for row in results[name].get(start, [])]
        if withdrawn:
            rows = [row for row in rows if row.scope != Scope.PUBLIC]
        period_write([pending[name][0] for name in due], rows, period=period, start=start)
        report.periods_written += len(due)
        report.rows_written += len(rows)


def _drop_untracked(repositories: list[tuple[int, bool]]) -> None:
    tracked = [pk for pk, _ in repositories]
    MetricRollup.objects.filter(repository__isnull=False).exclude(
        repository_id__in=tracked
    ).delete()
    FillState.objects.update(
        filled_through=None, status=FillState.Status.DONE, period_in_progress=None
    )


def public_aggregates_withdraw(*, repository_ids: list[int]) -> int:
    """Take repositories that just left the public scope (privatized, deleted, untracked) out of
    every public aggregate, inside the caller's transaction: the public metric rollups, which
    mixed in their history, are dropped, and the public attention tables are recomposed from
    the repositories still public. Returns the rollup rows dropped; the caller queues
    `rollups_public_recompute` for when its transaction commits."""
    logger.info(
        "repositories %s left the public scope: public aggregates withdrawn", repository_ids
    )
    dropped, _ = MetricRollup.objects.filter(scope=Scope.PUBLIC, repository__isnull=True).delete()
    attention_public_rebuild()
    return dropped


def public_rollups_recompute(*, now: dt.datetime | None = None) -> FillReport:
    """Recompute the public scope's rollups over every period, from the repositories public now.

    The same windows and metric functions as a full fill, read from the public repositories only
    (their per-repository rows are left as stored); periods start at the earliest data of all
    tracked repositories, as a full fill's do.
    """
    now = now or timezone.now()
    report = FillReport()
    with _fill_lock() as acquired:
        if not acquired:
            report.skipped_busy = True
            return report
        repositories = tracked_repositories()
        public = [(pk, False) for pk, private in repositories if not private]
        earliest = _earliest_data([pk for pk, _ in repositories]) or now
        context = run_context_load(repositories=public) if public else None
        for period in PERIODS:
            starts = period_starts(
                period_start(earliest, period), period_start(now, period), period
            )
            for chunk in _chunks(starts, settings.ANALYTICS_FILL_CHUNK[period]):
                _public_window_write(context, period, chunk, report)
        MetricRollup.objects.filter(
            scope=Scope.PUBLIC,
            repository__isnull=True,
            period_start__lt=min(period_start(earliest, p) for p in PERIODS).date(),
        ).delete()
    return report


def _public_window_write(context: RunContext | None, period: str, chunk: list, report) -> None:
    results: dict[str, dict] = {}
    if context is not None:
        window = window_load(
            context=context,
            period=period,
            starts=chunk,
            end=period_shift(period=period, start=chunk[-1], count=1),
        )
        for spec in METRICS:
            if period in spec.periods:
                result = spec.compute(window)
                if "repository_id" in result:
                    result = result[result["repository_id"] == PUBLIC_ID]
                results[spec.name] = rollup_rows(spec, result, period=period)
    for start in chunk:
        rows = [row for by_start in results.values() for row in by_start.get(start, [])]
        with transaction.atomic():
            MetricRollup.objects.filter(
                scope=Scope.PUBLIC, repository__isnull=True, period=period,
                period_start=start.date(),
            ).delete()  # fmt: skip
            MetricRollup.objects.bulk_create(rows, batch_size=1000)
        report.periods_written += 1
        report.rows_written += len(rows)
