"""The card's metadata (YAML front matter) as huggingface_hub's `ModelCardData`, with the
version's results as `EvalResult`s, which huggingface_hub writes as the `model-index`.

What goes into the model-index:

- the version's k-fold evaluation, computed by Steward when it was trained (macro F1,
  accuracy, coverage at 90% precision): dataset `github/<owner>/<repo>`, split `train`,
  revision = the training set's sha256, source = the repository's issues;
- for each benchmark the version has results on, one result: the verified one (Steward computed
  it from the stored weights and the stored benchmark data) when there is one, else a published
  figure for this model, else a self-reported one, the newest of its kind. One per benchmark
  because the model-index has a single `source` per (task, dataset, config, split, revision):
  two results of one benchmark would be merged under the first one's source. The card's
  evaluation section lists every result, each marked with where it comes from.

`verified` and `verify_token` are never set. On the Hub, `verified: true` means that Hugging
Face's own evaluation service computed the figure and signed it (`verifyToken`); Steward cannot
sign for Hugging Face, and the Hub shows any unsigned figure as self-reported, which is what
every figure of an uploaded card is from the Hub's side. Steward's own provenance is kept in the
figure's name (e.g. "Macro F1 (Steward-verified)") and its `source` (name and url, where a url
exists: the benchmark's page, a paper, the repository's issues).
"""

from __future__ import annotations

import re

from huggingface_hub import EvalResult, ModelCardData

from models_hub.cards.results import VersionResults, version_results
from models_hub.models import BenchmarkResult, ModelVersion, ResultSource

# A Hugging Face Hub id (`owner/name`), as opposed to a local path.
HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
KFOLD_TASK_NAME = "Issue label classification"
PROVENANCE = {
    ResultSource.VERIFIED: "Steward-verified",
    ResultSource.PUBLISHED: "published",
    ResultSource.SELF_REPORTED: "self-reported",
}


def card_data(version: ModelVersion, results: VersionResults | None = None) -> ModelCardData:
    model = version.model
    results = results if results is not None else version_results(version=version)
    evaluations = kfold_eval_results(version) + [
        benchmark_eval_result(version, r) for r in results.leading
    ]
    return ModelCardData(
        model_name=model.name,
        license=model.license or None,
        base_model=version.base_model_id if HUB_ID.match(version.base_model_id or "") else None,
        pipeline_tag=str(model.task),
        tags=["steward", *map(str, model.tags), str(model.task)],
        metrics=sorted({e.metric_type for e in evaluations}) or None,
        eval_results=_grouped(evaluations) or None,
    )


def kfold_eval_results(version: ModelVersion) -> list[EvalResult]:
    metrics = version.metrics or {}
    if not metrics.get("evaluated"):
        return []
    repository = version.model.repository
    folds = metrics["folds"]
    common = {
        "task_type": str(version.model.task),
        "task_name": KFOLD_TASK_NAME,
        "dataset_type": f"github/{repository.full_name}" if repository else "steward/training-set",
        "dataset_name": (
            f"{repository.full_name} labelled issues" if repository else "Steward training set"
        ),
        "dataset_split": "train",
        "dataset_revision": version.training_sha256 or None,
        "source_name": "Steward k-fold cross-validation at training" if repository else None,
        "source_url": f"{repository.html_url}/issues" if repository else None,
    }
    named = f"{folds}-fold cross-validation, Steward"
    wanted = (
        ("f1", "macro_f1", f"Macro F1 ({named})", {"average": "macro"}),
        ("accuracy", "accuracy", f"Accuracy ({named})", None),
        (
            "coverage_at_90_precision",
            "coverage_at_90_precision",
            f"Coverage at 90% precision ({named})",
            None,
        ),
    )
    return [
        EvalResult(
            **common,
            metric_type=metric_type,
            metric_value=metrics[key],
            metric_name=name,
            metric_args=args,
        )
        for metric_type, key, name, args in wanted
        if metrics.get(key) is not None
    ]


def benchmark_eval_result(version: ModelVersion, result: BenchmarkResult) -> EvalResult:
    benchmark = result.benchmark
    declared = result.benchmark_id == version.model.benchmark_id
    source_name, source_url = _source(result)
    return EvalResult(
        task_type=benchmark.task,
        dataset_type=benchmark.name,
        dataset_name=benchmark.dataset or benchmark.title,
        dataset_config=(version.model.benchmark_subset or None) if declared else None,
        dataset_split=benchmark.split or None,
        dataset_revision=benchmark.dataset_revision or None,
        metric_type=benchmark.metric,
        metric_value=result.value,
        metric_name=f"{benchmark.metric_name} ({PROVENANCE.get(result.source, result.source)})",
        source_name=source_name,
        source_url=source_url,
    )


def _source(result: BenchmarkResult) -> tuple[str | None, str | None]:
    if result.source == ResultSource.VERIFIED:
        url = result.benchmark.url
        return ("Steward verified evaluation", url) if url else (None, None)
    url = result.reference or result.benchmark.url
    if not url:
        return None, None
    if result.source == ResultSource.PUBLISHED:
        return "Published", url
    who = result.submitted_by.get_username() if result.submitted_by else ""
    return (f"Self-reported by {who}" if who else "Self-reported"), url


def _grouped(evaluations: list[EvalResult]) -> list[EvalResult]:
    """In model-index order: huggingface_hub writes the results of one dataset entry together
    (first appearance order), so reading the card back gives this same list."""
    order: dict[tuple, int] = {}
    for evaluation in evaluations:
        order.setdefault(evaluation.unique_identifier, len(order))
    return sorted(evaluations, key=lambda e: order[e.unique_identifier])
