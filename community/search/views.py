"""/search/: the results page of the site header's search box."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from community.search.forms import SearchForm
from community.search.people import PEOPLE_LIMIT, people_search
from community.search.service import SearchResults, search_everything
from community.selectors.visibility import repositories_visible_to
from community.templatetags.steward import item_url
from community.views.pagination import paginate

PEOPLE_ONLY_LIMIT = 50


def search_page(request: HttpRequest) -> HttpResponse:
    repositories = list(
        repositories_visible_to(user=request.user)
        .order_by("full_name")
        .values_list("full_name", flat=True)
    )
    form = SearchForm(request.GET, repositories=repositories)
    text, filters = form.text(), form.filters()
    if form.people_only:
        results = SearchResults(text=text)
    else:
        results = search_everything(user=request.user, text=text, filters=filters)
        if results.jump_to is not None:
            return redirect(item_url(results.jump_to))
    first_page = request.GET.get("page", "1") == "1"
    unfiltered = not (filters.kind or filters.state or filters.repository)
    show_people = bool(text) and results.number is None
    show_people = show_people and (form.people_only or (first_page and unfiltered))
    limit = PEOPLE_ONLY_LIMIT if form.people_only else PEOPLE_LIMIT
    people = people_search(user=request.user, text=text, limit=limit) if show_people else []
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "text": text,
            "filters": filters,
            "results": results,
            "people": people,
            "people_only": form.people_only,
            "page": paginate(request, results.ranked),
        },
    )
