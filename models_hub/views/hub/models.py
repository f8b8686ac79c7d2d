"""A model's page, a version's page and the comparison of two versions.

Each page runs a fixed number of queries whatever the number of versions: versions come with
their aliases in one prefetch, production quality in two aggregates, files and history in one
query each.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from models_hub.cards import card_html, card_sections
from models_hub.export import LOADER_MODULE
from models_hub.export.folder import CONFIG_FILE, LOADER_FILE
from models_hub.forms_hub import CardSectionForm, PromoteForm
from models_hub.models import CHAMPION, ModelVersion
from models_hub.registry.promotion import champion_gate
from models_hub.registry.versions import WEIGHTS
from models_hub.selectors import hub as selectors
from models_hub.selectors.quality import MIN_DECISIONS, MIN_TRIAGED, production_quality
from models_hub.views.hub import charts, present
from models_hub.views.hub.files import CARD_FILE, serves_loader
from models_hub.views.hub.lookup import (
    is_maintainer,
    model_or_404,
    version_or_404,
    version_pair_or_404,
)
from models_hub.views.hub.replays import replay_of

HISTORY_SHOWN = 50


def _champion(versions: list[ModelVersion]) -> ModelVersion | None:
    return next((v for v in versions if any(a.name == CHAMPION for a in v.aliases.all())), None)


def _card(version: ModelVersion | None) -> str:
    """The version's card as HTML; card_html sanitises it (models_hub.cards), so it is safe."""
    return mark_safe(card_html(version)) if version is not None else ""


def file_url(version: ModelVersion, path: str) -> str:
    return reverse("models_hub:file_download", args=[version.model.name, version.version, path])


def usage(request: HttpRequest, version: ModelVersion | None, files: list) -> dict | None:
    """How to fetch and check the files and use them: a label classifier's suggestions through
    the standalone loader, other weights loaded without running code."""
    weights = next((f for f in files if f.path == WEIGHTS), None)
    if version is None or weights is None:
        return None
    check = f'echo "{weights.sha256}  {WEIGHTS}" | sha256sum -c -'
    loader = serves_loader(version)
    paths = [WEIGHTS, CONFIG_FILE, LOADER_FILE] if loader else [WEIGHTS]
    fetch = "\n".join(
        f'curl -fLO "{request.build_absolute_uri(file_url(version, path))}"' for path in paths
    )
    if not loader:
        return {
            "what": "the weights",
            "shell": f"{fetch}\n{check}",
            "python_intro": "Load them (safetensors: reading runs no code):",
            "python": (
                "from safetensors.numpy import load_file\n\n"
                f'tensors = load_file("{WEIGHTS}")  # safetensors: loading runs no code\n'
                "print({name: array.shape for name, array in tensors.items()})"
            ),
        }
    return {
        "what": "the files",
        "shell": f"{fetch}\n{check}",
        "python_intro": (
            "Suggest labels (numpy, safetensors, scikit-learn and sentence-transformers; "
            "no Steward):"
        ),
        "python": (
            f"from {LOADER_MODULE} import StewardLabelClassifier\n\n"
            'classifier = StewardLabelClassifier.from_folder(".")\n'
            'suggestion = classifier.suggest_issue(title="App crashes on save", body="…")\n'
            "print(suggestion.label, suggestion.confidence)  # label None: it abstains"
        ),
    }


def _loader_generated(version: ModelVersion | None, files: list) -> str:
    """The loader's file name when it is listed as a generated file (served for the version,
    not stored by it); empty otherwise."""
    generated = (
        version is not None
        and serves_loader(version)
        and not any(f.path == LOADER_FILE for f in files)
    )
    return LOADER_FILE if generated else ""


def _section_forms(version: ModelVersion | None) -> list:
    """An edit form per prose section: the maintainers' text where they wrote one, else empty
    (the card keeps its generated text, which follows the version)."""
    if version is None:
        return []
    return [
        (section, CardSectionForm(initial={"section_id": section.id, "text": section.markdown}))
        for section in card_sections(version)
        if section.editable
    ]


