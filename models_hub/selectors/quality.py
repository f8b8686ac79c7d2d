"""Production quality of label classifier versions: what maintainers decided about the labels a
version suggested, beside what its offline evaluation promised.

For each version (the `TriageResult.label_model` of the runs it made):

- **online precision** = accepted / decided, over maintainers' accept/reject decisions on the
  label suggestions of its runs (undecided suggestions do not count);
- **online coverage** = issues it labelled / issues it triaged: an issue counts as labelled when
  at least one of the version's runs on it suggested a label rather than abstaining;
- **offline** figures come from the version's k-fold evaluation (`metrics`): macro F1, and the
  precision and coverage of its out-of-fold precision-coverage curve at the calibrated threshold
  (`metrics["threshold"]`, else `metadata["threshold"]`; the curve point at the highest
  threshold not above it, since the curve is sampled every 0.05).

**Divergence** (`VersionQuality.divergence`, one sentence per rule that fires) — once at least
`MIN_DECISIONS` (10) label suggestions were decided, online precision more than
`PRECISION_GAP` (0.10) below the offline precision at the calibrated threshold; once at least
`MIN_TRIAGED` (10) issues were triaged, online coverage more than `COVERAGE_GAP` (0.20) away
from the offline coverage at that threshold (the incoming issues no longer look like the
training data). Fewer decisions say too little to flag anything.

`production_quality` runs two aggregate queries for any number of versions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q

from models_hub.models import (
    FeedbackDecision,
    ModelVersion,
    SuggestionFeedback,
    SuggestionKind,
    TriageResult,
)

MIN_DECISIONS = 10
PRECISION_GAP = 0.10
MIN_TRIAGED = 10
COVERAGE_GAP = 0.20


@dataclass(frozen=True)
class CurvePoint:
    threshold: float
    coverage: float
    precision: float | None


@dataclass(frozen=True)
class VersionQuality:
    version: ModelVersion
    decided: int
    accepted: int
    triaged: int
    labelled: int
    threshold: float | None
    offline_macro_f1: float | None
    offline_precision: float | None
    offline_coverage: float | None
    curve: list[CurvePoint] = field(default_factory=list)
    divergence: list[str] = field(default_factory=list)

    @property
    def online_precision(self) -> float | None:
        return self.accepted / self.decided if self.decided else None

    @property
    def online_coverage(self) -> float | None:
        return self.labelled / self.triaged if self.triaged else None

    @property
    def diverges(self) -> bool:
        return bool(self.divergence)

    @property
    def in_production(self) -> bool:
        return self.triaged > 0


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None  # NaN is no number


def calibrated_threshold(version: ModelVersion) -> float | None:
    """The confidence below which the version abstains, as its trainer recorded it."""
    metrics = version.metrics if isinstance(version.metrics, dict) else {}
    metadata = version.metadata if isinstance(version.metadata, dict) else {}
    for value in (metrics.get("threshold"), metadata.get("threshold")):
        if _number(value) is not None:
            return _number(value)
    return None


def version_curve(version: ModelVersion) -> list[CurvePoint]:
    """The out-of-fold precision-coverage curve, by threshold; malformed points are skipped."""
    rows = version.metrics.get("curve") if isinstance(version.metrics, dict) else None
    points = []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        threshold, coverage = _number(row.get("threshold")), _number(row.get("coverage"))
        if threshold is None or coverage is None:
            continue
        points.append(CurvePoint(threshold, coverage, _number(row.get("precision"))))
    return sorted(points, key=lambda point: point.threshold)


def curve_at(curve: Sequence[CurvePoint], threshold: float | None) -> CurvePoint | None:
    """The curve point at the highest sampled threshold not above `threshold`."""
    if threshold is None:
        return None
    below = [point for point in curve if point.threshold <= threshold + 1e-9]
    return below[-1] if below else None


def _divergence(
    *, decided, triaged, online_precision, online_coverage, at: CurvePoint | None
) -> list[str]:
    reasons = []
    if at is None:
        return reasons
    if (
        decided >= MIN_DECISIONS
        and at.precision is not None
        and online_precision < at.precision - PRECISION_GAP
    ):
        reasons.append(
            f"Online precision {online_precision:.0%} is more than {PRECISION_GAP * 100:.0f} "
            f"points below the offline {at.precision:.0%} at threshold {at.threshold:g} "
            f"({decided} decisions)."
        )
    if triaged >= MIN_TRIAGED and abs(online_coverage - at.coverage) > COVERAGE_GAP:
        reasons.append(
            f"Online coverage {online_coverage:.0%} is far from the offline {at.coverage:.0%} "
            f"at threshold {at.threshold:g} ({triaged} issues triaged)."
        )
    return reasons


def _decisions(version_ids: list[int]) -> dict[int, dict]:
    rows = (
        SuggestionFeedback.objects.filter(
            kind=SuggestionKind.LABEL, suggestion__result__label_model_id__in=version_ids
        )
        .values("suggestion__result__label_model_id")
        .annotate(
            decided=Count("pk"),
            accepted=Count("pk", filter=Q(decision=FeedbackDecision.ACCEPTED)),
        )
    )
    return {row["suggestion__result__label_model_id"]: row for row in rows}


def _coverage(version_ids: list[int]) -> dict[int, dict]:
    rows = (
        TriageResult.objects.filter(label_model_id__in=version_ids)
        .values("label_model_id")
        .annotate(
            triaged=Count("issue_id", distinct=True),
            labelled=Count("issue_id", distinct=True, filter=Q(labels_abstained=False)),
        )
    )
    return {row["label_model_id"]: row for row in rows}


def production_quality(*, versions: Sequence[ModelVersion]) -> list[VersionQuality]:
    """Online and offline quality of each of `versions` (same order), in two queries."""
    ids = [version.pk for version in versions]
    decisions = _decisions(ids) if ids else {}
    coverage = _coverage(ids) if ids else {}
    qualities = []
    for version in versions:
        decided = decisions.get(version.pk, {}).get("decided", 0)
        accepted = decisions.get(version.pk, {}).get("accepted", 0)
        triaged = coverage.get(version.pk, {}).get("triaged", 0)
        labelled = coverage.get(version.pk, {}).get("labelled", 0)
        curve = version_curve(version)
        threshold = calibrated_threshold(version)
        at = curve_at(curve, threshold)
        metrics = version.metrics if isinstance(version.metrics, dict) else {}
        qualities.append(
            VersionQuality(
                version=version,
                decided=decided,
                accepted=accepted,
                triaged=triaged,
                labelled=labelled,
                threshold=threshold,
                offline_macro_f1=_number(metrics.get("macro_f1")),
                offline_precision=at.precision if at else None,
                offline_coverage=at.coverage if at else None,
                curve=curve,
                divergence=_divergence(
                    decided=decided,
                    triaged=triaged,
                    online_precision=accepted / decided if decided else None,
                    online_coverage=labelled / triaged if triaged else None,
                    at=at,
                ),
            )
        )
    return qualities
