"""Triage and model-hub actions are for maintainers: the rule is `accounts.permissions`; each
view also checks that the user maintains the repository it acts on (`may_maintain`)."""

from __future__ import annotations

from accounts.decorators import maintainer_required

__all__ = ["maintainer_required"]
