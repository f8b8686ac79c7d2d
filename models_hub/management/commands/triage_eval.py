"""`manage.py triage_eval --train-csv PATH --eval-csv PATH`: score the label classifier.

Trains one classifier per repository on the train CSV (`repo,title,body,label`) exactly as
triage does (`--method`: the configured one, or `frozen` / `finetuned`; `--seed` for fine-tuning),
scores the eval CSV through the same evaluation path as benchmarks and production
(`models_hub.training.evaluation`), and prints per-repository macro F1 and their average. The
last line is JSON. To keep the result, load the CSVs as a benchmark (`manage.py benchmark_load`)
and train on it (`manage.py train triage-labels --benchmark`).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from models_hub.training.csv_evaluation import label_eval_split, labelled_issues_read
from models_hub.training.labels import METHODS, label_method_default


class Command(BaseCommand):
    help = "Train the label classifier per repository on one CSV and score it on another."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--train-csv", type=Path, required=True)
        parser.add_argument("--eval-csv", type=Path, required=True)
        parser.add_argument("--method", choices=METHODS, help="default: the configured one")
        parser.add_argument("--seed", type=int, default=0, help="fine-tuning seed (default 0)")

    def handle(
        self, *args, train_csv: Path, eval_csv: Path, method: str | None, seed: int, **options
    ):
        from models_hub.embeddings.encoder import get_encoder

        started = time.perf_counter()
        try:
            train = labelled_issues_read(path=train_csv)
            evaluate = labelled_issues_read(path=eval_csv)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        encoder = get_encoder()
        method = method or label_method_default()
        result = label_eval_split(
            train=train,
            evaluate=evaluate,
            encode=encoder.encode,
            model_id=encoder.model_id,
            method=method,
            encoder=encoder,
            seed=seed,
        )
        if not result["per_repository_macro_f1"]:
            raise CommandError("no repository appears in both CSVs")
        result.update(
            train_issues=len(train),
            eval_issues=len(evaluate),
            embedding_model=encoder.model_id,
            method=method,
            seed=seed,
            seconds=round(time.perf_counter() - started, 1),
            load_average=round(os.getloadavg()[0], 2),  # timings are only comparable at equal load
        )
        for repo, score in result["per_repository_macro_f1"].items():
            self.stdout.write(f"{repo}: macro F1 {score:.4f}")
        self.stdout.write(json.dumps(result))
