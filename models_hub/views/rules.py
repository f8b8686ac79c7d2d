"""A repository's triage rules: the label threshold and write-back to GitHub."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.permissions import may_maintain
from community.selectors import repository_get_visible
from models_hub.forms import TriageSettingsForm
from models_hub.triage.writeback import triage_settings_get_or_create
from models_hub.views.access import maintainer_required


@maintainer_required
def settings_page(request: HttpRequest, owner: str, name: str) -> HttpResponse:
    repository = repository_get_visible(user=request.user, owner=owner, name=name)
    if repository is None:
        raise Http404("No such repository")
    if not may_maintain(request.user, repository):
        raise PermissionDenied("Only this repository's maintainers change its triage rules.")
    # Created with the defaults (write-back off, dry-run on) the first time a maintainer looks.
    rules = triage_settings_get_or_create(repository=repository)
    form = TriageSettingsForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Triage settings of {repository.full_name} saved.")
        return redirect(request.path)
    return render(
        request,
        "models_hub/triage/settings.html",
        {"repository": repository, "form": form, "rules": rules},
    )
