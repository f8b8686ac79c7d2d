"""Accept or reject a suggestion, and mark an issue triaged. Plain forms that redirect back;
the queue's script posts the same forms asking for JSON and updates the card in place."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.permissions import may_maintain
from models_hub import selectors
from models_hub.forms import DecisionForm
from models_hub.triage.feedback import (
    OutdatedTriageResult,
    result_mark_reviewed,
    suggestion_decide,
)
from models_hub.views.access import maintainer_required

SUGGESTION_TEMPLATE = "models_hub/triage/_suggestion.html"
ROW_TEMPLATE = "models_hub/triage/_row_label.html"


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else reverse("triage:index")


def _answer(request: HttpRequest, message: str, *, status: int = 200, **data) -> HttpResponse:
    """JSON for the page's script; otherwise a message and a redirect back to the page."""
    if _wants_json(request):
        key = "message" if status < 400 else "error"
        return JsonResponse({key: message, **data}, status=status)
    (messages.success if status < 400 else messages.error)(request, message)
    return redirect(_back(request))


@require_POST
@maintainer_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = selectors.triage_suggestion_get(user=request.user, pk=pk)
    if suggestion is None:
        raise Http404("No such suggestion")
    if not may_maintain(request.user, suggestion.result.repository):
        raise PermissionDenied("Only this repository's maintainers decide its suggestions.")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _answer(request, "Choose to accept or to reject the suggestion.", status=400)
    try:
        suggestion_decide(
            suggestion=suggestion, decision=form.cleaned_data["decision"], user=request.user
        )
    except OutdatedTriageResult as error:
        return _answer(request, str(error), status=409)
    # Read again: write-back may already have run (eager Celery) and recorded its outcome.
    suggestion = selectors.triage_suggestion_get(user=request.user, pk=pk)
    view = selectors.suggestion_view(suggestion, repository=suggestion.result.repository)
    message = f"{view.feedback.get_decision_display()}: {view.describe}."
    if not _wants_json(request):
        return _answer(request, message)
    # The queue's row decides its label with a compact control; elsewhere the full suggestion.
    template = ROW_TEMPLATE if request.POST.get("view") == "row" else SUGGESTION_TEMPLATE
    html = render_to_string(
        template, {"view": view, "editable": True, "next": _back(request)}, request=request
    )
    return _answer(request, message, decision=view.feedback.decision, html=html)


@require_POST
@maintainer_required
def mark_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    result = selectors.triage_result_get(user=request.user, pk=pk)
    if result is None:
        raise Http404("No such triage result")
    if not may_maintain(request.user, result.repository):
        raise PermissionDenied("Only this repository's maintainers mark its issues triaged.")
    try:
        result_mark_reviewed(result=result, user=request.user)
    except OutdatedTriageResult as error:
        return _answer(request, str(error), status=409)
    return _answer(request, f"Issue #{result.issue.number} is triaged.", reviewed=True)
