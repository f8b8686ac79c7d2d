"""Finding what a hub URL names, as the requesting user may see it: 404 otherwise, so a private
repository's model is indistinguishable from a missing one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from accounts import permissions
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


def is_maintainer(request: HttpRequest, model: RegisteredModel | None = None) -> bool:
    """Whether the user maintains the model (its repository's maintainers and admins; a model
    without a repository: admins), or with no model, maintains anything at all."""
    if model is None:
        return permissions.maintains_any(request.user)
    if model.repository_id is None:
        return permissions.is_admin(request.user)
    return permissions.may_maintain(request.user, model.repository)


def models_maintained_by(user):
    """Models the user may change: those of repositories they maintain; every model for admins."""
    if permissions.is_admin(user):
        return RegisteredModel.objects.all()
    return RegisteredModel.objects.filter(
        repository__in=permissions.repositories_maintained_by(user)
    )


def maintained_model_or_404(request: HttpRequest, name: str) -> RegisteredModel:
    """The model, if the user may see it (404 otherwise) and maintain it (403 otherwise)."""
    model = model_or_404(request, name)
    if not is_maintainer(request, model):
        raise PermissionDenied("Only this model's maintainers may change it.")
    return model


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
