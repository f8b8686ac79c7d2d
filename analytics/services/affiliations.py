"""Maintainers correct who works where: their answer overrides the profile and email domains."""

from __future__ import annotations

from analytics.metrics.contributors_board import organisation_normalise
from analytics.models import Affiliation, AffiliationSource
from community.models import Actor


def affiliation_set(*, actor: Actor, organisation: str, user) -> Affiliation:
    """Record a maintainer's answer for `actor` (normalised; "" means no organisation)."""
    affiliation, _ = Affiliation.objects.update_or_create(
        actor=actor,
        source=AffiliationSource.MAINTAINER,
        defaults={"organisation": organisation_normalise(organisation), "set_by": user},
    )
    return affiliation


def affiliation_clear(*, actor: Actor) -> int:
    """Drop the maintainer's answer: the profile and email domains count again."""
    deleted, _ = Affiliation.objects.filter(
        actor=actor, source=AffiliationSource.MAINTAINER
    ).delete()
    return deleted
