"""The signed-in user's own pages: account (GitHub login, roles), API tokens, and the
contributor pages (my pull requests waiting for review, good first issues)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import selectors, services
from accounts.forms import ApiTokenForm, ProfileForm
from accounts.permissions import is_admin, repositories_maintained_by
from community.views.pagination import paginate


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    profile = services.profile_get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your GitHub login is saved.")
        return redirect("accounts:home")
    context = {
        "form": form,
        "github_login": selectors.github_login_of(user=request.user),
        "is_admin": is_admin(request.user),
        "maintained": repositories_maintained_by(request.user).order_by("full_name"),
    }
    return render(request, "accounts/home.html", context)


@never_cache
@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new = None
    if request.method == "POST" and form.is_valid():
        # The key is in this one response and nowhere else: only its hash is stored.
        new = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    context = {"form": form, "new": new, "tokens": selectors.api_tokens_of(user=request.user)}
    return render(request, "accounts/tokens.html", context)


@require_POST
@login_required
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if not services.api_token_revoke(user=request.user, token_id=pk):
        raise Http404("No such active token")
    messages.success(request, "Token revoked: it no longer opens the API.")
    return redirect("accounts:tokens")


@require_GET
@login_required
def my_pull_requests(request: HttpRequest) -> HttpResponse:
    login = selectors.github_login_of(user=request.user)
    pulls = selectors.pull_requests_awaiting_review(user=request.user, github_login=login)
    context = {"github_login": login, "page": paginate(request, pulls)}
    return render(request, "accounts/pull_requests.html", context)


@require_GET
@login_required
def good_first_issues(request: HttpRequest) -> HttpResponse:
    issues = selectors.good_first_issues(user=request.user)
    return render(request, "accounts/good_first_issues.html", {"page": paginate(request, issues)})
