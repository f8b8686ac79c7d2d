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
    output = {"backend": vector_search_backend(), "results": run_queries(), "plan": index_plan()}
    sys.stdout.write(json.dumps(output) + "\n")


if __name__ == "__main__":
    main()
