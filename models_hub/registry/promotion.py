"""The champion gate: a version becomes `champion` only when it beats the current champion on
the model's declared evaluation, unless a maintainer promotes it anyway with a written reason.

The declared evaluation is the model's benchmark when it declares one (the version's `verified`
result on it), else the model's own k-fold evaluation (`metrics["macro_f1"]`, out-of-fold on the
repository's labelled issues). "Beats" is strictly higher. A first version passes (there is no
champion to beat); a version that could not be evaluated does not pass once there is one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from models_hub.models import CHAMPION, AliasEvent, BenchmarkResult, ModelVersion, ResultSource
from models_hub.registry.aliases import alias_move, champion_of


class PromotionRefused(ValueError):
    """The gate did not pass and no reason was given."""


@dataclass(frozen=True)
class GateVerdict:
    passed: bool
    evaluation: str  # what was compared, in words
    candidate: float | None
    champion: float | None
    champion_version: int | None
    explanation: str


def version_score(version: ModelVersion) -> tuple[float | None, str]:
    """The version's value on its model's declared evaluation, and that evaluation's name."""
    model = version.model
    if model.benchmark_id is not None:
        result = (
            BenchmarkResult.objects.filter(
                version=version, benchmark_id=model.benchmark_id, source=ResultSource.VERIFIED
            )
            .order_by("-evaluated_at")
            .first()
        )
        return (result.value if result else None), f"verified {model.benchmark.name}"
    value = version.metrics.get("macro_f1") if version.metrics.get("evaluated") else None
    return value, "k-fold macro F1"


def champion_gate(version: ModelVersion) -> GateVerdict:
    champion = champion_of(version.model)
    candidate, evaluation = version_score(version)
    if champion is None:
        return GateVerdict(True, evaluation, candidate, None, None, "first champion")
    if champion.pk == version.pk:
        return GateVerdict(True, evaluation, candidate, candidate, version.version, "already")
    held, _ = version_score(champion)
    if candidate is None:
        passed, why = False, f"v{version.version} has no {evaluation} to compare"
    elif held is None:
        passed, why = True, f"the champion v{champion.version} has no {evaluation}"
    elif candidate > held:
        passed, why = True, f"{evaluation} {candidate:.4f} beats {held:.4f}"
    else:
        passed, why = False, f"{evaluation} {candidate:.4f} does not beat {held:.4f}"
    return GateVerdict(passed, evaluation, candidate, held, champion.version, why)


def version_promote(
    *,
    version: ModelVersion,
    actor=None,
    actor_label: str = "",
    reason: str = "",
) -> AliasEvent | None:
    """Make `version` the champion if it passes the gate, or with a maintainer's `reason` when it
    does not (recorded as forced). Raises PromotionRefused otherwise."""
    verdict = champion_gate(version)
    reason = reason.strip()
    if not verdict.passed and not reason:
        raise PromotionRefused(
            f"{version} was not promoted: {verdict.explanation}. A maintainer may promote it "
            "anyway with a written reason."
        )
    return alias_move(
        version=version,
        alias=CHAMPION,
        actor=actor,
        actor_label=actor_label,
        reason=reason or f"passed the champion gate: {verdict.explanation}",
        forced=not verdict.passed,
        metrics={"gate": asdict(verdict)},
    )
