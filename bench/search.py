"""Search at scale: full-text and semantic search over N issues + pull requests on PostgreSQL,
p95 per query, beside the naive way in the same run. Last line: one JSON object.

The rows are generated in SQL (bench/search_corpus.py: `INSERT … SELECT generate_series`) in
a database of the benchmark's own (created, migrated, dropped afterwards unless --keep): 70%
issues, 30% pull requests in 50 repositories (5 private), titles like the demo's ("Renderer
becomes very slow when the window is resized"), bodies of 40-80 words drawn from a 3,000-word
vocabulary with a Zipf-like skew, and one 384-d embedding per item in 2,000 clusters (mirrored
for pgvector, HNSW index built after the load). The searches run as an anonymous visitor
(private repositories filtered), through the same code as /search/:

- full text: `search_everything(semantic=False)` and the first page of 25 results loaded and
  highlighted, for 24 queries of 1-3 words (rare to common words, word order free);
- semantic: `semantic_ranked` with the query's vector cached (as a repeat or a page change finds
  it; the encoder's own time is measured apart, on the real model, when it is installed);
- naive full text: what the issue lists did before, `title/body icontains` the whole query over
  the visible issues and pull requests, newest 25 (6 queries: each is a full scan);
- naive semantic: the same pgvector query with the index off (exact scan), which also gives the
  HNSW result's recall@10.

    python bench/search.py [--size 1000000] [--vectors N] [--repeat 3] [--keep]
                           [--database-url postgres://…] [--reuse FOLDER]

--keep leaves the throwaway server's folder (printed) with the database in it; --reuse FOLDER
times the searches again on that database without building it (building a million items and
their HNSW index is most of the run).

Last run (2 vCPUs, nothing else running; 1,000,000 items, every one with an embedding; the
server's shared_buffers 5 GB, a quarter of the machine's memory; 7.5 minutes in all, 6.6 of them
building, 3.8 of those the HNSW index): full text p50 36 ms, p95 47 ms, against the naive scan's
p50 1.7 s, p95 2.3 s (which also misses every query whose words are not adjacent in that
order); semantic (HNSW) p50 8 ms, p95 16 ms, recall@10 0.93, against the exact scan's p50 362 ms.
Goal met: p95 under 100 ms for both. With PostgreSQL's default shared_buffers (128 MB), the same
run gave full text p95 106 ms (a common word whose matches are all in private repositories read
35,000 table pages through the operating system's cache: ~150 ms) and semantic p95 30 ms.
Before the vector search widened a starved scan (queries near a private repository's cluster:
every HNSW candidate filtered away), those queries counted every candidate and scanned them
all: semantic p95 360 ms.

PostgreSQL with pgvector is needed for the semantic part: by default a throwaway PostgreSQL 16 +
pgvector (the `pgserver` package, a dev dependency) is started in a temporary folder;
--database-url uses a server of your own (semantic search is then skipped unless it offers the
`vector` extension: the numpy fallback is for small installs, not for a million vectors).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATABASE = "steward_bench_search"
GOAL_P95_MS = 100
# A quarter of this machine's memory, at most 8 GB: the usual PostgreSQL sizing (docs/deploy.md).
SHARED_BUFFERS = (
    f"{max(1, min(8, os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') // 4 // 2**30))}GB"
)
QUERIES = (
    "renderer slow", "slow renderer", "font cache leaks memory", "memory leak", "hangs forever",
    "grid widget padding", "theme loader exception", "corrupted file", "emoji", "worker thread",
    "plugin registered twice", "overlapping borders", "shell completion", "watch mode hangs",
    "layout engine", "config BOM", "python 3.13", "svg export nothing", "terminal width zero",
    "migration guide", "event loop", "async backend slow", "table widget rows", "resized window",
)  # fmt: skip
NAIVE_QUERIES = QUERIES[:6]


def _configure(args: argparse.Namespace) -> object | None:
    """Point Django at the server; returns the pgserver handle to stop, if one was started."""
    sys.path.insert(0, str(REPO_ROOT))
    server = None
    if args.database_url:
        os.environ["DATABASE_URL"] = f"{args.database_url.rstrip('/')}/{DATABASE}"
    else:
        import logging
        import urllib.parse

        import pgserver

        logging.getLogger("pgserver").setLevel(logging.WARNING)
        # The server's folder goes with it, unless the database is to be kept or reused.
        cleanup = "stop" if args.keep or args.reuse else "delete"
        folder = args.reuse or tempfile.mkdtemp(prefix="bench-search-")
        # shared_buffers sized as docs/deploy.md advises (PostgreSQL's default, 128 MB, cannot
        # hold the pages a search visits); the setting takes a restart.
        server = pgserver.get_server(folder, cleanup_mode="stop")
        if server.psql("SHOW shared_buffers").split()[2] != SHARED_BUFFERS:
            server.psql(f"ALTER SYSTEM SET shared_buffers = '{SHARED_BUFFERS}'")
        server.cleanup()
        server = pgserver.get_server(folder, cleanup_mode=cleanup)
        print(f"server folder: {folder}", flush=True)
        socket_dir = urllib.parse.parse_qs(urllib.parse.urlparse(server.get_uri()).query)["host"]
        os.environ["DATABASE_URL"] = f"postgres://postgres@/{DATABASE}?host={socket_dir[0]}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    # The query vectors are cached before timing (no encoder runs); without a broker the search
    # path would otherwise decline meaning search in-process, as the web process does.
    os.environ.setdefault("STEWARD_SEARCH_ENCODE_IN_PROCESS", "true")
    import django

    django.setup()
    return server


def _setting(name: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def _percentiles(timings_ms: list[float]) -> dict:
    from bench.harness import percentiles

    return {**percentiles(timings_ms), "n": len(timings_ms)}


def _time_fulltext(queries, repeat: int) -> tuple[dict, float]:
    from django.contrib.auth.models import AnonymousUser

    from community.search.service import SearchFilters, search_everything

    for text in queries:  # warm-up, untimed: a server in use has its index pages in memory
        search_everything(user=AnonymousUser(), text=text, filters=SearchFilters(), semantic=False)
    timings, found = [], []
    for _ in range(repeat):
        for text in queries:
            start = time.perf_counter()
            results = search_everything(
                user=AnonymousUser(), text=text, filters=SearchFilters(), semantic=False
            )
            page = results.ranked[:25]
            timings.append((time.perf_counter() - start) * 1000)
            found.append(len(page))
    return _percentiles(timings), statistics.mean(found)


def _time_naive_fulltext(queries) -> tuple[dict, float]:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Q

    from community.selectors.visibility import issues_visible_to, pull_requests_visible_to

    timings, found = [], []
    for text in queries:
        start = time.perf_counter()
        rows = 0
        for visible in (issues_visible_to, pull_requests_visible_to):
            matched = visible(user=AnonymousUser()).filter(
                Q(title__icontains=text) | Q(body__icontains=text)
            )
            rows += len(list(matched.order_by("-created_at")[:25]))
        timings.append((time.perf_counter() - start) * 1000)
        found.append(rows)
    return _percentiles(timings), statistics.mean(found)


def _query_vectors(centres, count: int, seed: int = 5):
    import numpy as np

    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(centres), size=count)
    vectors = centres[picks] + (rng.random((count, centres.shape[1])) - 0.5) * 0.12
    return vectors.astype(np.float32)


def _time_semantic(vectors, repeat: int) -> tuple[dict, dict, float]:
    """HNSW through `semantic_ranked` (cached query vectors) and the exact scan beside it."""
    import hashlib

    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.core.cache import cache

    from community.search.semantic import semantic_ranked
    from community.selectors.visibility import (
        issues_visible_to,
        pull_requests_visible_to,
        repositories_visible_to,
    )
    from models_hub.embeddings.config import embedding_model_id
    from models_hub.embeddings.search import _run, embeddings_nearest, pgvector_ranked
    from models_hub.models import Embedding

    anonymous = AnonymousUser()
    model_id = embedding_model_id()
    texts = [f"query {i}" for i in range(len(vectors))]
    for text, vector in zip(texts, vectors, strict=True):
        key = hashlib.sha256(f"{model_id}\n{text}".encode()).hexdigest()
        cache.set(f"search:query-vector:{key}", {"model_id": model_id, "vector": vector.tolist()})

    def search(text: str):
        return semantic_ranked(
            text=text,
            repositories=repositories_visible_to(user=anonymous),
            issues=issues_visible_to(user=anonymous),
            pull_requests=pull_requests_visible_to(user=anonymous),
            limit=50,
            min_similarity=settings.STEWARD_SEARCH_MIN_SIMILARITY,
        )

    for text in texts:  # warm-up, untimed, as for full text
        search(text)
    timings, exact_timings, recalls = [], [], []
    for round_ in range(repeat):
        for text in texts:
            start = time.perf_counter()
            outcome = search(text)
            timings.append((time.perf_counter() - start) * 1000)
            assert outcome.ran, outcome.note
            if round_ == 0:
                vector = vectors[texts.index(text)]
                candidates = Embedding.objects.filter(
                    repository__in=repositories_visible_to(user=anonymous), model_id=model_id
                )
                query = vector / (float((vector**2).sum()) ** 0.5)
                start = time.perf_counter()
                exact = _run(
                    pgvector_ranked(candidates, query, 10), "SET LOCAL enable_indexscan = off", []
                )
                exact_timings.append((time.perf_counter() - start) * 1000)
                best = {row[0] or row[1] for row in exact}
                # Recall of the index itself: its top 10 against the exact top 10.
                hnsw = embeddings_nearest(vector=query, candidates=candidates, limit=10)
                found = {hit.object_id for hit in hnsw}
                recalls.append(len(best & found) / max(1, len(best)))
    return _percentiles(timings), _percentiles(exact_timings), statistics.mean(recalls)


def _time_encoder(queries) -> dict | None:
    """The query encoder's own time on the real model (the embeddings worker's share)."""
    try:
        from models_hub.embeddings.encoder import get_encoder

        encoder = get_encoder(device="cpu")
    except ImportError:
        return None
    encoder.encode(["warm up"])
    timings = []
    for text in queries:
        start = time.perf_counter()
        encoder.encode([text + " (uncached)"])
        timings.append((time.perf_counter() - start) * 1000)
    return _percentiles(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="issues + pull requests")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--vectors", type=int, default=None, help="items with an embedding (default: all)"
    )
    parser.add_argument("--database-url", default="", help="a server to create the database on")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", default="", help="a kept server folder: time, do not build")
    parser.add_argument("--no-encoder", action="store_true", help="skip timing the real encoder")
    args = parser.parse_args()
    server = _configure(args)
    from bench import search_corpus as corpus
    from bench.harness import benchmark_database, existing_benchmark_database

    try:
        reused = existing_benchmark_database() if args.reuse else None
        with reused or benchmark_database(keep=args.keep):
            start = time.perf_counter()
            if args.reuse:
                built = corpus.built(size=args.size)
            else:
                vectors = args.size if args.vectors is None else min(args.vectors, args.size)
                built = corpus.build(size=args.size, vectors=vectors)
            build_seconds = time.perf_counter() - start
            print(
                f"built {args.size:,} items in {build_seconds:.0f} s: {built['seconds']}",
                flush=True,
            )
            fulltext, found = _time_fulltext(QUERIES, args.repeat)
            print(f"full text: {fulltext} ({found:.1f} results on the first page)", flush=True)
            naive, naive_found = _time_naive_fulltext(NAIVE_QUERIES)
            print(f"naive icontains: {naive} ({naive_found:.1f} results)", flush=True)
            result = {
                "benchmark": "search",
                "database": "postgresql",
                "items": args.size,
                "issues": int(args.size * (1 - corpus.PULL_SHARE)),
                "pull_requests": args.size - int(args.size * (1 - corpus.PULL_SHARE)),
                "build_seconds": round(build_seconds, 1),
                "fulltext": {**fulltext, "first_page_results": round(found, 1)},
                "fulltext_naive_icontains": {**naive, "first_page_results": round(naive_found, 1)},
                "goal_p95_ms": GOAL_P95_MS,
                # Timings on a shared machine mean little without how busy it was.
                "load_average_1m": round(os.getloadavg()[0], 1),
                "cpus": os.cpu_count(),
                "shared_buffers": _setting("shared_buffers"),
                "timed_after": "one untimed pass of the same queries",
            }
            if built["vectors"]:
                vectors = _query_vectors(built["centres"], len(QUERIES))
                semantic, exact, recall = _time_semantic(vectors, args.repeat)
                print(f"semantic (HNSW): {semantic}; exact scan: {exact}", flush=True)
                result.update(
                    {
                        "vectors": built["vectors"],
                        "semantic_hnsw": semantic,
                        "semantic_naive_exact_scan": exact,
                        "hnsw_recall_at_10": round(recall, 3),
                    }
                )
            else:
                result["semantic_skipped"] = "the server has no pgvector extension"
            if not args.no_encoder:
                result["query_encoder_cpu"] = _time_encoder(QUERIES)
            result["met"] = fulltext["p95_ms"] < GOAL_P95_MS and (
                not built["vectors"] or result["semantic_hnsw"]["p95_ms"] < GOAL_P95_MS
            )
    finally:
        if server is not None:
            from django.db import connections

            connections.close_all()
            server.cleanup()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
