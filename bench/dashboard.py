"""Dashboards at scale: a full rollup of a large community, then dashboard response times.

Generates (with PostgreSQL COPY) --items issues+PRs (default 1,000,000) by --contributors people
(default 100,000) across --repositories repositories over three years, with a comment per item
and a review per PR on average, stars and releases; runs `manage.py rollup --full` in a child
process (its wall time and peak RSS are reported), then requests the repository dashboard and the
overview --requests times each (default 50) through Django's test client. The last line printed
is one JSON object; the target is p95 < 300 ms.

    python bench/dashboard.py [--items 1000000] [--contributors 100000] [--requests 50] [--keep]

Needs PostgreSQL on 127.0.0.1:5432; uses (drops and recreates) database steward_bench_dashboard.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATABASE = "steward_bench_dashboard"
PG = "postgres://postgres@127.0.0.1:5432"
YEARS = 3
CHUNK = 200_000
ID_BASE = {"actor": 1, "repo": 10_000_000, "issue": 100_000_000, "pr": 300_000_000,
           "comment": 500_000_000, "review": 800_000_000, "release": 900_000_000}  # fmt: skip


def _database_reset() -> None:
    import psycopg2

    connection = psycopg2.connect(f"{PG}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {DATABASE}")
    connection.close()


def _configure() -> None:
    sys.path.insert(0, str(REPO_ROOT))
    os.environ["DATABASE_URL"] = f"{PG}/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def _copy(model, frame) -> None:
    """COPY a DataFrame into a model's table; columns the frame lacks get the field defaults."""
    from django.db import connection

    for field in model._meta.concrete_fields:
        if field.column not in frame:
            default = field.get_default()
            frame[field.column] = (
                json.dumps(default) if isinstance(default, dict | list) else default
            )
    columns = [f.column for f in model._meta.concrete_fields]
    buffer = io.StringIO()
    frame[columns].to_csv(buffer, index=False, header=False, na_rep="\\N")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN "
            "WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )


def _people(rng, count: int, size: int):
    """Contributor ids with a long tail: a few people do most of the work."""
    return ID_BASE["actor"] + (count * rng.random(size) ** 3).astype("int64")


def _generate(*, items: int, contributors: int, repositories: int, seed: int = 11) -> None:
    import numpy as np
    import pandas as pd
    from django.utils import timezone

    from community.models import Actor, Comment, Issue, PullRequest, Release, Repository, Review

    rng = np.random.default_rng(seed)
    now = pd.Timestamp(timezone.now())
    start = now - pd.Timedelta(days=365 * YEARS)
    ids = np.arange(contributors + 5) + ID_BASE["actor"]
    logins = [f"person{i}" for i in range(contributors)] + [f"helper{i}[bot]" for i in range(5)]
    actors = pd.DataFrame({"id": ids, "login": logins, "type": "User", "is_bot": False})
    actors.loc[contributors:, ["type", "is_bot"]] = ["Bot", True]
    actors["first_seen_at"] = actors["refreshed_at"] = now
    _copy(Actor, actors)
    repo_ids = np.arange(repositories) + ID_BASE["repo"]
    _copy(Repository, pd.DataFrame({
        "id": repo_ids, "owner_id": ID_BASE["actor"], "name": [f"project{i}" for i in repo_ids],
        "full_name": [f"bench/project{i}" for i in repo_ids], "private": repo_ids % 5 == 0,
        "forks_count": rng.integers(10, 500, repositories), "created_at": start,
    }))  # fmt: skip
    span = (now - start).total_seconds()
    for kind, model, share in (("issue", Issue, 0.6), ("pr", PullRequest, 0.4)):
        total = int(items * share)
        for offset in range(0, total, CHUNK):
            n = min(CHUNK, total - offset)
            _items_chunk(rng, kind, model, offset, n, contributors, repo_ids, start, span, now)
        _activity(rng, kind, total, contributors, now, Comment, Review)
    for position, repo in enumerate(repo_ids):
        published = start + pd.to_timedelta(np.sort(rng.random(12)) * span, unit="s")
        _copy(Release, pd.DataFrame({
            "id": ID_BASE["release"] + position * 100 + np.arange(12), "repository_id": repo,
            "tag_name": [f"v{i}" for i in range(12)], "created_at": published,
            "published_at": published,
        }))  # fmt: skip
    _stars(rng, contributors, repo_ids, start, span)


