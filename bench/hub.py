"""The model hub at scale: 200 models x 20 versions with benchmark results, alias histories and
production feedback; server time (p95) and SQL queries per hub page.

Builds the registry with bulk inserts in its own PostgreSQL database (created and migrated,
dropped afterwards unless --keep), then requests the hub index, a model page, a compare page and
the benchmark leaderboard through Django's test client, as anonymous and as staff. Each page is
also requested for a model with 2 versions and one with 20: its query count must not depend on
the number of versions. The naive way — one query per model for its champion and its score, one
per version for its aliases and results, as a first cut of the index would — runs in the same
process for comparison. The last line printed is one JSON object.

    python bench/hub.py [--models 200] [--versions 20] [--repeat 20]

Needs PostgreSQL on 127.0.0.1:5432 (a database steward_bench_hub is created and dropped);
--sqlite uses a temporary SQLite file instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATABASE = "steward_bench_hub"
PG = "postgres://postgres@127.0.0.1:5432"
LABELS = ("bug", "feature", "question")
GOAL_P95_MS = 200


def _configure(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(REPO_ROOT))
    if args.sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    else:
        os.environ["DATABASE_URL"] = f"{PG}/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def _metrics(rng: random.Random) -> dict:
    f1 = round(rng.uniform(0.6, 0.9), 4)
    return {
        "evaluated": True,
        "folds": 5,
        "samples": 400,
        "macro_f1": f1,
        "accuracy": round(f1 + 0.02, 4),
        "coverage_at_90_precision": round(rng.uniform(0.3, 0.8), 4),
        "threshold_at_90_precision": 0.7,
        "abstain_below": 0.7,
        "per_label": {
            label: {"precision": f1, "recall": f1, "f1": f1, "support": 130} for label in LABELS
        },
        "curve": [
            {"threshold": t / 20, "coverage": round(1 - t / 25, 4), "precision": 0.6 + t / 60}
            for t in range(21)
        ],
    }


def _build(*, models: int, versions: int, seed: int = 7) -> dict:
    """Repositories (a tenth private), models with versions, files, champion and staging aliases
    and their histories, verified results on NLBSE'24, triage results with decisions."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from community.models import Actor, Issue, Repository
    from models_hub.benchmarks.catalogue import benchmarks_ensure
    from models_hub.models import (
        AliasEvent,
        Benchmark,
        BenchmarkResult,
        FeedbackDecision,
        ModelAlias,
        ModelFile,
        ModelVersion,
        RegisteredModel,
        SuggestionFeedback,
        SuggestionKind,
        TriageResult,
        TriageSuggestion,
    )

    rng = random.Random(seed)
    now = timezone.now()
    benchmarks_ensure()
    benchmark = Benchmark.objects.get(name="nlbse2024")
    subsets = benchmark.subsets or ["a", "b", "c"]
    staff = get_user_model().objects.create_user("staff", password="pw", is_staff=True)
    org = Actor.objects.create(id=1, login="bench", type="Organization")
    repositories = Repository.objects.bulk_create(
        Repository(id=n + 1, owner=org, name=f"r{n}", full_name=f"bench/r{n}", private=n % 10 == 9)
        for n in range(20)
    )
    issues = Issue.objects.bulk_create(
        Issue(
            id=n + 1,
            repository=repositories[n % 20],
            number=n + 1,
            title=f"Issue {n}",
            state="open",
            created_at=now,
            updated_at=now,
        )
        for n in range(1000)
    )
    registered = RegisteredModel.objects.bulk_create(
        RegisteredModel(
            name=f"model-{n:03d}",
            kind="label-classifier",
            description=f"Label classifier number {n} for {LABELS}",
            license=rng.choice(["apache-2.0", "mit"]),
            tags=["steward", "triage"],
            repository=repositories[n] if n < 20 else None,
            benchmark=None if n < 20 else benchmark,
            benchmark_subset="" if n < 20 else subsets[n % len(subsets)],
        )
        for n in range(models)
    )
    rows = []
    for model in registered:
        count = 2 if model.name == "model-001" else versions
        for number in range(1, count + 1):
            rows.append(
                ModelVersion(
                    model=model,
                    version=number,
                    sha256=f"{model.pk:032x}{number:032x}",
                    base_model_id="sentence-transformers/all-MiniLM-L6-v2",
                    training_rows=400 + number,
                    training_label_counts={label: 130 for label in LABELS},
                    training_sha256="0" * 64,
                    hyperparameters={"regularisation_c": "10.0", "method": "frozen"},
                    seed=0,
                    code_version="0.1.0",
                    trained_via="schedule",
                    metrics=_metrics(rng),
                    trained_at=now - dt.timedelta(days=count - number),
                )
            )
    all_versions = ModelVersion.objects.bulk_create(rows, batch_size=2000)
    by_model: dict[int, list] = {}
    for version in all_versions:
        by_model.setdefault(version.model_id, []).append(version)
    ModelFile.objects.bulk_create(
        (
            ModelFile(
                version=version,
                path=path,
                sha256=version.sha256,
                size=size,
                storage_key=f"sha256/{version.sha256[:2]}/{version.sha256}",
            )
            for version in all_versions
            for path, size in (("model.safetensors", 400_000), ("config.json", 900))
        ),
        batch_size=2000,
    )
    aliases, events, results = [], [], []
    for model in registered:
        chain = by_model[model.pk]
        aliases.append(ModelAlias(model=model, name="champion", version=chain[-1]))
        aliases.append(ModelAlias(model=model, name="staging", version=chain[-2]))
        for previous, version in zip([None, *chain[:-1]], chain, strict=True):
            events.append(
                AliasEvent(
                    model=model,
                    alias="champion",
                    from_version=previous,
                    to_version=version,
                    actor_label="schedule",
                    reason="passed the champion gate",
                    metrics={"to": {"version": version.version}},
                )
            )
        if model.benchmark_id:  # one subset's classifier: its results are members of runs
            subset = model.benchmark_subset
            results.extend(
                BenchmarkResult(
                    benchmark=benchmark,
                    version=version,
                    entry=f"{model.name} v{version.version}",
                    source="verified",
                    value=version.metrics["macro_f1"],
                    breakdown={
                        "subset": subset,
                        "per_subset": {subset: version.metrics["macro_f1"]},
                    },
                    evaluated_at=now,
                    dataset_sha256="1" * 64,
                    command=f"python manage.py evaluate {model.name}@{version.version}",
                )
                for version in chain
            )
    # Training runs over every subset: a headline row each, its members one version per subset.
    per_subset = {}
    for model in registered:
        if model.benchmark_id:
            per_subset.setdefault(model.benchmark_subset, []).append(by_model[model.pk])
    for run in range(versions if per_subset else 0):
        members = [chains[run % len(chains)][run] for chains in per_subset.values()]
        values = {v.model.benchmark_subset: v.metrics["macro_f1"] for v in members}
        results.append(
            BenchmarkResult(
                benchmark=benchmark,
                version=None,
                entry=f"Steward run {run}",
                source="verified",
                value=round(sum(values.values()) / len(values), 4),
                breakdown={
                    "per_subset": values,
                    "members": [
                        {"subset": v.model.benchmark_subset, "version_id": v.pk} for v in members
                    ],
                    "run_key": f"run-{run}",
                },
                evaluated_at=now,
                dataset_sha256="1" * 64,
                command="python manage.py train triage-labels --benchmark nlbse2024",
            )
        )
    ModelAlias.objects.bulk_create(aliases, batch_size=2000)
    AliasEvent.objects.bulk_create(events, batch_size=2000)
    BenchmarkResult.objects.bulk_create(results, batch_size=2000)
    triage_rows = [
        TriageResult(
            repository_id=model.repository_id,
            issue=issues[(model.repository_id - 1) + 20 * k],
            is_current=False,
            text_hash="0" * 64,
            embedding_model_id="m",
            label_model=version,
        )
        for model in registered[:20]
        for version in by_model[model.pk]
        for k in range(5)
    ]
    triage_rows = TriageResult.objects.bulk_create(triage_rows, batch_size=2000)
    suggestions = TriageSuggestion.objects.bulk_create(
        (
            TriageSuggestion(result=row, kind=SuggestionKind.LABEL, value="bug", score=0.9)
            for row in triage_rows
        ),
        batch_size=2000,
    )
    SuggestionFeedback.objects.bulk_create(
        (
            SuggestionFeedback(
                suggestion=suggestion,
                issue_id=suggestion.result.issue_id,
                kind=SuggestionKind.LABEL,
                value="bug",
                decision=FeedbackDecision.ACCEPTED if n % 4 else FeedbackDecision.REJECTED,
                decided_by=staff,
                decided_at=now,
            )
            for n, suggestion in enumerate(suggestions)
        ),
        batch_size=2000,
    )
    public = next(m for m in registered[:20] if not m.repository.private and m.name != "model-001")
    return {
        "public": public.name,
        "few": "model-001",
        "versions": versions,
        "benchmark": benchmark.name,
        "subset": subsets[0],
    }


