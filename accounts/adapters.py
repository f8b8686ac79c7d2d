from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """ACCOUNT_SIGNUP_ENABLED=false: no new accounts (local or GitHub)."""
        return settings.ACCOUNT_SIGNUP_ENABLED
