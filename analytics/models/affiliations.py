"""Which organisation a contributor works for: the evidence behind organisational diversity."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AffiliationSource(models.TextChoices):
    # Highest precedence first: a maintainer's correction overrides what GitHub or email say.
    MAINTAINER = "maintainer", "Set by a maintainer"
    PROFILE = "profile", "GitHub profile company"
    EMAIL = "email", "Email domain"


class Affiliation(models.Model):
    """One account's organisation according to one source (at most one row per source).

    `organisation` is the normalised key (`analytics.metrics.contributors_board.
    organisation_normalise`): "@Acme", "Acme Inc." and "acme" are all `acme`. Email domains are
    derived on the fly from the emails Steward knows and profile companies are read from the
    accounts (`community.Actor.company`, kept by the sync), so rows here are maintainers'
    corrections. An empty organisation set by a maintainer means "independent / none", which
    hides whatever the other sources say.
    """

    actor = models.ForeignKey(
        "community.Actor", on_delete=models.CASCADE, related_name="affiliations"
    )
    organisation = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=12, choices=AffiliationSource.choices)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["actor_id", "source"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "source"], name="affiliation_actor_source")
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} → {self.organisation or '(none)'} ({self.source})"
