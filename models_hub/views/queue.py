"""The triage queue and one issue's triage (current suggestions, evidence, earlier runs)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.permissions import may_maintain, repositories_maintained_by
from community.views.pagination import paginate
from models_hub import selectors
from models_hub.forms import QueueFilterForm
from models_hub.views.access import maintainer_required

QUEUE_PAGE_SIZE = 20
# Suggestions of each kind a queue card shows; the issue's triage page shows every one.
QUEUE_SUGGESTIONS_PER_KIND = 3


@require_GET
@maintainer_required
def queue_page(request: HttpRequest) -> HttpResponse:
    # A maintainer triages the repositories they maintain (an admin: all of them).
    maintained = repositories_maintained_by(request.user)
    repositories = selectors.triage_queue_repositories(user=request.user).filter(
        pk__in=maintained.values("pk")
    )
    form = QueueFilterForm(
        request.GET, repository_names=list(repositories.values_list("full_name", flat=True))
    )
    filters = form.filters()
    page = paginate(
        request,
        selectors.triage_queue(user=request.user, filters=filters).filter(
            repository__in=maintained.values("pk")
        ),
        per_page=QUEUE_PAGE_SIZE,
    )
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "cards": selectors.triage_cards(page.object_list, per_kind=QUEUE_SUGGESTIONS_PER_KIND),
        "next": request.get_full_path(),
    }
    return render(request, "models_hub/triage/queue.html", context)


@require_GET
@maintainer_required
def issue_page(request: HttpRequest, owner: str, name: str, number: int) -> HttpResponse:
    issue = selectors.triage_issue_get(user=request.user, owner=owner, name=name, number=number)
    if issue is None:
        raise Http404("No such issue")
    if not may_maintain(request.user, issue.repository):
        raise PermissionDenied("Only this repository's maintainers triage its issues.")
    cards = selectors.triage_cards(selectors.triage_results_of_issue(issue=issue))
    current = cards[0] if cards and cards[0].result.is_current else None
    context = {
        "issue": issue,
        "repository": issue.repository,
        "current": current,
        "history": cards[1:] if current else cards,
        "settings_url": reverse("triage:settings", args=issue.repository.full_name.split("/", 1)),
        "next": request.get_full_path(),
    }
    return render(request, "models_hub/triage/issue.html", context)
