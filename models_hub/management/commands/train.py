"""`manage.py train triage-labels`: train label classifiers now, in this process.

    train triage-labels --repo OWNER/NAME [--method M] [--no-promote]
        the repository's classifier from its labelled issues and feedback, registered as a new
        version and offered to the champion gate (`retrain.label_classifier_retrain`)
    train triage-labels --benchmark NAME [--subset S]... [--method M] [--seed N] [--folds K]
                        [--no-promote] [--queue]
        one classifier per benchmark subset as its protocol says, each a version with its
        verified result, plus the run's headline on the leaderboard
        (`models_hub.benchmarks.training`); --queue runs it on the embeddings worker instead

Deterministic: the same data and seed give the same versions. Progress goes to stderr; the
last line of stdout is JSON.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from community.models import Repository
from models_hub.benchmarks.catalogue import UnknownBenchmark, benchmark_named
from models_hub.benchmarks.data import BenchmarkDataError
from models_hub.benchmarks.scoring import EvaluationError
from models_hub.models import TrainedVia
from models_hub.registry.files import ArtifactError
from models_hub.training.labels import METHODS

WHAT = ("triage-labels",)


class Command(BaseCommand):
    help = "Train label classifiers for a repository or on a benchmark."

    def add_arguments(self, parser) -> None:
        parser.add_argument("what", choices=WHAT, help="what to train")
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--repo", help="a tracked repository, OWNER/NAME")
        where.add_argument("--benchmark", help="a benchmark's name, e.g. nlbse2024")
        parser.add_argument(
            "--subset",
            action="append",
            default=[],
            help="with --benchmark: only this subset (repeatable; default: every one loaded)",
        )
        parser.add_argument("--method", choices=METHODS, help="default: the configured one")
        parser.add_argument("--seed", type=int, default=None, help="folds and tuning (default 0)")
        parser.add_argument("--folds", type=int, default=5, help="calibration folds (default 5)")
        parser.add_argument(
            "--no-promote", action="store_true", help="register without offering to the gate"
        )
        parser.add_argument(
            "--queue", action="store_true", help="with --benchmark: run on the embeddings worker"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, repo, benchmark, **options) -> None:
        if repo:
            if options["subset"] or options["queue"]:
                raise CommandError("--subset and --queue go with --benchmark")
            summary = self._repository(repo, **options)
        else:
            summary = self._benchmark(benchmark, **options)
        self.stdout.write(json.dumps(summary))

    def _repository(
        self, full_name: str, *, method, seed, folds, no_promote, no_progress, **_
    ) -> dict:
        from models_hub.embeddings.encoder import get_encoder
        from models_hub.training import retrain

        seed = retrain.SEED if seed is None else seed
        command = retrain.reproduce_command(
            full_name=full_name, method=method, folds=folds, seed=seed
        )
        repository = Repository.objects.filter(
            full_name__iexact=full_name, tracked=True, deleted_at__isnull=True
        ).first()
        if repository is None:
            raise CommandError(f"unknown repository {full_name}")
        with tqdm(total=1, desc=repository.full_name, disable=no_progress, file=sys.stderr) as bar:
            outcome = retrain.label_classifier_retrain(
                repository=repository,
                encoder=get_encoder(),
                activate=not no_promote,
                folds=folds,
                method=method,
                trained_via=TrainedVia.CLI,
                seed=seed,
                command=command,
            )
            bar.update(1)
        if outcome.version is None:
            self.stdout.write(f"{repository.full_name}: skipped, {outcome.reason}")
            return {"repository": repository.full_name, "skipped": outcome.reason}
        version, metrics = outcome.version, outcome.version.metrics
        self.stdout.write(
            f"{repository.full_name}: {version.model.name}@{version.version} "
            f"k-fold macro F1 {metrics.get('macro_f1')}, "
            f"{'champion' if outcome.promoted else 'not promoted'}"
        )
        return {
            "repository": repository.full_name,
            "version": f"{version.model.name}@{version.version}",
            "method": version.hyperparameters.get("method"),
            "seed": version.seed,
            "macro_f1": metrics.get("macro_f1"),
            "coverage_at_90_precision": metrics.get("coverage_at_90_precision"),
            "threshold": version.metadata.get("threshold"),
            "promoted": outcome.promoted,
            "command": version.command,
            "seconds": outcome.seconds,
        }

    def _benchmark(self, name: str, *, subset, method, seed, folds, no_promote, **options) -> dict:
        from models_hub.benchmarks.training import STEPS, benchmark_train

        try:
            benchmark = benchmark_named(name)
        except UnknownBenchmark as error:
            raise CommandError(str(error)) from error
        seed = 0 if seed is None else seed
        if options["queue"]:
            from models_hub.training.tasks import train_benchmark

            queued = train_benchmark.delay(benchmark.pk, subset, method, seed, not no_promote)
            self.stdout.write(f"queued on the embeddings worker: task {queued.id}")
            return {"benchmark": benchmark.name, "queued": queued.id}
        total = len(subset or benchmark.subsets) * len(STEPS)
        bar = tqdm(total=total, desc=name, disable=options["no_progress"], file=sys.stderr)

        started: list[str] = []

        def progress(part: str, step: str) -> None:  # a step starts: the one before is done
            bar.update(1 if started else 0)
            started.append(step)
            bar.set_postfix_str(f"{part}: {step}")

        try:
            run = benchmark_train(
                benchmark=benchmark,
                subsets=subset,
                method=method,
                seed=seed,
                folds=folds,
                promote=not no_promote,
                trained_via=TrainedVia.CLI,
                progress=progress,
            )
        except (BenchmarkDataError, EvaluationError, ArtifactError) as error:
            raise CommandError(str(error)) from error
        else:
            bar.update(1)
        finally:
            bar.close()
        summary = run.as_dict()
        for part, outcome in summary["subsets"].items():
            self.stdout.write(
                f"{part}: {outcome['version']} macro F1 {outcome['macro_f1']:.4f}, coverage "
                f"{outcome['coverage']:.0%}; {outcome['gate']}"
            )
        if run.aggregate is not None:
            self.stdout.write(f"{summary['entry']}: {summary['value']:.4f} on {benchmark.title}")
        return summary
