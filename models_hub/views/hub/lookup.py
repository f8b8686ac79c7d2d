"""Finding what a hub URL names, as the requesting user may see it: 404 otherwise, so a private
repository's model is indistinguishable from a missing one."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from models_hub.forms_hub import CompareForm
from models_hub.models import ModelVersion, RegisteredModel
from models_hub.selectors import hub as selectors


def model_or_404(request: HttpRequest, name: str) -> RegisteredModel:
    model = selectors.model_get(user=request.user, name=name)
    if model is None:
        raise Http404("No such model")
    return model


def version_or_404(request: HttpRequest, name: str, number: int) -> ModelVersion:
    version = selectors.model_version_get(model=model_or_404(request, name), number=number)
    if version is None:
        raise Http404("No such version")
    return version


def is_maintainer(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def version_pair_or_404(model: RegisteredModel, data) -> tuple[ModelVersion, ModelVersion]:
    """Versions `a` and `b` of the model named in `data` (a query or a form)."""
    form = CompareForm(data)
    if not form.is_valid():
        raise Http404("Compare two versions: a=<number>&b=<number>")
    a = selectors.model_version_get(model=model, number=form.cleaned_data["a"])
    b = selectors.model_version_get(model=model, number=form.cleaned_data["b"])
    if a is None or b is None:
        raise Http404("No such version")
    return a, b
