"""The card's evaluation and coverage sections, from the version's k-fold metrics and its
benchmark results (every figure says where it comes from)."""

from __future__ import annotations

from models_hub.cards.results import SOURCE_MEANINGS, SOURCE_TITLES, VersionResults
from models_hub.cards.tables import cell, code, link, markdown_table, percent, when
from models_hub.models import BenchmarkResult, ModelVersion, ResultSource

CURVE_STEP = 0.1


def evaluation_markdown(version: ModelVersion, results: VersionResults) -> str:
    parts = [_kfold(version)]
    if results.results:
        parts.append(_benchmarks(version, results))
    else:
        parts.append("No benchmark results for this version yet.")
    return "\n\n".join(parts)


def _scope(version: ModelVersion) -> str:
    repository = version.model.repository
    return f"`{repository.full_name}`'s" if repository is not None else "its"


def _kfold(version: ModelVersion) -> str:
    metrics = version.metrics or {}
    title = f"### Cross-validation on {_scope(version)} labelled issues (computed by Steward)"
    if not metrics.get("evaluated"):
        reason = metrics.get("reason") or "no evaluation was recorded"
        return f"{title}\n\nThis version was not evaluated: {cell(reason)}."
    intro = (
        f"Stratified {metrics['folds']}-fold cross-validation on the {metrics['samples']} "
        "training issues when this version was trained: every issue is predicted by a "
        "classifier that did not see it (out-of-fold)."
    )
    headline = markdown_table(
        ["Metric", "Value"],
        [
            ["Macro F1", cell(metrics.get("macro_f1"))],
            ["Accuracy", cell(metrics.get("accuracy"))],
            ["Coverage at 90% precision", percent(metrics.get("coverage_at_90_precision"))],
        ],
    )
    per_label = markdown_table(
        ["Label", "Precision", "Recall", "F1", "Support"],
        [
            [code(label), cell(s["precision"]), cell(s["recall"]), cell(s["f1"]), str(s["support"])]
            for label, s in sorted((metrics.get("per_label") or {}).items())
        ],
    )
    return f"{title}\n\n{intro}\n\n{headline}\n\n#### Per label (out-of-fold)\n\n{per_label}"


def _benchmarks(version: ModelVersion, results: VersionResults) -> str:
    rows = [
        [
            link(r.benchmark.title, r.benchmark.url),
            cell(r.benchmark.split),
            cell(r.benchmark.metric_name),
            cell(r.value),
            percent(r.coverage),
            f"**{SOURCE_TITLES.get(r.source, r.source)}**" + _by(r),
            when(r.evaluated_at),
        ]
        for r in results.results
    ]
    legend = "\n".join(
        f"- **{SOURCE_TITLES[source]}**: {meaning}."
        for source, meaning in SOURCE_MEANINGS.items()
        if any(r.source == source for r in results.results)
    )
    parts = [
        "### Benchmarks",
        markdown_table(
            ["Benchmark", "Split", "Metric", "Value", "Coverage", "Source", "Evaluated"], rows
        ),
        legend,
    ]
    for result in results.leading:
        if result.source == ResultSource.VERIFIED:
            parts += _breakdown(result)
    by_benchmark: dict[str, list[BenchmarkResult]] = {}
    for reference in results.references:
        by_benchmark.setdefault(reference.benchmark.title, []).append(reference)
    for title, references in by_benchmark.items():
        parts.append(f"#### Published reference figures on {cell(title)} (other systems)")
        parts.append(
            markdown_table(
                ["Entry", "Value", "Reference"],
                [[cell(r.entry), cell(r.value), link("source", r.reference)] for r in references],
            )
        )
    return "\n\n".join(parts)


def _by(result: BenchmarkResult) -> str:
    if result.source == ResultSource.SELF_REPORTED and result.submitted_by is not None:
        return f" by {cell(result.submitted_by.get_username())}"
    if result.source != ResultSource.VERIFIED and result.reference:
        return " (" + link("reference", result.reference) + ")"
    return ""


def _breakdown(result: BenchmarkResult) -> list[str]:
    """Per-subset (e.g. per-repository) and per-class tables of a verified result. A value is
    the benchmark's metric, or a dict of figures ({metric: …, support: …})."""
    parts = []
    breakdown = result.breakdown or {}
    metric = result.benchmark.metric
    for key, what in (("per_subset", "Subset"), ("per_class", "Class")):
        values = breakdown.get(key)
        if not isinstance(values, dict) or not values:
            continue
        rows = {name: v if isinstance(v, dict) else {metric: v} for name, v in values.items()}
        named = {column for figures in rows.values() for column in figures} - {metric}
        columns = [metric, *sorted(named)]
        parts.append(f"#### {cell(result.benchmark.title)}: per {what.lower()} (verified)")
        parts.append(
            markdown_table(
                [what, *map(cell, columns)],
                [
                    [cell(name), *(cell(figures.get(column)) for column in columns)]
                    for name, figures in sorted(rows.items())
                ],
            )
        )
    return parts


def coverage_markdown(version: ModelVersion) -> str:
    metrics, metadata = version.metrics or {}, version.metadata or {}
    threshold = metadata.get("threshold")
    if threshold is None:
        return "The threshold of this version was not recorded."
    lines = [
        f"Steward suggests a label only when its probability reaches **{threshold:.4f}**; below "
        "it the classifier abstains and the maintainer sees no suggestion."
    ]
    calibrated = metrics.get("threshold_at_90_precision")
    floor = metadata.get("threshold_floor")
    if metrics.get("evaluated") and calibrated is not None:
        lines.append(
            f"- Calibrated: out of fold, suggestions at a confidence of {calibrated:.4f} or more "
            f"were right 90% of the time and covered "
            f"{percent(metrics.get('coverage_at_90_precision'))} of the issues."
        )
        if metrics.get("abstain_below") is None:
            lines.append(
                "- Every out-of-fold suggestion reached that precision, so the evaluation says "
                "nothing about where to abstain: the floor applies."
            )
    elif metrics.get("evaluated"):
        lines.append("- No confidence reached 90% precision out of fold: the floor applies.")
    if floor is not None:
        lines.append(
            f"- Maintainers' floor: {floor:.4f} (the repository's triage settings); the "
            "threshold is the higher of the two."
        )
    curve = metrics.get("curve") or []
    at = _curve_at(curve, threshold)
    if at is not None:
        lines.append(
            f"- At the threshold: {percent(at['coverage'])} of issues get a label, "
            f"{percent(at['precision'])} of them right (out-of-fold curve at confidence "
            f"{at['threshold']:.2f}, the sampled point at or below the threshold)."
        )
    text = lines[0] + "\n\n" + "\n".join(lines[1:])
    shown = [p for p in curve if _on_step(p["threshold"])]
    if shown:
        table = markdown_table(
            ["Confidence ≥", "Issues labelled", "Precision"],
            [
                [f"{p['threshold']:.1f}", percent(p["coverage"]), percent(p["precision"])]
                for p in shown
            ],
        )
        text += f"\n\nOut-of-fold precision and coverage by confidence:\n\n{table}"
    return text


def _on_step(threshold: float) -> bool:
    steps = threshold / CURVE_STEP
    return abs(steps - round(steps)) < 1e-6


def _curve_at(curve: list[dict], threshold: float) -> dict | None:
    """The curve's point at the highest sampled confidence not above the threshold (the curve is
    sampled every 0.05), as the production-quality figures read it."""
    below = [p for p in curve if p["threshold"] <= threshold + 1e-9]
    return max(below, key=lambda p: p["threshold"]) if below else None
