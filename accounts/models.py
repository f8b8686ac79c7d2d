"""Who a signed-in user is on GitHub, the repositories they maintain, and their API tokens.

Roles: anonymous (public data), contributor (any signed-in user), maintainer of the repositories
a `RepositoryRole` names (granted by an administrator, or mapped from the user's GitHub
permissions when they sign in with GitHub), and admin (staff: everything). `accounts.permissions`
is the one place that reads these rows to decide.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RepositoryRole(models.Model):
    class Role(models.TextChoices):
        MAINTAINER = "maintainer", "Maintainer"

    class Source(models.TextChoices):
        ADMIN = "admin", "Granted by an administrator"
        GITHUB = "github", "GitHub permission (admin, maintain or push)"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="repository_roles"
    )
    repository = models.ForeignKey(
        "community.Repository", on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MAINTAINER)
    # GitHub-sourced roles are replaced at each GitHub sign-in; an administrator's stay.
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ADMIN)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "repository", "role"], name="accounts_role_once_per_repository"
            )
        ]
        ordering = ["user_id", "repository__full_name"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} of {self.repository_id}"


class Profile(models.Model):
    """The GitHub login a user goes by, for the contributor pages. A GitHub sign-in sets it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="steward_profile"
    )
    github_login = models.CharField(
        max_length=39,
        blank=True,
        help_text="Your GitHub username: Steward lists your pull requests waiting for review.",
    )

    def __str__(self) -> str:
        return f"{self.user} ({self.github_login or 'no GitHub login'})"


class ApiToken(models.Model):
    """A personal API key. Only a SHA-256 of the key is stored: the key is shown once, when it
    is created, and a database leak yields no usable key. The prefix tells keys apart."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
