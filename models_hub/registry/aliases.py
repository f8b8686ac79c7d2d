"""Aliases: named pointers to a model's versions, moved only here, each move recorded.

`champion` is the version triage uses; any other slug (`staging`, `previous`…) is free. One
version per alias per model. Every move writes an `AliasEvent` (who, when, from → to, why, and
the metrics of both versions at that moment), so the history answers "why is this the model we
use, and what did it replace". The champion gate (does the new version beat the champion?) is
`models_hub.registry.promotion`; this module moves aliases it is told to move.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from models_hub.models import CHAMPION, AliasEvent, ModelAlias, ModelVersion, RegisteredModel


class AliasError(ValueError):
    pass


def alias_move(
    *,
    version: ModelVersion,
    alias: str = CHAMPION,
    actor=None,
    actor_label: str = "",
    reason: str = "",
    forced: bool = False,
    metrics: dict | None = None,
) -> AliasEvent | None:
    """Point `alias` of the version's model at `version`; None when it already does."""
    name = slugify(alias)
    if not name or name != alias:
        raise AliasError(f"alias {alias!r}: use lowercase letters, digits and dashes")
    label = actor_label or (actor.get_username() if actor is not None else "system")
    with transaction.atomic():
        RegisteredModel.objects.select_for_update().filter(pk=version.model_id).first()
        current = ModelAlias.objects.filter(model_id=version.model_id, name=name).first()
        previous = current.version if current is not None else None
        if previous is not None and previous.pk == version.pk:
            return None
        if current is None:
            ModelAlias.objects.create(model_id=version.model_id, name=name, version=version)
        else:
            current.version = version
            current.save(update_fields=["version", "updated_at"])
        return AliasEvent.objects.create(
            model_id=version.model_id,
            alias=name,
            from_version=previous,
            to_version=version,
            actor=actor,
            actor_label=label[:100],
            reason=reason,
            forced=forced,
            metrics=metrics if metrics is not None else _metrics_then(previous, version),
        )


def alias_remove(
    *, model: RegisteredModel, alias: str, actor=None, actor_label: str = "", reason: str = ""
) -> AliasEvent | None:
    if alias == CHAMPION:
        raise AliasError("the champion cannot be removed, only replaced")
    with transaction.atomic():
        current = ModelAlias.objects.select_for_update().filter(model=model, name=alias).first()
        if current is None:
            return None
        previous = current.version
        current.delete()
        return AliasEvent.objects.create(
            model=model,
            alias=alias,
            from_version=previous,
            to_version=None,
            actor=actor,
            actor_label=(actor_label or (actor.get_username() if actor else "system"))[:100],
            reason=reason,
            metrics=_metrics_then(previous, None),
        )


def _metrics_then(previous: ModelVersion | None, new: ModelVersion | None) -> dict:
    return {
        side: {"version": v.version, **_headline(v.metrics)}
        for side, v in (("from", previous), ("to", new))
        if v is not None
    }


def _headline(metrics: dict) -> dict:
    keep = ("macro_f1", "accuracy", "coverage_at_90_precision", "samples", "folds")
    return {key: metrics[key] for key in keep if key in metrics}


def champion_of(model: RegisteredModel) -> ModelVersion | None:
    alias = ModelAlias.objects.filter(model=model, name=CHAMPION).select_related("version").first()
    return alias.version if alias is not None else None


def champion_for(*, kind: str, repository) -> ModelVersion | None:
    """The champion version of the repository's model of `kind` (None: none trained yet)."""
    alias = (
        ModelAlias.objects.filter(name=CHAMPION, model__kind=kind, model__repository=repository)
        .select_related("version__model")
        .first()
    )
    return alias.version if alias is not None else None
