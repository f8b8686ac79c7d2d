"""A fixed set of embeddings and queries, run on two databases to compare search backends.

`python -m tests.models_hub.scenarios.vectors` (DATABASE_URL set to a pgvector server) migrates that
database, stores the set, and prints the query results and the query plan as JSON; the test runs
the same queries in-process with numpy and compares.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

import numpy as np

REPOSITORY_ID = 7_000_001
OWNER_ID = 7_000_002
ISSUES = 40
PULL_REQUESTS = 6
DIMENSIONS = 384
MODEL_ID = "test/fixed-set"
OTHER_MODEL_ID = "test/other-model"
# The starved-filter set: the fixed set's vectors again beside a tight cluster of another
# repository's around a query far from them. Searching the fixed repository for that query, the
# HNSW index's first candidates all belong to the other repository.
STARVED_MODEL_ID = "test/starved-filter"
NEAR_REPOSITORY_ID = REPOSITORY_ID + 1
NEAR_ITEMS = 30


def fixed_vectors() -> np.ndarray:
    """Unit vectors in 6 clusters: near-duplicates inside a cluster, distinct scores throughout."""
    rng = np.random.default_rng(20240611)
    centers = rng.standard_normal((6, DIMENSIONS))
    count = ISSUES + PULL_REQUESTS
    rows = [centers[i % 6] + 0.6 * rng.standard_normal(DIMENSIONS) for i in range(count)]
    matrix = np.asarray(rows, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def build_fixed_set() -> None:
    from community.models import Actor, Issue, IssueState, PullRequest, Repository
    from models_hub.embeddings.store import VectorRow, embeddings_save
    from models_hub.models import EmbeddingKind

    created = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    owner = Actor.objects.create(id=OWNER_ID, login="fixed-owner")
    repo = Repository.objects.create(
        id=REPOSITORY_ID, owner=owner, name="fixed", full_name="fixed-owner/fixed"
    )
    vectors = fixed_vectors()
    rows = []
    for n in range(ISSUES + PULL_REQUESTS):
        is_issue = n < ISSUES
        model = Issue if is_issue else PullRequest
        kind = EmbeddingKind.ISSUE if is_issue else EmbeddingKind.PULL_REQUEST
        obj = model.objects.create(
            id=REPOSITORY_ID + 100 + n,
            repository=repo,
            number=n + 1,
            title=f"item {n}",
            state=IssueState.CLOSED if n % 3 == 0 else IssueState.OPEN,
            created_at=created,
            updated_at=created,
        )
        rows.append(VectorRow(kind, obj.id, repo.id, f"hash-{n}", vectors[n]))
    embeddings_save(rows=rows, model_id=MODEL_ID)
    # Vectors of another model, identical to the queries: they must never be returned.
    embeddings_save(rows=rows[:5], model_id=OTHER_MODEL_ID)


def near_query() -> np.ndarray:
    direction = np.random.default_rng(7).standard_normal(DIMENSIONS)
    return (direction / np.linalg.norm(direction)).astype(np.float32)


def build_starved_set() -> None:
    """Needs `build_fixed_set` first."""
    from community.models import Actor, Issue, Repository
    from models_hub.embeddings.store import VectorRow, embeddings_save
    from models_hub.models import EmbeddingKind

    created = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    near = Repository.objects.create(
        id=NEAR_REPOSITORY_ID, owner=Actor.objects.get(id=OWNER_ID), name="near",
        full_name="fixed-owner/near",
    )  # fmt: skip
    rng = np.random.default_rng(11)
    rows = [
        VectorRow(EmbeddingKind.ISSUE, REPOSITORY_ID + 100 + n, REPOSITORY_ID, f"hash-{n}", vector)
        for n, vector in enumerate(fixed_vectors()[:ISSUES])
    ]
    for n in range(NEAR_ITEMS):
        issue = Issue.objects.create(
            id=NEAR_REPOSITORY_ID + 1000 + n, repository=near, number=n + 1, title=f"near {n}",
            created_at=created, updated_at=created,
        )  # fmt: skip
        vector = near_query() + 0.05 * rng.standard_normal(DIMENSIONS)
        rows.append(VectorRow(EmbeddingKind.ISSUE, issue.id, near.id, f"near-{n}", vector))
    embeddings_save(rows=rows, model_id=STARVED_MODEL_ID)


def run_starved(steps: tuple[int, ...], backend: str | None = None) -> dict:
    """The fixed repository's 10 nearest to `near_query`, the index examining `steps`
    candidates per pass (the HNSW index is forced: the set is small enough for a sequential
    scan);
    and which passes ran."""
    from django.db import connection

    from models_hub.embeddings import search
    from models_hub.models import Embedding

    passes: list[str] = []
    run, original_steps = search._run, search.HNSW_EF_SEARCH_STEPS

    def recorded(ranked, setting, params):
        passes.append(f"ef_search {params[0]}" if params else "exact")
        return run(ranked, setting, params)

    search._run, search.HNSW_EF_SEARCH_STEPS = recorded, steps
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET enable_seqscan = off")
        found = search.embeddings_nearest(
            vector=near_query(),
            # The fixed repository's rows, by a column no other index reads.
            candidates=Embedding.objects.filter(text_hash__startswith="hash-"),
            model_id=STARVED_MODEL_ID,
            limit=10,
            backend=backend,
        )
    finally:
        search._run, search.HNSW_EF_SEARCH_STEPS = run, original_steps
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("RESET enable_seqscan")
    return {
        "passes": passes,
        "found": [[str(n.kind), n.object_id, round(n.score, 6)] for n in found],
    }


def run_queries(backend: str | None = None) -> dict[str, list[list]]:
    from models_hub.embeddings.search import embeddings_nearest
    from models_hub.models import Embedding

    vectors = fixed_vectors()
    everything = Embedding.objects.all()
    open_issues = Embedding.objects.filter(issue__state="open")
    selective = Embedding.objects.filter(issue__number__in=[2, 9, 14])
    queries = {
        "nearest_to_issue_0": (vectors[0], everything, 10),
        "nearest_to_pr_1_open_issues": (vectors[ISSUES + 1], open_issues, 8),
        "selective_filter": (vectors[3], selective, 10),
        "off_set_query": (np.roll(vectors[5], 7), everything, 12),
    }
    results = {}
    for name, (vector, candidates, limit) in queries.items():
        found = embeddings_nearest(
            vector=vector, candidates=candidates, model_id=MODEL_ID, limit=limit, backend=backend
        )
        results[name] = [[str(n.kind), n.object_id, round(n.score, 6)] for n in found]
    return results


def index_plan() -> str:
    """EXPLAIN of the pgvector query with sequential scans disabled: does it use the HNSW index?"""
    from django.db import connection, transaction

    from models_hub.embeddings.search import pgvector_ranked
    from models_hub.models import Embedding

    queryset = Embedding.objects.filter(model_id=MODEL_ID)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return pgvector_ranked(queryset, fixed_vectors()[0], 5).explain()


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    from django.core.management import call_command

    from models_hub.embeddings.search import vector_search_backend

    call_command("migrate", verbosity=0)
    build_fixed_set()
    build_starved_set()
    output = {"backend": vector_search_backend(), "results": run_queries(), "plan": index_plan()}
    # Two passes, the second finds them; both starve, the exact scan does.
    output["starved"] = {str(steps): run_starved(steps) for steps in ((10, 120), (10, 20))}
    sys.stdout.write(json.dumps(output) + "\n")


if __name__ == "__main__":
    main()
