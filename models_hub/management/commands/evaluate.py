"""`manage.py evaluate MODEL@VERSION --benchmark NAME`: score a stored version on a benchmark's
stored test data and record the verified result (`models_hub.benchmarks.scoring`). VERSION is a
number (`3` or `v3`) or an alias (`champion`). The last line is JSON."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from models_hub.benchmarks.catalogue import UnknownBenchmark, benchmark_named
from models_hub.benchmarks.data import BenchmarkDataError
from models_hub.benchmarks.scoring import EvaluationError, version_benchmark_evaluate
from models_hub.models import ModelAlias, ModelVersion, RegisteredModel
from models_hub.registry.files import ArtifactError


def version_from_spec(spec: str) -> ModelVersion:
    """`name@3`, `name@v3` or `name@alias`; CommandError saying what is missing otherwise."""
    name, _, ref = spec.rpartition("@")
    if not name or not ref:
        raise CommandError(f"{spec!r}: write MODEL@VERSION (a number or an alias)")
    model = RegisteredModel.objects.filter(name=name).first()
    if model is None:
        raise CommandError(f"no registered model named {name!r}")
    number = ref[1:] if ref[:1] == "v" and ref[1:].isdigit() else ref
    if number.isdigit():
        found = model.versions.filter(version=int(number)).select_related("model").first()
    else:
        alias = ModelAlias.objects.filter(model=model, name=ref).select_related("version").first()
        found = alias.version if alias is not None else None
    if found is None:
        raise CommandError(f"{name} has no version {ref!r}")
    return found


class Command(BaseCommand):
    help = "Score a stored model version on a benchmark; record the verified result."

    def add_arguments(self, parser) -> None:
        parser.add_argument("spec", metavar="MODEL@VERSION")
        parser.add_argument("--benchmark", required=True, help="a benchmark's name")

    def handle(self, *args, spec: str, benchmark: str, **options) -> None:
        version = version_from_spec(spec)
        try:
            found = benchmark_named(benchmark)
            result = version_benchmark_evaluate(version=version, benchmark=found)
        except (UnknownBenchmark, BenchmarkDataError, EvaluationError, ArtifactError) as error:
            raise CommandError(str(error)) from error
        for subset, value in result.breakdown.get("per_subset", {}).items():
            self.stdout.write(f"{subset}: macro F1 {value:.4f}")
        self.stdout.write(
            f"{result.entry} on {found.name}: {result.value:.4f} (verified), coverage "
            f"{result.coverage:.0%}"
        )
        self.stdout.write(
            json.dumps(
                {
                    "version": f"{version.model.name}@{version.version}",
                    "benchmark": found.name,
                    "result": result.pk,
                    "value": result.value,
                    "coverage": result.coverage,
                    "breakdown": result.breakdown,
                    "dataset_sha256": result.dataset_sha256,
                    "code_version": result.code_version,
                    "command": result.command,
                }
            )
        )