def _items_chunk(rng, kind, model, offset, n, contributors, repo_ids, start, span, now) -> None:
    import numpy as np
    import pandas as pd

    created = start + pd.to_timedelta(rng.random(n) * span, unit="s")
    closes = created + pd.to_timedelta(rng.exponential(10 * 86400, n), unit="s")
    closed = (rng.random(n) < 0.8) & (closes < now)
    frame = pd.DataFrame({
        "id": ID_BASE[kind] + offset + np.arange(n),
        "repository_id": rng.choice(repo_ids, n),
        "number": offset + np.arange(n) + (1 if kind == "issue" else 10_000_000),
        "title": [f"{kind} {offset + i}" for i in range(n)],
        "author_id": _people(rng, contributors, n),
        "created_at": created,
        "updated_at": np.where(closed, closes, created),
        "closed_at": pd.Series(closes).where(closed),
        "state": np.where(closed, "closed", "open"),
    })  # fmt: skip
    if kind == "pr":
        merged = closed & (rng.random(n) < 0.7)
        frame["merged"] = merged
        frame["merged_at"] = pd.Series(closes).where(merged)
        frame["issue_id"] = frame["id"] + 100_000_000
    _copy(model, frame)


def _activity(rng, kind, total, contributors, now, comment_model, review_model) -> None:
    """One comment per item and one review per PR on average, a few hours to days later."""
    import numpy as np
    import pandas as pd
    from django.db import connection

    table = "community_issue" if kind == "issue" else "community_pullrequest"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, repository_id, created_at FROM {table}")
        items = pd.DataFrame(cursor.fetchall(), columns=["item", "repository_id", "created_at"])
    n = len(items)
    at = pd.to_datetime(items["created_at"], utc=True) + pd.to_timedelta(
        rng.exponential(30 * 3600, n), unit="s"
    )
    keep = (at < now).to_numpy()
    base = ID_BASE["comment"] + (0 if kind == "issue" else 200_000_000)
    comments = pd.DataFrame({
        "id": base + np.arange(n), "repository_id": items["repository_id"],
        "issue_id" if kind == "issue" else "pull_request_id": items["item"],
        "author_id": _people(rng, contributors, n), "created_at": at, "updated_at": at,
    })[keep]  # fmt: skip
    for offset in range(0, len(comments), CHUNK):
        _copy(comment_model, comments.iloc[offset : offset + CHUNK].copy())
    if kind == "pr":
        reviews = pd.DataFrame({
            "id": ID_BASE["review"] + np.arange(n), "pull_request_id": items["item"],
            "reviewer_id": _people(rng, contributors, n), "submitted_at": at,
            "state": rng.choice(["APPROVED", "CHANGES_REQUESTED", "COMMENTED"], n),
        })[keep]  # fmt: skip
        for offset in range(0, len(reviews), CHUNK):
            _copy(review_model, reviews.iloc[offset : offset + CHUNK].copy())


def _stars(rng, contributors, repo_ids, start, span) -> None:
    import numpy as np
    import pandas as pd

    from community.models import StarEvent

    n = contributors
    frame = pd.DataFrame({
        "id": np.arange(n) + 1, "repository_id": rng.choice(repo_ids, n),
        "actor_id": ID_BASE["actor"] + np.arange(n),
        "starred_at": start + pd.to_timedelta(rng.random(n) * span, unit="s"),
    })  # fmt: skip
    _copy(StarEvent, frame)


def _rollup() -> tuple[float, float]:
    """Run the full rollup in a child process: (seconds, peak RSS in MiB)."""
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "rollup", "--full", "--no-progress"],
        cwd=REPO_ROOT,
        check=True,
        env={**os.environ},
    )
    seconds = time.perf_counter() - began
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kib / 1024


def _timings(client, url: str, requests: int) -> list[float]:
    assert client.get(url).status_code == 200, url  # warm-up (connections, templates)
    timings = []
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    return timings


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000, help="issues + pull requests")
    parser.add_argument("--contributors", type=int, default=100_000)
    parser.add_argument("--repositories", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    _database_reset()
    _configure()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    _generate(items=args.items, contributors=args.contributors, repositories=args.repositories)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    generate_seconds = time.perf_counter() - began
    connection.close()
    rollup_seconds, peak_mib = _rollup()

    client = Client(HTTP_HOST="localhost")
    staff = get_user_model().objects.create_user("bench", is_staff=True)
    client.force_login(staff)
    repository = "/dashboards/repos/bench/project10000001/"
    pages = {"repository": repository, "overview": "/dashboards/"}
    result = {"bench": "dashboard", "items": args.items, "contributors": args.contributors,
              "repositories": args.repositories, "generate_s": round(generate_seconds, 1),
              "rollup_s": round(rollup_seconds, 1), "rollup_peak_rss_mib": round(peak_mib),
              "requests": args.requests}  # fmt: skip
    for name, url in pages.items():
        timings = _timings(client, url, args.requests)
        result[f"{name}_p50_ms"] = _percentile(timings, 0.5)
        result[f"{name}_p95_ms"] = _percentile(timings, 0.95)
    result["target_p95_ms"] = 300
    result["ok"] = max(result["repository_p95_ms"], result["overview_p95_ms"]) < 300
    connection.close()
    if not args.keep:
        _database_drop()
    print(json.dumps(result))


def _database_drop() -> None:
    import psycopg2

    connection = psycopg2.connect(f"{PG}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    connection.close()


if __name__ == "__main__":
    main()
