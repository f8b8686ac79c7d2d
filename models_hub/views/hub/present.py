"""What the version and compare pages print from a version's JSON fields: named scalar metrics,
per-label scores, hyperparameters and training data, side by side for two versions."""

from __future__ import annotations

import json
from dataclasses import dataclass

from models_hub.models import CHAMPION, ModelVersion

METRIC_NAMES = {
    "macro_f1": "k-fold macro F1",
    "accuracy": "Accuracy",
    "coverage_at_90_precision": "Coverage at 90% precision",
    "threshold_at_90_precision": "Threshold for 90% precision",
    "abstain_below": "Abstains below",
    "threshold": "Calibrated threshold",
    "folds": "Folds",
    "samples": "Samples",
}
# Structured metrics with their own tables or charts.
NOT_SCALAR = {"per_label", "curve", "evaluated", "reason"}


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    values: tuple  # one per version shown
    differs: bool = False


def _scalar(value) -> bool:
    return isinstance(value, int | float | str) and not isinstance(value, bool)


def text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value % 1 else f"{value:g}"
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return str(value)


def _rows(dicts: list[dict], names: dict[str, str], skip: set[str] = frozenset()) -> list[Row]:
    keys = [key for key in names if any(key in d for d in dicts)]
    keys += sorted({key for d in dicts for key in d} - set(names) - set(keys))
    rows = []
    for key in keys:
        values = tuple(d.get(key) for d in dicts)
        if key in skip or not any(_scalar(v) or isinstance(v, dict | list) for v in values):
            continue
        texts = tuple(text(v) for v in values)
        rows.append(Row(key, names.get(key, key.replace("_", " ")), texts, len(set(texts)) > 1))
    return rows


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def metric_rows(*versions: ModelVersion) -> list[Row]:
    return _rows([_dict(v.metrics) for v in versions], METRIC_NAMES, NOT_SCALAR)


def hyperparameter_rows(*versions: ModelVersion) -> list[Row]:
    return _rows([_dict(v.hyperparameters) for v in versions], {})


def training_rows(*versions: ModelVersion) -> list[Row]:
    fields = [
        {
            "base_model": " @ ".join(x for x in (v.base_model_id, v.base_model_revision) if x),
            "training_rows": v.training_rows,
            "training_sha256": v.training_sha256,
            "label_counts": ", ".join(
                f"{k}: {n}" for k, n in _dict(v.training_label_counts).items()
            ),
            "seed": v.seed,
            "code_version": v.code_version,
            "trained_via": v.get_trained_via_display() if v.trained_via else "",
            "train_seconds": v.train_seconds,
        }
        for v in versions
    ]
    names = {
        "base_model": "Base model",
        "training_rows": "Training rows",
        "label_counts": "Label counts",
        "training_sha256": "Training set sha256",
        "seed": "Seed",
        "code_version": "Code version",
        "trained_via": "Trained via",
        "train_seconds": "Training seconds",
    }
    return _rows(fields, names)


@dataclass(frozen=True)
class LabelRow:
    label: str
    scores: tuple  # one {precision, recall, f1, support} dict (or None) per version

    @property
    def f1_delta(self) -> float | None:
        f1s = [s.get("f1") if s else None for s in self.scores]
        if len(f1s) == 2 and all(isinstance(x, int | float) for x in f1s):
            return f1s[1] - f1s[0]
        return None


def per_label_rows(*versions: ModelVersion) -> list[LabelRow]:
    tables = [_dict(_dict(v.metrics).get("per_label")) for v in versions]
    labels = sorted({label for table in tables for label in table})
    return [
        LabelRow(label, tuple(_dict(table.get(label)) or None for table in tables))
        for label in labels
    ]


def alias_names(version: ModelVersion) -> list[str]:
    """The version's aliases, champion first (from the prefetched `aliases`)."""
    names = sorted(alias.name for alias in version.aliases.all())
    return sorted(names, key=lambda name: name != CHAMPION)


def metrics_then(metrics: dict) -> list[tuple[str, str]]:
    """An alias event's recorded evaluation in words: the gate's verdict when a promotion went
    through it, else the headline metrics of the versions on both sides."""
    metrics = _dict(metrics)
    gate = _dict(metrics.get("gate"))
    if gate:
        rows = [("evaluation", text(gate.get("evaluation")))]
        rows.append(("candidate", text(gate.get("candidate"))))
        if gate.get("champion_version") is not None:
            rows.append((f"champion v{gate['champion_version']}", text(gate.get("champion"))))
        return rows
    rows = []
    for side in ("from", "to"):
        values = _dict(metrics.get(side))
        if not values:
            continue
        shown = ", ".join(
            f"{METRIC_NAMES.get(k, k)} {text(v)}" for k, v in values.items() if k != "version"
        )
        rows.append((f"v{values.get('version', '?')}", shown or "not evaluated"))
    return rows
