"""View guards built on `accounts.permissions`. Anonymous visitors are sent to sign in; a
signed-in user without the role gets a 403 (not the sign-in form again). Whether the user may act
on the one repository a request names is checked in the view, with `may_maintain`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts import permissions


def _guard(allowed: Callable[[object], bool], refusal: str):
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not permissions.is_signed_in(request.user):
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return guarded

    return decorator


# Pages for maintainers of at least one repository (and admins).
maintainer_required = _guard(permissions.maintains_any, "This page is for maintainers.")
# Pages about the whole installation (webhook deliveries, tracking a new repository).
admin_required = _guard(permissions.is_admin, "This page is for administrators.")
