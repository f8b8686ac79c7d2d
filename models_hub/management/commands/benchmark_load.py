"""`manage.py benchmark_load NAME --train-csv PATH --test-csv PATH`: check a benchmark's data
against its definition and store it (`models_hub.benchmarks.data`). The last line is JSON."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from models_hub.benchmarks.catalogue import UnknownBenchmark, benchmark_named
from models_hub.benchmarks.data import BenchmarkDataError, benchmark_data_load


class Command(BaseCommand):
    help = "Load a benchmark's train and test CSVs (repo,title,body,label) into the model store."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="the benchmark, e.g. nlbse2024")
        parser.add_argument("--train-csv", type=Path, required=True)
        parser.add_argument("--test-csv", type=Path, required=True)

    def handle(self, *args, name: str, train_csv: Path, test_csv: Path, **options) -> None:
        try:
            benchmark = benchmark_data_load(
                benchmark=benchmark_named(name), train_csv=train_csv, test_csv=test_csv
            )
        except (UnknownBenchmark, BenchmarkDataError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{benchmark.name}: {benchmark.train_rows} train and {benchmark.test_rows} test rows"
        )
        self.stdout.write(
            json.dumps(
                {
                    "benchmark": benchmark.name,
                    "train_rows": benchmark.train_rows,
                    "train_sha256": benchmark.train_sha256,
                    "test_rows": benchmark.test_rows,
                    "test_sha256": benchmark.test_sha256,
                }
            )
        )
