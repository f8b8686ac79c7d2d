"""`MODEL@VERSION`: how commands (and URLs) name one version of a registered model.

MODEL is the registered model's name (its slug); VERSION a version number (`3`, or `v3`) or an
alias (`champion`, `staging`…). Without `@VERSION` the champion is meant.
"""

from __future__ import annotations

import re

from models_hub.models import CHAMPION, ModelAlias, ModelVersion, RegisteredModel

_NUMBER = re.compile(r"^v?(\d+)$")


class VersionNotFound(LookupError):
    """No such model, version or alias (the message says which)."""


def model_version_by_reference(*, reference: str) -> ModelVersion:
    name, _, wanted = reference.strip().partition("@")
    wanted = wanted or CHAMPION
    model = RegisteredModel.objects.filter(name=name).first()
    if model is None:
        raise VersionNotFound(f"no registered model is named {name!r}")
    number = _NUMBER.match(wanted)
    if number:
        found = model.versions.filter(version=int(number.group(1))).first()
    else:
        alias = ModelAlias.objects.filter(model=model, name=wanted).select_related("version")
        found = next((row.version for row in alias), None)
    if found is None:
        known = ", ".join(
            [f"v{v}" for v in model.versions.values_list("version", flat=True)[:10]]
            + list(model.aliases.values_list("name", flat=True))
        )
        raise VersionNotFound(f"{name} has no version {wanted!r} (it has: {known or 'none'})")
    found.model = model
    return found
