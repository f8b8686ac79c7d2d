"""Maintainers decide on proposed merges of accounts into one person, a cluster at a time or
many. Admins see every proposal; a maintainer sees and decides only those all of whose accounts
(and the accounts already merged with them) are active in repositories they maintain, so no
login seen only elsewhere reaches them (accounts.permissions.accounts_seen_by_maintainer)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.decorators import maintainer_required
from accounts.permissions import accounts_seen_by_maintainer
from analytics.models import IdentityMembership, MergeProposal
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


def _cluster_accounts(cluster) -> set[int]:
    return {a.actor.pk for a in cluster.accounts} | {
        other.pk for a in cluster.accounts for other in a.merged_with
    }


def _judgeable(clusters: list[list[int]], seen: set[int]) -> bool:
    """Whether every posted cluster's accounts, and the accounts already one person with them,
    are among `seen`."""
    pairs = MergeProposal.objects.filter(pk__in=[pk for cluster in clusters for pk in cluster])
    actors = {
        i for low, high in pairs.values_list("actor_low_id", "actor_high_id") for i in (low, high)
    }
    identities = IdentityMembership.objects.filter(actor_id__in=actors).values("identity_id")
    members = IdentityMembership.objects.filter(identity_id__in=identities)
    return actors | set(members.values_list("actor_id", flat=True)) <= seen


@maintainer_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    clusters, identities = identity_proposal_clusters(), identities_merged()
    seen = accounts_seen_by_maintainer(request.user)
    if seen is not None:
        clusters = [c for c in clusters if _cluster_accounts(c) <= seen]
        identities = [i for i in identities if {a.pk for a in i.actors.all()} <= seen]
    context = {"clusters": clusters, "identities": identities}
    return render(request, "analytics/identities.html", context)


@require_POST
@maintainer_required
def proposals_decide(request: HttpRequest) -> HttpResponse:
    form = ClusterDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tick at least one proposal, then choose a decision.")
        return redirect("analytics:identities")
    seen = accounts_seen_by_maintainer(request.user)
    if seen is not None and not _judgeable(form.cleaned_data["cluster"], seen):
        raise PermissionDenied("Those accounts are not all active in repositories you maintain.")
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
@maintainer_required
def proposals_generate(request: HttpRequest) -> HttpResponse:
    counts = identity_proposals_generate()
    text = f"{counts.clusters} proposal{'s' if counts.clusters != 1 else ''} waiting"
    text += f" ({counts.new_clusters} new"
    text += f", {counts.withdrawn} withdrawn: their evidence is gone)" if counts.withdrawn else ")"
    messages.info(request, f"{text}.")
    return redirect("analytics:identities")
