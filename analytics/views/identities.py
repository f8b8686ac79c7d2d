"""Admins decide on proposed merges of accounts into one person, a cluster at a time or many.
Proposals span every repository (and show logins seen only in private ones), so they are not
split per maintainer."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.decorators import admin_required
from analytics.selectors.identities import identities_merged, identity_proposal_clusters
from analytics.services.identities import (
    CONFIRM,
    REJECT,
    IdentityMergeRefused,
    identity_clusters_decide,
    identity_proposals_generate,
)


class ClusterKeysField(forms.Field):
    """Checked clusters, each posted as the comma-separated ids of the pairs it showed."""

    widget = forms.MultipleHiddenInput  # read with getlist: one value per checked box

    def to_python(self, value) -> list[list[int]]:
        try:
            return [[int(pk) for pk in key.split(",")] for key in value or []]
        except ValueError as error:
            raise ValidationError("Choose proposals from the list.") from error


class ClusterDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[(CONFIRM, "Same person"), (REJECT, "Different people")])
    cluster = ClusterKeysField()


@admin_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    context = {"clusters": identity_proposal_clusters(), "identities": identities_merged()}
    return render(request, "analytics/identities.html", context)


@require_POST
@admin_required
def proposals_decide(request: HttpRequest) -> HttpResponse:
    form = ClusterDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tick at least one proposal, then choose a decision.")
        return redirect("analytics:identities")
    decision = form.cleaned_data["decision"]
    try:
        decided = identity_clusters_decide(
            clusters=form.cleaned_data["cluster"], decision=decision, user=request.user
        )
    except IdentityMergeRefused as refused:
        messages.error(request, f"Nothing merged: {refused}.")
        return redirect("analytics:identities")
    people = f"{decided} proposal{'s' if decided != 1 else ''}"
    if decision == CONFIRM:
        messages.success(request, f"Merged {people}: each is one person now.")
    else:
        messages.info(request, f"Rejected {people}: these accounts stay apart.")
    return redirect("analytics:identities")


@require_POST
@admin_required
def proposals_generate(request: HttpRequest) -> HttpResponse:
    counts = identity_proposals_generate()
    text = f"{counts.clusters} proposal{'s' if counts.clusters != 1 else ''} waiting"
    text += f" ({counts.new_clusters} new"
    text += f", {counts.withdrawn} withdrawn: their evidence is gone)" if counts.withdrawn else ")"
    messages.info(request, f"{text}.")
    return redirect("analytics:identities")
