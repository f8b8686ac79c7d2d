"""Issue and pull request lists and pages of one repository."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from community import selectors
from community.forms import ItemFilterForm
from community.views.pagination import paginate
from community.views.repositories import visible_repository_or_404


def _section(*, pull_requests: bool) -> dict[str, str]:
    """Which repository tab is current, and which list label links point to."""
    if pull_requests:
        return {"section": "pulls", "list_view": "pull_request_list"}
    return {"section": "issues", "list_view": "issue_list"}


def _item_list(request: HttpRequest, owner: str, name: str, *, pull_requests: bool):
    repository = visible_repository_or_404(request, owner, name)
    label_names = list(repository.labels.order_by("name").values_list("name", flat=True))
    form = ItemFilterForm(request.GET, label_names=label_names, pull_requests=pull_requests)
    filters = form.filters()
    list_items = selectors.pull_request_list if pull_requests else selectors.issue_list
    page = paginate(request, list_items(repository=repository, filters=filters))
    return render(
        request,
        "community/item_list.html",
        {
            "repository": repository,
            "form": form,
            "filters": filters,
            "page": page,
            **_section(pull_requests=pull_requests),
        },
    )


def issue_list(request: HttpRequest, owner: str, name: str) -> HttpResponse:
    return _item_list(request, owner, name, pull_requests=False)


def pull_request_list(request: HttpRequest, owner: str, name: str) -> HttpResponse:
    return _item_list(request, owner, name, pull_requests=True)


def _item_detail(request: HttpRequest, owner: str, name: str, number: int, *, pull_requests: bool):
    repository = visible_repository_or_404(request, owner, name)
    get_item = selectors.pull_request_get if pull_requests else selectors.issue_get
    item = get_item(repository=repository, number=number)
    if item is None:
        return _other_kind_or_404(repository, owner, name, number, pull_requests=pull_requests)
    if pull_requests:
        conversation = selectors.pull_request_conversation(pull_request=item)
    else:
        conversation = selectors.issue_conversation(issue=item)
    context = {
        "repository": repository,
        "item": item,
        "is_pull_request": pull_requests,
        "conversation": conversation,
        **_section(pull_requests=pull_requests),
    }
    return render(request, "community/item_detail.html", context)


def _other_kind_or_404(repository, owner: str, name: str, number: int, *, pull_requests: bool):
    """Issues and pull requests share their numbers: like GitHub, /issues/N/ of a pull request
    redirects to /pull/N/, and /pull/N/ of an issue to /issues/N/."""
    if pull_requests:
        other_exists = selectors.issue_exists(repository=repository, number=number)
        other_view = "community:issue_detail"
    else:
        other_exists = selectors.pull_request_exists(repository=repository, number=number)
        other_view = "community:pull_request_detail"
    if not other_exists:
        raise Http404("No such pull request" if pull_requests else "No such issue")
    return redirect(other_view, owner=owner, name=name, number=number)


def issue_detail(request: HttpRequest, owner: str, name: str, number: int) -> HttpResponse:
    return _item_detail(request, owner, name, number, pull_requests=False)


def pull_request_detail(request: HttpRequest, owner: str, name: str, number: int) -> HttpResponse:
    return _item_detail(request, owner, name, number, pull_requests=True)
