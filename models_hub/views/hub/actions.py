"""Maintainers' actions on a model (staff, POST with CSRF): edit a card's prose section, promote
a version through the champion gate, move or remove a free alias. Each validates its form, calls
one service and redirects back with a message saying what happened or why it did not."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from models_hub.cards import CardSectionError, card_section_edit
from models_hub.forms_hub import AliasForm, CardSectionForm, PromoteForm
from models_hub.registry.aliases import AliasError, alias_move, alias_remove
from models_hub.registry.promotion import PromotionRefused, version_promote
from models_hub.selectors import hub as selectors
from models_hub.views.access import maintainer_required
from models_hub.views.hub.lookup import maintained_model_or_404, version_or_404


def model_url(name: str) -> str:
    return reverse("models_hub:model_detail", args=[name])


def _form_errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


@require_POST
@maintainer_required
def card_edit(request: HttpRequest, name: str) -> HttpResponse:
    model = maintained_model_or_404(request, name)
    form = CardSectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"The card was not changed: {_form_errors(form)}")
        return redirect("models_hub:model_detail", name=model.name)
    try:
        card_section_edit(
            model=model,
            section_id=form.cleaned_data["section_id"],
            text=form.cleaned_data["text"],
            actor=request.user,
        )
    except CardSectionError as error:
        messages.error(request, f"The card was not changed: {error}")
    else:
        messages.success(request, "The card section is saved.")
    return redirect(f"{model_url(model.name)}#card")


@require_POST
@maintainer_required
def promote(request: HttpRequest, name: str, number: int) -> HttpResponse:
    maintained_model_or_404(request, name)
    version = version_or_404(request, name, number)
    form = PromoteForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        event = version_promote(version=version, actor=request.user, reason=reason)
    except PromotionRefused as error:
        messages.error(request, str(error))
    else:
        if event is None:
            messages.info(request, f"v{version.version} already is the champion.")
        elif event.forced:
            messages.warning(
                request, f"v{version.version} is the champion, promoted anyway: {event.reason}"
            )
        else:
            messages.success(request, f"v{version.version} is the champion: {event.reason}")
    return redirect("models_hub:version_detail", name=name, number=number)


@require_POST
@maintainer_required
def alias_edit(request: HttpRequest, name: str) -> HttpResponse:
    """Point a free alias at a version, or remove it when no version is given."""
    model = maintained_model_or_404(request, name)
    form = AliasForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"The alias was not changed: {_form_errors(form)}")
        return redirect(f"{model_url(model.name)}#aliases")
    alias, number = form.cleaned_data["alias"], form.cleaned_data["version"]
    reason = form.cleaned_data["reason"]
    try:
        if number is None:
            event = alias_remove(model=model, alias=alias, actor=request.user, reason=reason)
            done = f"Removed {alias}." if event else f"There is no alias {alias}."
        else:
            version = selectors.model_version_get(model=model, number=number)
            if version is None:
                messages.error(request, f"{model.name} has no version {number}.")
                return redirect(f"{model_url(model.name)}#aliases")
            event = alias_move(version=version, alias=alias, actor=request.user, reason=reason)
            done = f"{alias} → v{number}." if event else f"{alias} already is v{number}."
    except AliasError as error:
        messages.error(request, f"The alias was not changed: {error}")
    else:
        messages.success(request, done)
    return redirect(f"{model_url(model.name)}#aliases")