@require_safe
def model_detail(request: HttpRequest, name: str) -> HttpResponse:
    model = model_or_404(request, name)
    versions = selectors.model_versions(model=model)
    for version in versions:
        version.model = model
    champion = _champion(versions)
    shown = champion or (versions[0] if versions else None)
    files = selectors.version_files(version=shown) if shown else []
    qualities = production_quality(versions=versions)
    history = selectors.alias_history(model=model, limit=HISTORY_SHOWN)
    for event in history:
        event.metrics_then = present.metrics_then(event.metrics)
    context = {
        "hub_section": "models",
        "charts": bool(versions),
        "model": model,
        "versions": [(v, present.alias_names(v)) for v in versions],
        "champion": champion,
        "shown": shown,
        "card": _card(shown),
        "files": files,
        "has_readme": any(f.path == CARD_FILE for f in files),
        "loader_file": _loader_generated(shown, files),
        "usage": usage(request, shown, files),
        "qualities": qualities,
        "metrics_chart": charts.metrics_chart(versions),
        "curve_chart": charts.curve_chart(qualities, champion_pk=champion.pk if champion else None),
        "free_aliases": selectors.model_aliases(model=model),
        "history": history,
        "champion_why": present.champion_why(champion, versions, history),
        "small_sample": present.small_sample(shown),
        "min_decisions": MIN_DECISIONS,
        "min_triaged": MIN_TRIAGED,
        "maintainer": is_maintainer(request, model),
    }
    if context["maintainer"]:
        context["section_forms"] = _section_forms(shown)
    return render(request, "models_hub/hub/model.html", context)


@require_safe
def version_detail(request: HttpRequest, name: str, number: int) -> HttpResponse:
    version = version_or_404(request, name, number)
    model = version.model
    maintainer = is_maintainer(request, model)
    champion_number = model.champion_number
    files = selectors.version_files(version=version)
    metrics = version.metrics if isinstance(version.metrics, dict) else {}
    context = {
        "hub_section": "models",
        "model": model,
        "version": version,
        "aliases": present.alias_names(version),
        "is_champion": champion_number == version.version,
        "champion_number": champion_number,
        "metric_rows": present.metric_rows(version),
        "not_evaluated": metrics.get("evaluated") is False,
        "small_sample": present.small_sample(version),
        "label_rows": present.per_label_rows(version),
        "label_headers": [""],
        "hyperparameter_rows": present.hyperparameter_rows(version),
        "training_rows": present.training_rows(version),
        "files": files,
        "has_readme": any(f.path == CARD_FILE for f in files),
        "loader_file": _loader_generated(version, files),
        "results": selectors.version_results(version=version),
        "replay": replay_of(version, baseline=None),
        "maintainer": maintainer,
    }
    if maintainer:
        context["gate"] = champion_gate(version)
        context["promote_form"] = PromoteForm()
    return render(request, "models_hub/hub/version.html", context)


@require_safe
def compare(request: HttpRequest, name: str) -> HttpResponse:
    model = model_or_404(request, name)
    a, b = version_pair_or_404(model, request.GET)
    headers = [f"v{a.version}", f"v{b.version}"]
    context = {
        "hub_section": "models",
        "headers": headers,
        "model": model,
        "a": a,
        "b": b,
        "metric_rows": present.metric_rows(a, b),
        "label_rows": present.per_label_rows(a, b),
        "hyperparameter_rows": present.hyperparameter_rows(a, b),
        "training_rows": present.training_rows(a, b),
        "replay": replay_of(b, baseline=a),
        "maintainer": is_maintainer(request, model),
        "versions": selectors.model_version_numbers(model=model),
    }
    return render(request, "models_hub/hub/compare.html", context)
