"""Reads for the contributor pages and the token page."""

from __future__ import annotations

from allauth.socialaccount.models import SocialAccount
from django.db.models import Q, QuerySet

from accounts.models import ApiToken, Profile
from community.models import Issue, IssueState, PullRequest
from community.selectors.visibility import issues_visible_to, pull_requests_visible_to

# Labels that invite a newcomer, compared without case.
GOOD_FIRST_LABELS = (
    "good first issue",
    "good-first-issue",
    "good first bug",
    "first-timers-only",
    "beginner",
    "easy",
    "help wanted",
    "help-wanted",
    "up-for-grabs",
)


def github_login_of(*, user) -> str:
    """The GitHub login linked to the user: their GitHub sign-in, else the one they set."""
    account = SocialAccount.objects.filter(user=user, provider="github").first()
    if account is not None and account.extra_data.get("login"):
        return str(account.extra_data["login"])
    profile = Profile.objects.filter(user=user).first()
    return profile.github_login if profile else ""


def pull_requests_awaiting_review(*, user, github_login: str) -> QuerySet[PullRequest]:
    """Open, ready (not draft) pull requests the login authored, in repositories the user may
    see, longest waiting first."""
    if not github_login:
        return PullRequest.objects.none()
    return (
        pull_requests_visible_to(user=user)
        .filter(author__login__iexact=github_login, state=IssueState.OPEN, draft=False)
        .select_related("repository", "author")
        .prefetch_related("labels", "requested_reviewers")
        .order_by("created_at", "pk")
    )


def good_first_issues(*, user) -> QuerySet[Issue]:
    """Open issues labelled for newcomers in the repositories the user may see, newest first."""
    labelled = Q()
    for name in GOOD_FIRST_LABELS:
        labelled |= Q(labels__name__iexact=name)
    inviting = Issue.objects.filter(labelled).values("pk")
    return (
        issues_visible_to(user=user)
        .filter(state=IssueState.OPEN, pk__in=inviting)
        .select_related("repository", "author")
        .prefetch_related("labels")
        .order_by("-created_at", "-pk")
    )


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)
