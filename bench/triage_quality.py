"""Benchmark: label suggestion quality on NLBSE'24 (the issue-report classification benchmark).

5-fold stratified cross-validation per repository on ../shared/data/nlbse2024/issues_train.csv,
one classifier per repository exactly as triage trains it, scored by the evaluation path
benchmarks and production share (models_hub.training.evaluation); reports the average
per-repository macro F1 (the benchmark's metric; the published baselines, on the test split, are
in models_hub/benchmarks/definitions.py: SetFit 0.827, RoBERTa 0.792, fastText 0.718) and the
share of issues that still get a label at >= 90% precision when low-confidence suggestions
abstain. The last line is JSON. For a recorded, verified score on the test split, load the data
(`manage.py benchmark_load nlbse2024`) and run `manage.py train triage-labels --benchmark
nlbse2024`.

    python bench/triage_quality.py [--csv PATH] [--method frozen|finetuned] [--folds 5]
                                   [--repos owner/name,...] [--fold-limit N]

--repos and --fold-limit (score only the first N folds of each repository) are for quick runs
while tuning; the benchmark's figure is the default: every repository, every fold.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NLBSE_CSV = ROOT.parent / "shared" / "data" / "nlbse2024" / "issues_train.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=NLBSE_CSV)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--method", choices=("frozen", "finetuned"), default=None)
    parser.add_argument("--repos", default="", help="comma-separated owner/name (default: all)")
    parser.add_argument("--fold-limit", type=int, default=None)
    args = parser.parse_args()
    if not args.csv.is_file():
        sys.exit(f"no benchmark data at {args.csv}")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from models_hub.benchmarks.definitions import NLBSE2024
    from models_hub.embeddings.encoder import load_encoder
    from models_hub.training.csv_evaluation import label_cross_validate, labelled_issues_read
    from models_hub.training.finetune import FineTuneSettings
    from models_hub.training.labels import BEST_METHOD, METHOD_FINETUNED

    started = time.perf_counter()
    issues = labelled_issues_read(path=args.csv)
    if args.repos:
        issues = [issue for issue in issues if issue.repo in args.repos.split(",")]
    encoder = load_encoder()
    method = args.method or BEST_METHOD  # what the product trains unless configured otherwise
    result = {"bench": "triage_quality", "method": method, "issues": len(issues)}
    result.update(folds=args.folds, fold_limit=args.fold_limit, load_average=os.getloadavg()[0])
    if method == METHOD_FINETUNED:
        result["finetune"] = FineTuneSettings().as_metadata()
    result.update(
        label_cross_validate(
            issues=issues,
            encode=encoder.encode,
            model_id=encoder.model_id,
            folds=args.folds,
            method=method,
            encoder=encoder,
            fold_limit=args.fold_limit,
        )
    )
    result.update(
        published={figure.entry: figure.value for figure in NLBSE2024.published},
        seconds=round(time.perf_counter() - started, 1),
        load_average_end=os.getloadavg()[0],
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
