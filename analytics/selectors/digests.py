"""Stored digests for pages and the API. The caller has checked the user may see the repository
(`community.selectors.repository_get_visible`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from analytics.models import Digest
from community.models import Repository


def digest_list(*, repository: Repository, period: str) -> QuerySet[Digest]:
    """The repository's digests of one period kind, newest first (content deferred)."""
    return (
        Digest.objects.filter(repository=repository, period=period)
        .defer("content")
        .order_by("-start")
    )


def digest_get(*, repository: Repository, period: str, start: dt.date) -> Digest | None:
    return Digest.objects.filter(repository=repository, period=period, start=start).first()


def digest_neighbours(*, digest: Digest) -> tuple[Digest | None, Digest | None]:
    """The stored digests just before and just after this one (same repository and period)."""
    same = digest_list(repository=digest.repository, period=digest.period)
    older = same.filter(start__lt=digest.start).first()
    newer = same.filter(start__gt=digest.start).order_by("start").first()
    return older, newer
