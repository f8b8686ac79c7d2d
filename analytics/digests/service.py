"""Generate and store digests: one per repository, period kind and period start.

A digest is regenerated on every run while its period is under way, and once more after the
period has ended, which makes it final (`is_final`): final digests are left alone unless forced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
from django.db import transaction
from django.utils import timezone

from analytics.digests.activity import (
    item_url,
    merged_pull_requests,
    newcomers_find,
    releases_published,
)
from analytics.digests.attention import attention_at
from analytics.digests.numbers import numbers_compute
from analytics.digests.themes import ThemeItem, themes_find
from analytics.models import Digest
from analytics.models.rollups import Period
from analytics.periods import at_midnight, period_bounds, period_shift
from analytics.services.windows import RunContext, run_context_load
from community.models import Issue, PullRequest, Repository
from models_hub.embeddings.config import embedding_model_id
from models_hub.models import Embedding

CONTENT_VERSION = 1
THEME_SEED = 0


def _context(repository: Repository) -> RunContext:
    return run_context_load(repositories=[(repository.pk, repository.private)])


def digest_generate(
    *,
    repository: Repository,
    period: str,
    start: dt.date,
    now: dt.datetime | None = None,
    force: bool = False,
) -> Digest:
    """Compute and store the digest of the period starting `start` (idempotent upsert).

    Final when the period had ended at generation time; a final digest is returned unchanged
    unless `force`. Raises ValueError for a date that does not start a period, or a period that
    has not begun.
    """
    return _generate(
        _context(repository), repository, period, start, now or timezone.now(), force=force
    )


def digests_refresh(
    *,
    repository: Repository,
    now: dt.datetime | None = None,
    force: bool = False,
    periods: Iterable[str] = tuple(Period.values),
) -> list[Digest]:
    """The current week and month (refreshed) and the ones just ended (made final)."""
    return digests_backfill(
        repository=repository,
        weeks=2 if Period.WEEK in periods else 0,
        months=2 if Period.MONTH in periods else 0,
        now=now,
        force=force,
    )


def digests_backfill(
    *,
    repository: Repository,
    weeks: int,
    months: int,
    until: dt.date | None = None,
    now: dt.datetime | None = None,
    force: bool = False,
) -> list[Digest]:
    """The last `weeks` weeks and `months` months up to the ones containing `until` (today),
    oldest first; one read of the repository's history serves them all."""
    now = now or timezone.now()
    last_day = min(until or now.date(), now.date())
    context = _context(repository)
    digests = []
    for period, count in ((Period.WEEK, weeks), (Period.MONTH, months)):
        current, _ = period_bounds(period=period, day=last_day)
        starts = [period_shift(period=period, start=current, count=-back) for back in range(count)]
        final = Digest.objects.filter(
            repository=repository, period=period, start__in=starts, is_final=True
        ).values_list("start", flat=True)
        todo = sorted(set(starts) - (set() if force else set(final)))
        numbers = (
            numbers_compute(
                context=context, repository_id=repository.pk, period=period, starts=todo
            )
            if todo
            else {}
        )
        for start in sorted(starts):
            digests.append(
                _generate(
                    context, repository, period, start, now, force=force, numbers=numbers.get(start)
                )
            )
    return digests


def _generate(
    context: RunContext,
    repository: Repository,
    period: str,
    start: dt.date,
    now: dt.datetime,
    *,
    force: bool,
    numbers: list[dict] | None = None,
) -> Digest:
    first, end = period_bounds(period=period, day=start)
    if first != start:
        raise ValueError(f"{start} does not start a {period}")
    if at_midnight(start) > now:
        raise ValueError(f"the {period} of {start} has not begun")
    stored = Digest.objects.filter(repository=repository, period=period, start=start).first()
    if stored is not None and stored.is_final and not force:
        return stored
    content = digest_content_build(
        context=context,
        repository=repository,
        period=period,
        start=start,
        now=now,
        numbers=numbers,
    )
    row = Digest(
        repository=repository,
        period=period,
        start=start,
        end=end,
        content=content,
        is_final=now >= at_midnight(end),
        generated_at=now,
    )
    with transaction.atomic():
        Digest.objects.bulk_create(
            [row],
            update_conflicts=True,
            unique_fields=["repository", "period", "start"],
            update_fields=["end", "content", "is_final", "generated_at"],
        )
    return Digest.objects.get(repository=repository, period=period, start=start)


