"""Contributors: the most active first, and one page per person."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from community import selectors
from community.views.pagination import paginate


def contributor_list(request: HttpRequest) -> HttpResponse:
    bots = request.GET.get("bots", "include")
    if bots not in selectors.BOT_FILTERS:
        bots = "include"
    page = paginate(request, selectors.contributor_list(user=request.user, bots=bots))
    return render(request, "community/contributor_list.html", {"page": page, "bots": bots})


def contributor_detail(request: HttpRequest, login: str) -> HttpResponse:
    profile = selectors.contributor_profile(user=request.user, login=login)
    if profile is None:
        raise Http404("No such contributor")
    return render(request, "community/contributor_detail.html", {"profile": profile})
