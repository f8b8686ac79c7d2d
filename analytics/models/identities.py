"""One person behind several GitHub accounts/emails: proposed merges a maintainer decides on."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ContributorIdentity(models.Model):
    """A person. Every actor belongs to at most one; an actor without one is its own person."""

    display_name = models.CharField(max_length=255, blank=True)
    primary_actor = models.ForeignKey("community.Actor", on_delete=models.CASCADE, related_name="+")
    actors = models.ManyToManyField(
        "community.Actor", through="IdentityMembership", related_name="identities"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "contributor identities"

    def __str__(self) -> str:
        return self.display_name or str(self.primary_actor_id)


class IdentityMembership(models.Model):
    identity = models.ForeignKey(ContributorIdentity, on_delete=models.CASCADE)
    actor = models.OneToOneField(
        "community.Actor", on_delete=models.CASCADE, related_name="identity_membership"
    )

    def __str__(self) -> str:
        return f"{self.actor_id} in {self.identity_id}"


class ActorEmail(models.Model):
    """An email an account is known to use (commit metadata, maintainer input)."""

    actor = models.ForeignKey("community.Actor", on_delete=models.CASCADE, related_name="emails")
    email = models.EmailField(max_length=320)
    source = models.CharField(max_length=30, default="commit")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor", "email"], name="actor_email_unique")
        ]
        indexes = [models.Index(fields=["email"], name="actor_email_email")]

    def __str__(self) -> str:
        return self.email


class MergeProposal(models.Model):
    """ "These two accounts are one person", proposed with its evidence, decided by a maintainer.

    The pair is stored ordered (`actor_low` < `actor_high`), so a rejected pair is never proposed
    again.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed"
        CONFIRMED = "confirmed"
        REJECTED = "rejected"

    actor_low = models.ForeignKey("community.Actor", on_delete=models.CASCADE, related_name="+")
    actor_high = models.ForeignKey("community.Actor", on_delete=models.CASCADE, related_name="+")
    reasons = models.JSONField(default=list)
    score = models.FloatField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["actor_low", "actor_high"], name="merge_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(actor_low__lt=models.F("actor_high")), name="merge_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor_low_id} = {self.actor_high_id}? ({self.status})"
