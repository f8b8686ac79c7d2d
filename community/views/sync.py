"""The maintainers' "add repository" page: track a GitHub repository and start its sync."""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.decorators import admin_required
from community.github.errors import BadCredentials, GitHubError, NotFound, RateLimited
from community.models import Repository
from community.services.sync.tracking import repository_track

_FULL_NAME = re.compile(r"^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$")


class RepositoryAddForm(forms.Form):
    full_name = forms.CharField(
        label="Repository",
        max_length=140,
        help_text="OWNER/REPO, or the repository's GitHub URL",
        widget=forms.TextInput(attrs={"autofocus": True}),
    )

    def clean_full_name(self) -> str:
        value = self.cleaned_data["full_name"].strip().removesuffix(".git").rstrip("/")
        value = re.sub(r"^(https?://)?(www\.)?github\.com/", "", value)
        if not _FULL_NAME.match(value):
            raise forms.ValidationError("Enter OWNER/REPO, for example django/django.")
        return value


def _github_error_message(error: GitHubError) -> str:
    if isinstance(error, NotFound):
        return "GitHub has no such repository, or our credentials cannot see it."
    if isinstance(error, RateLimited):
        return f"GitHub's rate limit is exhausted until {error.reset_at:%H:%M} UTC; try again then."
    if isinstance(error, BadCredentials):
        return str(error)
    return f"GitHub could not be reached: {error}"


@admin_required
def repository_add(request: HttpRequest) -> HttpResponse:
    form = RepositoryAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            repository = repository_track(full_name=form.cleaned_data["full_name"])
        except GitHubError as error:
            form.add_error("full_name", _github_error_message(error))
        else:
            messages.success(request, f"Tracking {repository.full_name}; its first sync is queued.")
            owner, name = repository.full_name.split("/")
            return redirect(reverse("community:repository_detail", args=(owner, name)))
    tracked = Repository.objects.filter(tracked=True).select_related("sync_state")
    return render(request, "community/repository_add.html", {"form": form, "tracked": tracked})
