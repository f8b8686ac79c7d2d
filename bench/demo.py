"""Benchmark: `manage.py demo` at the default scale on a fresh SQLite database, then a re-run.

Migrates a throw-away SQLite file, times `manage.py demo --until 2026-01-01` (a fixed end date, so
every run writes the same community), then times it again (every row already stored: the upserts
rewrite identical rows). The target is well under 60 s for the first run. The last line is JSON:
{"bench": "demo", "scale": 1.0, "issues_and_prs": N, "rows": N, "first_run_s": …, "rerun_s": …}

    python bench/demo.py [--scale 1.0] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _manage(env: dict[str, str], *args: str) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return time.monotonic() - started, done.stdout


def _counts(summary: str) -> dict[str, int]:
    rows = re.findall(r"^\s+(community\.\w+)\s+([\d,]+)$", summary, flags=re.MULTILINE)
    return {label: int(count.replace(",", "")) for label, count in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(folder) / 'demo.sqlite3'}"}
        _manage(env, "migrate", "--noinput", "-v0")
        demo = ("demo", "--seed", str(options.seed), "--scale", str(options.scale))
        demo += ("--until", "2026-01-01", "-v0")
        first, summary = _manage(env, *demo)
        rerun, again = _manage(env, *demo)
    counts = _counts(summary)
    if counts != _counts(again):
        raise SystemExit("the re-run changed the row counts")
    print(summary)
    result = {
        "bench": "demo",
        "scale": options.scale,
        "issues_and_prs": counts["community.Issue"] + counts["community.PullRequest"],
        "rows": sum(counts.values()),
        "first_run_s": round(first, 2),
        "rerun_s": round(rerun, 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
