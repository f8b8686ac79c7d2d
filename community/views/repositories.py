from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from community import selectors
from community.models import Repository


def visible_repository_or_404(request: HttpRequest, owner: str, name: str) -> Repository:
    repository = selectors.repository_get_visible(user=request.user, owner=owner, name=name)
    if repository is None:
        raise Http404("No such repository")
    return repository


def home(request: HttpRequest) -> HttpResponse:
    repositories = selectors.repository_list_with_counts(user=request.user)
    return render(request, "community/home.html", {"repositories": repositories})


def repository_detail(request: HttpRequest, owner: str, name: str) -> HttpResponse:
    repository = visible_repository_or_404(request, owner, name)
    overview = selectors.repository_overview(repository=repository)
    return render(
        request,
        "community/repository_detail.html",
        {"repository": repository, "overview": overview, "section": "overview"},
    )
