from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.http import Http404


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """ACCOUNT_SIGNUP_ENABLED=false: no new accounts (local or GitHub)."""
        return settings.ACCOUNT_SIGNUP_ENABLED


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_provider(self, request, provider, client_id=None):
        """An unconfigured provider's pages (GitHub without GITHUB_OAUTH_CLIENT_ID) are a 404,
        not a server error."""
        try:
            return super().get_provider(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist as error:
            raise Http404(f"Sign-in with {provider} is not configured") from error