def digest_content_build(
    *,
    context: RunContext,
    repository: Repository,
    period: str,
    start: dt.date,
    now: dt.datetime,
    numbers: list[dict] | None = None,
) -> dict:
    """Every section of one digest, as JSON-ready data (`numbers` when already computed)."""
    _, end = period_bounds(period=period, day=start)
    start_at, end_at = at_midnight(start), at_midnight(end)
    people = context.people
    return {
        "version": CONTENT_VERSION,
        "repository": repository.full_name,
        "period": period,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "previous_start": period_shift(period=period, start=start, count=-1).isoformat(),
        "numbers": numbers
        if numbers is not None
        else numbers_compute(
            context=context, repository_id=repository.pk, period=period, starts=[start]
        )[start],
        "merged_pull_requests": merged_pull_requests(
            repository=repository, people=people, start=start_at, end=end_at
        ),
        "releases": releases_published(repository=repository, start=start_at, end=end_at),
        "newcomers": newcomers_find(
            repository=repository,
            history=context.history,
            people=people,
            start=start_at,
            end=end_at,
        ),
        "attention": attention_at(
            repository=repository,
            people=people,
            history=context.history,
            as_of=min(now, end_at),
        ),
        "themes": themes_section(
            repository=repository, context=context, start=start_at, end=end_at
        ),
    }


def _opened(repository: Repository, context: RunContext, start, end) -> list[tuple]:
    """(kind, id, number, title) of the human-opened issues and PRs of [start, end)."""
    found = []
    for kind, model in (("issue", Issue), ("pr", PullRequest)):
        rows = model.objects.filter(
            repository=repository,
            created_at__gte=start,
            created_at__lt=end,
            deleted_at__isnull=True,
        ).order_by("number")
        for pk, number, title, author_id in rows.values_list("id", "number", "title", "author_id"):
            if not context.people.is_bot.get(author_id, False):
                found.append((kind, pk, number, title))
    return found


def _vectors(items: Iterable[tuple], model_id: str) -> dict[tuple[str, int], np.ndarray]:
    ids = {kind: [pk for k, pk, *_ in items if k == kind] for kind in ("issue", "pr")}
    stored = {}
    for kind, field in (("issue", "issue_id"), ("pr", "pull_request_id")):
        rows = Embedding.objects.filter(model_id=model_id, **{f"{field}__in": ids[kind]})
        for pk, vector in rows.values_list(field, "vector"):
            stored[(kind, pk)] = Embedding.decode(vector)
    return stored


def themes_section(
    *, repository: Repository, context: RunContext, start: dt.datetime, end: dt.datetime
) -> dict:
    """Themes of the period's human-opened issues and PRs that have a stored vector; how many
    were left out for lack of one."""
    model_id = embedding_model_id()
    items = _opened(repository, context, start, end)
    stored = _vectors(items, model_id)
    embedded = [item for item in items if (item[0], item[1]) in stored]
    section = {
        "model_id": model_id,
        "items": len(items),
        "embedded": len(embedded),
        "left_out": len(items) - len(embedded),
    }
    vectors = np.array([stored[(kind, pk)] for kind, pk, *_ in embedded])
    found = themes_find(
        [
            ThemeItem(kind=kind, number=number, title=title, url=item_url(repository, kind, number))
            for kind, _, number, title in embedded
        ],
        vectors,
        seed=THEME_SEED,
    )
    return {**section, **found}
