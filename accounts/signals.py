"""On a GitHub sign-in: remember the user's GitHub login and map their repository permissions
to maintainer roles. GitHub being unreachable never blocks a sign-in; roles stay as they were."""

from __future__ import annotations

import logging

from allauth.account.signals import user_logged_in
from django.dispatch import receiver
from github import GithubException
from requests import RequestException

from accounts.github_roles import github_client_for_token, github_roles_sync
from accounts.services import profile_set_github_login

logger = logging.getLogger(__name__)


@receiver(user_logged_in)
def github_sign_in(sender, request, user, sociallogin=None, **kwargs) -> None:
    if sociallogin is None or sociallogin.account.provider != "github":
        return
    login = str(sociallogin.account.extra_data.get("login") or "")
    if login:
        profile_set_github_login(user=user, github_login=login)
    token = getattr(sociallogin.token, "token", "") if sociallogin.token else ""
    if not token:
        return
    try:
        github_roles_sync(user=user, client=github_client_for_token(token))
    except (GithubException, RequestException) as error:
        logger.warning("GitHub roles of %s not refreshed: %s", user, error)
