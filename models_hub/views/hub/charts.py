"""Chart data for the hub's pages, drawn by static/js/hub.js from a json_script island.

Shapes (what hub.js reads):
- metrics across versions: {"kind": "line", "labels": ["v1", …], "datasets": [{"label",
  "data": [number|null, …]}], "unit"};
- precision-coverage curves: {"kind": "curve", "datasets": [{"label": "v3", "points": [{"x":
  coverage, "y": precision, "threshold"}], "threshold": {"x", "y", "threshold"} | null,
  "hidden"}], "x_min", "y_min"}: x is coverage, y precision, the calibrated threshold a marked
  point; each axis starts at its *_min (a 5% step below the lowest point).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from models_hub.models import ModelVersion
from models_hub.selectors.quality import VersionQuality, curve_at

# The metrics drawn across versions, in the order of their lines.
VERSION_METRICS = (
    ("macro_f1", "k-fold macro F1"),
    ("accuracy", "Accuracy"),
    ("coverage_at_90_precision", "Coverage at 90% precision"),
)
# Curves drawn visible at first; older versions are one legend click away.
VISIBLE_CURVES = 3


def _value(metrics: dict, key: str) -> float | None:
    value = metrics.get(key) if isinstance(metrics, dict) else None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def metrics_chart(versions: Sequence[ModelVersion]) -> dict:
    """Each headline metric across versions, oldest first; metrics no version has are left out."""
    ordered = sorted(versions, key=lambda version: version.version)
    datasets = []
    for key, label in VERSION_METRICS:
        values = [_value(version.metrics, key) for version in ordered]
        if any(value is not None for value in values):
            datasets.append({"label": label, "data": values})
    return {
        "kind": "line",
        "labels": [f"v{version.version}" for version in ordered],
        "datasets": datasets,
        "unit": "score (0 to 1)",
    }


def curve_chart(qualities: Sequence[VersionQuality], *, champion_pk: int | None) -> dict:
    """Each version's out-of-fold precision-coverage curve with its calibrated threshold marked;
    the champion, the newest and the diverging versions are shown, the others hidden until
    picked from the legend."""
    with_curve = [q for q in qualities if q.curve]
    newest = sorted(with_curve, key=lambda q: -q.version.version)[:VISIBLE_CURVES]
    shown = {q.version.pk for q in newest} | {champion_pk}
    shown |= {q.version.pk for q in with_curve if q.diverges}
    datasets = []
    for quality in sorted(with_curve, key=lambda q: -q.version.version):
        at = curve_at(quality.curve, quality.threshold)
        label = f"v{quality.version.version}"
        if quality.version.pk == champion_pk:
            label += " (champion)"
        datasets.append(
            {
                "label": label,
                "points": [
                    {"x": point.coverage, "y": point.precision, "threshold": point.threshold}
                    for point in quality.curve
                    if point.precision is not None
                ],
                "threshold": (
                    {"x": at.coverage, "y": at.precision, "threshold": quality.threshold}
                    if at is not None and at.precision is not None
                    else None
                ),
                "hidden": quality.version.pk not in shown,
            }
        )
    return {"kind": "curve", "datasets": datasets, **_curve_axes(datasets)}


def _curve_axes(datasets: list[dict]) -> dict:
    """Each axis starts a little below the lowest point (on a 5% step), not at 0: curves that all
    lie in 75-100% would otherwise be squeezed into a corner, one hiding under another."""
    points = [point for dataset in datasets for point in dataset["points"]]
    axes = {}
    for axis in ("x", "y"):
        values = [point[axis] for point in points if isinstance(point[axis], int | float)]
        if values:
            axes[f"{axis}_min"] = max(0.0, math.floor((min(values) - 0.05) * 20) / 20)
    return axes
