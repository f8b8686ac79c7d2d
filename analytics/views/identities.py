"""Staff decide on proposed merges of accounts into one person."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from analytics.models import ContributorIdentity, MergeProposal
from analytics.services.identities import (
    identity_merge_confirm,
    identity_merge_reject,
    identity_proposals_generate,
)


@staff_member_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    proposals = MergeProposal.objects.filter(status=MergeProposal.Status.PROPOSED).select_related(
        "actor_low", "actor_high"
    )
    identities = ContributorIdentity.objects.prefetch_related("actors").order_by("display_name")
    return render(
        request,
        "analytics/identities.html",
        {"proposals": proposals[:200], "identities": identities[:200]},
    )


@staff_member_required
@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(MergeProposal, pk=pk, status=MergeProposal.Status.PROPOSED)
    if request.POST.get("decision") == "confirm":
        identity_merge_confirm(proposal=proposal, user=request.user)
        messages.success(request, f"Merged {proposal.actor_low} and {proposal.actor_high}.")
    else:
        identity_merge_reject(proposal=proposal, user=request.user)
        messages.info(request, f"{proposal.actor_low} and {proposal.actor_high} stay apart.")
    return redirect("analytics:identities")


@staff_member_required
@require_POST
def proposals_generate(request: HttpRequest) -> HttpResponse:
    added = identity_proposals_generate()
    messages.info(request, f"{added} new merge proposal{'s' if added != 1 else ''}.")
    return redirect("analytics:identities")