def _pages(built: dict) -> dict[str, str]:
    many, few = built["public"], built["few"]
    return {
        "index": "/models/",
        "index_search": "/models/?q=classifier&sort=downloads",
        "model_20_versions": f"/models/{many}/",
        "model_2_versions": f"/models/{few}/",
        "compare_20_versions": f"/models/{many}/compare/?a=1&b={built['versions']}",
        "compare_2_versions": f"/models/{few}/compare/?a=1&b=2",
        "leaderboard": f"/models/benchmarks/{built['benchmark']}/",
        "leaderboard_subset": f"/models/benchmarks/{built['benchmark']}/?subset={built['subset']}",
    }


def _measure(*, built: dict, repeat: int, staff: bool) -> dict[str, dict]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.harness import page_timing

    client = Client()
    if staff:
        client.force_login(get_user_model().objects.get(username="staff"))
    results = {}
    for name, url in _pages(built).items():
        results[name] = page_timing(client, url, repeat=repeat)
        who = "staff" if staff else "anon"
        print(f"{who:5} {name:22} {url:45} {results[name]}", file=sys.stderr)
    return results


def _naive_index(*, repeat: int) -> dict:
    """The index as a first cut would compute it: per model its champion and score, per
    version its aliases and results."""
    from django.db import connection

    from models_hub.models import ModelAlias, RegisteredModel

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    timings = []
    for _ in range(repeat):
        executed.clear()
        with connection.execute_wrapper(count):
            start = time.perf_counter()
            rows = []
            for model in RegisteredModel.objects.all():
                champion = ModelAlias.objects.filter(model=model, name="champion").first()
                for version in model.versions.all():
                    list(version.aliases.all())
                    list(version.benchmark_results.all())
                rows.append((model.name, champion.version.metrics.get("macro_f1")))
            timings.append((time.perf_counter() - start) * 1000)
    from bench.harness import percentiles

    return {**percentiles(timings), "queries": len(executed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=200)
    parser.add_argument("--versions", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    _configure(args)

    from django.db import connection

    from bench.harness import benchmark_database

    with benchmark_database(keep=args.keep):
        start = time.perf_counter()
        built = _build(models=args.models, versions=args.versions)
        built_s = round(time.perf_counter() - start, 1)
        anonymous = _measure(built=built, repeat=args.repeat, staff=False)
        staff = _measure(built=built, repeat=args.repeat, staff=True)
        naive = _naive_index(repeat=max(3, args.repeat // 5))
    worst = max(page["p95_ms"] for pages in (anonymous, staff) for page in pages.values())
    independent = all(
        pages[f"{kind}_20_versions"]["queries"] == pages[f"{kind}_2_versions"]["queries"]
        for pages in (anonymous, staff)
        for kind in ("model", "compare")
    )
    print(
        json.dumps(
            {
                "bench": "model_hub_pages",
                "database": connection.vendor,
                "models": args.models,
                "versions_per_model": args.versions,
                "build_s": built_s,
                "anonymous": anonymous,
                "staff": staff,
                "naive_index": naive,
                "worst_p95_ms": worst,
                "goal_p95_ms": GOAL_P95_MS,
                "p95_goal_met": worst < GOAL_P95_MS,
                "queries_independent_of_versions": independent,
            }
        )
    )


if __name__ == "__main__":
    main()
