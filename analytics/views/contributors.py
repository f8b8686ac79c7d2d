"""The contributor leaderboard with organisational diversity, and the maintainers' affiliation
corrections."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.decorators import admin_required
from analytics.metrics.contributors_board import organisation_normalise
from analytics.selectors.board_charts import diversity_chart
from analytics.selectors.contributors_board import (
    actors_by_id,
    affiliations_of,
    board_build,
    board_sorted,
    logins_add,
)
from analytics.services.affiliations import affiliation_clear, affiliation_set
from analytics.views.report_forms import PRESETS, LeaderboardForm
from community.models import Actor
from community.selectors.visibility import repositories_visible_to

PAGE_SIZE = 50
# (column, heading, what it counts, numeric): text sorts A→Z first, numbers and dates largest.
COLUMNS = [
    ("login", "Contributor", "GitHub account (merged accounts count as one)", False),
    ("organisation", "Organisation", "maintainer, profile or email domain", False),
    ("issues", "Issues", "issues opened in the window", True),
    ("prs", "PRs", "pull requests opened in the window", True),
    ("merged", "Merged", "their pull requests merged in the window", True),
    ("reviews", "Reviews", "reviews submitted in the window", True),
    ("comments", "Comments", "comments written in the window", True),
    ("total", "Total", "issues + PRs + reviews + comments", True),
    ("first_at", "First", "first activity in the window", False),
    ("last_at", "Last", "last activity in the window", False),
]


def _diversity_rows(diversity) -> list[dict]:
    rows = diversity.to_dict("records")
    for row in rows:
        row["share_text"] = f"{100 * row['share']:.1f}%"
    return rows


def contributor_board(request: HttpRequest) -> HttpResponse:
    repositories = list(repositories_visible_to(user=request.user).order_by("full_name"))
    form = LeaderboardForm(request.GET or None, repositories=repositories)
    window = form.window()
    data = form.data_or_defaults()
    chosen = [r for r in repositories if r.full_name == data.get("repository")] or None
    include_bots = bool(data.get("bots"))
    board = board_build(
        user=request.user, repositories=chosen, start=window.start, end=window.end,
        include_bots=include_bots,
    )  # fmt: skip
    column, descending = form.sorting()
    rows = board_sorted(logins_add(board.rows), column=column, descending=descending)
    page = Paginator(rows.to_dict("records"), PAGE_SIZE).get_page(request.GET.get("page"))
    actors = actors_by_id([row["contributor_id"] for row in page.object_list])
    for rank, row in enumerate(page.object_list, start=page.start_index()):
        row["actor"], row["rank"] = actors.get(int(row["contributor_id"])), rank
    shown = form.showing_data(window)
    showing = LeaderboardForm(shown, repositories=repositories)
    return render(
        request,
        "analytics/contributors/board.html",
        {
            "form": showing if form.is_valid() or not form.is_bound else form,
            "window": window,
            "presets": PRESETS,
            "repository": chosen[0] if chosen else None,
            "include_bots": include_bots,
            "columns": COLUMNS,
            "sort": column,
            "descending": descending,
            "page": page,
            "board": board,
            "diversity": _diversity_rows(board.diversity),
            "organisations": int((board.diversity["organisation"] != "").sum()),
            "affiliated_percent": f"{100 * board.affiliated_share:.0f}%",
            "diversity_chart": diversity_chart(board.diversity, window=window.label),
        },
    )


class AffiliationForm(forms.Form):
    organisation = forms.CharField(
        max_length=100,
        required=False,
        help_text='As people write it: "@acme", "Acme Inc." and "acme" are all acme. '
        "Empty: no organisation (independent).",
    )
    action = forms.ChoiceField(choices=[("set", "Save"), ("clear", "Remove my correction")])


@admin_required
def affiliation_edit(request: HttpRequest, login: str) -> HttpResponse:
    """A maintainer says which organisation an account belongs to (or clears what they said)."""
    actor = Actor.objects.filter(login__iexact=login).order_by("-pk").first()
    if actor is None:
        raise Http404("No such contributor")
    known = affiliations_of(actor=actor)
    corrected = next((row for row in known if row["source"] == "maintainer"), None)
    initial = {"organisation": corrected["organisation"]} if corrected else {}
    form = AffiliationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["action"] == "clear":
            affiliation_clear(actor=actor)
            messages.success(request, f"{actor.login}: the correction is removed.")
        else:
            saved = affiliation_set(
                actor=actor, organisation=form.cleaned_data["organisation"], user=request.user
            )
            shown = saved.organisation or "no organisation"
            messages.success(request, f"{actor.login} now counts for {shown}.")
        target = request.POST.get("next") or ""
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "analytics:contributor_board"
        return redirect(target)
    return render(
        request,
        "analytics/contributors/affiliation.html",
        {
            "actor": actor,
            "form": form,
            "affiliations": known,
            "corrected": corrected is not None,
            "normalised_example": organisation_normalise("Acme Inc."),
            "next": request.GET.get("next", ""),
        },
    )
