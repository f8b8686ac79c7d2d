"""Training tasks. They run on the `embeddings` queue (CELERY_TASK_ROUTES routes
`models_hub.training.*` there): they encode texts and train classifiers, torch included for
fine-tuned ones, which the web process never loads."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from models_hub.models import Benchmark, TrainedVia

# Five repositories, each cross-validated (5 folds) then trained; fine-tuned on two CPU cores
# that is about an hour, frozen a few minutes. Three hours means stuck.
BENCHMARK_TRAIN_TIME_LIMIT = 3 * 3600


@shared_task(
    name="models_hub.training.train_benchmark",
    acks_late=True,
    autoretry_for=(OperationalError,),  # a database restart; anything else is a bug to see
    retry_backoff=True,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=BENCHMARK_TRAIN_TIME_LIMIT - 120,
    time_limit=BENCHMARK_TRAIN_TIME_LIMIT,
)
def train_benchmark(
    benchmark_id: int,
    subsets: list[str] | None = None,
    method: str | None = None,
    seed: int = 0,
    promote: bool = True,
) -> dict[str, object]:
    """`benchmark_train` in the worker; safe to run twice (same data and seed: same versions,
    results updated in place)."""
    from models_hub.benchmarks.training import benchmark_train

    benchmark = Benchmark.objects.filter(pk=benchmark_id).first()
    if benchmark is None:
        return {"skipped": "unknown benchmark"}
    run = benchmark_train(
        benchmark=benchmark,
        subsets=subsets or (),
        method=method,
        seed=seed,
        promote=promote,
        trained_via=TrainedVia.WORKER,
    )
    return run.as_dict()
