"""Benchmark: label suggestion quality on NLBSE'24 (the issue-report classification benchmark).

5-fold stratified cross-validation per repository on ../shared/data/nlbse2024/issues_train.csv,
one classifier per repository exactly as triage trains it; reports the average per-repository
macro F1 (the benchmark's metric; published SetFit baseline 0.827, fastText 0.718) and the share
of issues that still get a label at >= 90% precision when low-confidence suggestions abstain.
The last line is JSON.

    python bench/triage_quality.py [--csv PATH] [--folds 5]
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
    args = parser.parse_args()
    if not args.csv.is_file():
        sys.exit(f"no benchmark data at {args.csv}")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from models_hub.embeddings.encoder import load_encoder
    from models_hub.triage.evaluation import label_cross_validate, labelled_issues_read

    started = time.perf_counter()
    issues = labelled_issues_read(path=args.csv)
    encoder = load_encoder()
    result = {"bench": "triage_quality", "issues": len(issues), "folds": args.folds}
    result.update(
        label_cross_validate(
            issues=issues, encode=encoder.encode, model_id=encoder.model_id, folds=args.folds
        )
    )
    result.update(setfit_baseline=0.827, seconds=round(time.perf_counter() - started, 1))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
