"""The model index at /models/: search, filters, sorts and pages over the models a user may see."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from community.views.pagination import paginate
from models_hub.forms_hub import ModelFilterForm
from models_hub.selectors import hub as selectors
from models_hub.views.hub.present import SMALL_SAMPLE

PAGE_SIZE = 20


@require_safe
def model_list(request: HttpRequest) -> HttpResponse:
    form = ModelFilterForm(request.GET, options=selectors.model_filter_options(user=request.user))
    filters = form.filters()
    page = paginate(
        request, selectors.model_list(user=request.user, filters=filters), per_page=PAGE_SIZE
    )
    filtered = any(
        (filters.q, filters.task, filters.license, filters.benchmark, filters.repository)
    )
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "filtered": filtered,
        "small_sample": SMALL_SAMPLE,
        "hub_section": "models",
    }
    return render(request, "models_hub/hub/index.html", context)
