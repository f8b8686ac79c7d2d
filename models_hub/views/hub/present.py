"""What the version and compare pages print from a version's JSON fields: named scalar metrics,
per-label scores, hyperparameters and training data, side by side for two versions."""

from __future__ import annotations

import json
from dataclasses import dataclass

from models_hub.models import CHAMPION, ModelVersion

METRIC_NAMES = {
    "macro_f1": "k-fold macro F1",
    "accuracy": "Accuracy",
    "threshold_in_use": "Threshold in use",
    "coverage": "Coverage at the threshold in use",
    "precision_when_suggested": "Precision when a label is suggested",
    "threshold_at_90_precision": "Calibrated threshold (90% precision)",
    "coverage_at_90_precision": "Coverage at the calibrated threshold",
    "abstain_below": "Abstains below",
    "threshold": "Calibrated threshold",
    "folds": "Folds",
    "samples": "Issues evaluated",
}
# What each metric means, printed under its name.
METRIC_HELP = {
    "macro_f1": "out of fold, the mean of the per-label F1 scores",
    "accuracy": "out of fold, share of issues whose top label was right",
    "threshold_in_use": (
        "suggestions need this confidence: the higher of the calibrated threshold and the "
        "maintainers' floor (the model card shows this one)"
    ),
    "coverage": "share of issues that get a suggestion at the threshold in use",
    "precision_when_suggested": "share of those suggestions that were right",
    "threshold_at_90_precision": (
        "out of fold, the least confidence whose suggestions were right 90% of the time"
    ),
    "coverage_at_90_precision": "share of issues that get a suggestion at that confidence",
    "samples": "issues in the out-of-fold evaluation",
    "abstain_below": (
        "out of fold, counting suggestions less confident than this drops precision under 90%"
    ),
}
# What an absent value of a metric means, where it means something ("—" otherwise).
METRIC_NONE = {"abstain_below": "never: all its suggestions together were right 90% of the time"}
# Shares, printed as percentages.
PERCENT_METRICS = {"accuracy", "coverage", "precision_when_suggested", "coverage_at_90_precision"}
# Thresholds and scores, to 4 decimals as on the model card (a perfect score reads 1.0000, not 1).
THRESHOLD_METRICS = {"threshold_in_use", "threshold_at_90_precision", "threshold", "abstain_below"}
SCORE_METRICS = {"macro_f1"}
# Structured metrics with their own tables or charts.
NOT_SCALAR = {"per_label", "curve", "evaluated", "reason"}


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    values: tuple  # one per version shown
    differs: bool = False
    help: str = ""


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


def threshold_text(value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:.4f}"
    return text(value)


def percent_text(value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value * 100:.1f}%"
    return text(value)


def _rows(
    dicts: list[dict],
    names: dict[str, str],
    skip: set[str] = frozenset(),
    helps: dict[str, str] | None = None,
    percents: set[str] = frozenset(),
    nones: dict[str, str] | None = None,
) -> list[Row]:
    keys = [key for key in names if any(key in d for d in dicts)]
    keys += sorted({key for d in dicts for key in d} - set(names) - set(keys))
    rows = []
    for key in keys:
        values = tuple(d.get(key) for d in dicts)
        if key in skip or not any(_scalar(v) or isinstance(v, dict | list) for v in values):
            continue
        shown = percent_text if key in percents else text
        if key in THRESHOLD_METRICS | SCORE_METRICS:
            shown = threshold_text
        texts = tuple((nones or {}).get(key, "—") if v is None else shown(v) for v in values)
        label = names.get(key, key.replace("_", " ").capitalize())
        rows.append(Row(key, label, texts, len(set(texts)) > 1, (helps or {}).get(key, "")))
    return rows


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def metric_rows(*versions: ModelVersion) -> list[Row]:
    """The metrics, named and explained, with the threshold each version applies (its metadata's,
    as on its model card) beside the calibrated one."""
    dicts = []
    for version in versions:
        metrics = dict(_dict(version.metrics))
        threshold = _dict(version.metadata).get("threshold")
        if threshold is not None:
            metrics["threshold_in_use"] = threshold
        dicts.append(metrics)
    return _rows(dicts, METRIC_NAMES, NOT_SCALAR, METRIC_HELP, PERCENT_METRICS, METRIC_NONE)


# Hyperparameters named in words; the fine-tuning settings (`finetune_*`) are named from
# their keys, the rest from theirs ("embedding_weight" -> "Embedding weight").
HYPERPARAMETER_NAMES = {
    "method": "Method",
    "regularisation_c": "Regularisation C",
    "ensemble_members": "Ensemble members",
    "ensemble_combination": "Ensemble combination",
}
FINETUNE_PREFIX = "finetune_"
# Hyperparameters stored as a JSON list in a string (safetensors metadata holds strings only).
LISTED_HYPERPARAMETERS = {"ensemble_members"}


def _listed(values: dict) -> dict:
    """`["main", "ngrams"]` read as "main, ngrams"; `{"main": 1.0}` as "main (weight 1)"."""
    out = dict(values)
    for key in LISTED_HYPERPARAMETERS & set(out):
        try:
            parsed = json.loads(out[key]) if isinstance(out[key], str) else out[key]
        except ValueError:
            continue
        if isinstance(parsed, list):
            out[key] = ", ".join(str(item) for item in parsed)
        elif isinstance(parsed, dict):
            out[key] = ", ".join(
                f"{name} (weight {text(weight)})" for name, weight in parsed.items()
            )
    return out


def hyperparameter_rows(*versions: ModelVersion) -> list[Row]:
    dicts = [_listed(_dict(v.hyperparameters)) for v in versions]
    keys = sorted({key for d in dicts for key in d})
    names = {
        key: f"Fine-tuning: {key.removeprefix(FINETUNE_PREFIX).replace('_', ' ')}"
        if key.startswith(FINETUNE_PREFIX)
        else HYPERPARAMETER_NAMES.get(key, key.replace("_", " ").capitalize())
        for key in keys
    }
    return _rows(dicts, names)


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


# Below this many evaluated issues a score says little: the pages print a caveat beside it.
SMALL_SAMPLE = 100


def small_sample(version: ModelVersion | None) -> int | None:
    """The number of issues the version was evaluated on, when below SMALL_SAMPLE."""
    samples = _dict(version.metrics).get("samples") if version is not None else None
    if isinstance(samples, int) and not isinstance(samples, bool) and samples < SMALL_SAMPLE:
        return samples
    return None


@dataclass(frozen=True)
class ChampionWhy:
    """Why the champion is the champion: its latest promotion (who, forced or not, the reason),
    and the versions that score higher on k-fold macro F1, so a drop is said in words."""

    promotion: object | None  # the AliasEvent that made it champion
    better: list[tuple[int, float]]  # (version number, its macro F1) above the champion's
    score: float | None


def champion_why(champion: ModelVersion | None, versions, history) -> ChampionWhy | None:
    if champion is None:
        return None
    promotion = next(
        (
            event
            for event in history
            if event.alias == CHAMPION and event.to_version_id == champion.pk
        ),
        None,
    )
    score = _dict(champion.metrics).get("macro_f1")
    better = []
    if isinstance(score, int | float):
        for version in versions:
            other = _dict(version.metrics).get("macro_f1")
            if version.pk != champion.pk and isinstance(other, int | float) and other > score:
                better.append((version.version, float(other)))
    return ChampionWhy(promotion=promotion, better=sorted(better), score=score)
