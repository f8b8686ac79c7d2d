"""Duplicate search gives the same neighbours with numpy and with pgvector (HNSW) on a fixed set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from models_hub.embeddings.search import embeddings_nearest, vector_search_backend
from models_hub.models import EmbeddingKind
from tests.models_hub.scenarios import vectors as vector_scenario

pytestmark = pytest.mark.django_db
REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def fixed_set() -> None:
    vector_scenario.build_fixed_set()


@pytest.fixture(scope="module")
def pgvector_run(pgvector_database_url) -> dict:
    """The scenario run by a separate process against a real PostgreSQL with pgvector."""
    env = {**os.environ, "DATABASE_URL": pgvector_database_url}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    done = subprocess.run(
        [sys.executable, "-m", "tests.models_hub.scenarios.vectors"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_numpy_ranks_by_cosine_exactly(fixed_set):
    vectors = vector_scenario.fixed_vectors()
    found = embeddings_nearest(
        vector=vectors[0], model_id=vector_scenario.MODEL_ID, limit=5, backend="numpy"
    )

    expected = np.argsort(-(vectors @ vectors[0]))[:5]
    assert [n.object_id - vector_scenario.REPOSITORY_ID - 100 for n in found] == list(expected)
    assert found[0].kind == EmbeddingKind.ISSUE and found[0].score == pytest.approx(1.0, abs=1e-6)
    assert [n.score for n in found] == sorted((n.score for n in found), reverse=True)


def test_other_models_and_filters_are_respected(fixed_set):
    results = vector_scenario.run_queries(backend="numpy")

    other_only = embeddings_nearest(
        vector=vector_scenario.fixed_vectors()[0], model_id="test/unknown", limit=5
    )
    assert other_only == []
    assert len(results["nearest_to_issue_0"]) == 10
    assert {kind for kind, _, _ in results["nearest_to_pr_1_open_issues"]} == {"issue"}
    assert len(results["selective_filter"]) == 3


def test_pgvector_and_numpy_return_identical_neighbours(fixed_set, pgvector_run):
    numpy_results = vector_scenario.run_queries(backend="numpy")

    assert pgvector_run["backend"] == "pgvector"
    assert pgvector_run["results"].keys() == numpy_results.keys()
    for name, expected in numpy_results.items():
        got = pgvector_run["results"][name]
        assert [row[:2] for row in got] == [row[:2] for row in expected], name
        assert [row[2] for row in got] == pytest.approx([row[2] for row in expected], abs=1e-5)


def test_a_starved_filter_widens_the_index_scan_then_ranks_exactly(fixed_set, pgvector_run):
    """pgvector < 0.8 filters after the index: when the other repository's vectors fill the
    first pass, a wider pass follows, and the exact scan only when that starves too; the
    neighbours are the exact ones either way."""
    vector_scenario.build_starved_set()
    expected = vector_scenario.run_starved((10, 120), backend="numpy")["found"]

    widened, exact = pgvector_run["starved"]["(10, 120)"], pgvector_run["starved"]["(10, 20)"]
    assert len(expected) == 10
    assert {row[1] for row in expected} < {
        vector_scenario.REPOSITORY_ID + 100 + n for n in range(vector_scenario.ISSUES)
    }
    assert widened["passes"] == ["ef_search 10", "ef_search 120"]
    assert exact["passes"] == ["ef_search 10", "ef_search 20", "exact"]
    for run in (widened, exact):
        assert [row[:2] for row in run["found"]] == [row[:2] for row in expected]
        assert [row[2] for row in run["found"]] == pytest.approx([r[2] for r in expected], abs=1e-5)


def test_pgvector_query_uses_the_hnsw_index(pgvector_run):
    assert "embedding_hnsw_384" in pgvector_run["plan"]


def test_backend_follows_the_database():
    from django.db import connection

    if connection.vendor != "postgresql":
        assert vector_search_backend() == "numpy"
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
        available = cursor.fetchone() is not None
    assert vector_search_backend() == ("pgvector" if available else "numpy")
