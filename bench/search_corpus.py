"""The search benchmark's corpus (bench/search.py): N issues and pull requests generated in SQL
with one embedding each, and the same description read back from a kept database."""

from __future__ import annotations

import random
import time

REPOSITORIES = 50
PRIVATE_EVERY = 10  # every 10th repository is private
PULL_SHARE = 0.3
CLUSTERS = 2000
DIMENSIONS = 384
VOCABULARY = 3000
COMPONENTS = (
    "renderer", "SVG export", "font cache", "layout engine", "grid widget", "table widget",
    "theme loader", "color palette", "event loop", "async backend", "plugin registry",
    "init command", "build command", "watch mode", "config file loader", "shell completion",
    "progress output", "getting started guide", "theming tutorial", "migration guide",
)  # fmt: skip
SYMPTOMS = (
    "renders nothing", "leaks memory", "hangs forever", "ignores the padding option",
    "raises an exception", "writes a corrupted file", "becomes very slow",
    "draws overlapping borders",
)  # fmt: skip
TRIGGERS = (
    "the window is resized", "an empty list is passed", "the text contains emoji",
    "running on Python 3.13", "two themes are loaded at once", "the config file starts with a BOM",
    "a plugin is registered twice", "it is called from a worker thread",
    "the terminal width is zero", "a relative path is used", "the input has more than 10k rows",
    "NO_COLOR is set",
)  # fmt: skip


def _vocabulary(rng: random.Random) -> list[str]:
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    words: set[str] = set()
    while len(words) < VOCABULARY:
        syllables = rng.randint(2, 4)
        words.add("".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(syllables)))
    return sorted(words)


def _sql(cursor, statement: str, params=None) -> float:
    start = time.perf_counter()
    cursor.execute(statement, params)
    return time.perf_counter() - start


def build(*, size: int, vectors: int, seed: int = 11) -> dict:
    """Repositories, actors, issues, pull requests and embeddings, in SQL. Returns timings."""
    import numpy as np
    from django.db import connection

    from models_hub.embeddings.config import embedding_model_id
    from models_hub.embeddings.pgvector import pgvector_enabled

    rng = random.Random(seed)
    words = _vocabulary(rng)
    issues = int(size * (1 - PULL_SHARE))
    seconds: dict[str, float] = {}
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '4GB'")
        cursor.execute(
            "INSERT INTO community_actor (id, login, type, is_bot, name, avatar_url, site_admin,"
            " first_seen_at, refreshed_at) SELECT g, 'user' || g, 'User', false, '', '', false,"
            " now(), now() FROM generate_series(1, 5000) g"
        )
        cursor.execute(
            "INSERT INTO community_repository (id, owner_id, name, full_name, private, description,"
            " homepage, language, default_branch, topics, stargazers_count, forks_count,"
            " watchers_count, open_issues_count, archived, fork, tracked)"
            " SELECT g, 1, 'repo' || g, 'acme/repo' || g, g %% %s = 0, '', '', '', 'main', '[]',"
            " 0, 0, 0, 0, false, false, true FROM generate_series(1, %s) g",
            [PRIVATE_EVERY, REPOSITORIES],
        )
        # Bodies: three of 20,000 word runs (12-30 words each, Zipf-like word choice), so
        # generating a million bodies costs no more than looking up three rows.
        cursor.execute(
            "CREATE TEMP TABLE bench_run AS SELECT i, array_to_string(ARRAY("
            "  SELECT w[1 + floor(power(random(), 3) * %s)::int]"
            "  FROM generate_series(1, 12 + i %% 19) k WHERE i >= 0), ' ') AS words"
            " FROM generate_series(0, 19999) i, (SELECT %s::text[] w) a",
            [len(words), words],
        )
        cursor.execute("ALTER TABLE bench_run ADD PRIMARY KEY (i)")
        # Item g: repository g % R + 1, number g / R + 1; issues first, then pull requests.
        component = f"c[1 + (g * 7) %% {len(COMPONENTS)}]"
        symptom = f"s[1 + (g * 13 / 3) %% {len(SYMPTOMS)}]"
        trigger = f"t[1 + (g * 31 / 7) %% {len(TRIGGERS)}]"
        run = "(SELECT words FROM bench_run WHERE i = ({}) %% 20000)"
        common = (
            f"(g %% {REPOSITORIES}) + 1, (g / {REPOSITORIES}) + 1,"
            f" initcap({component}) || ' ' || {symptom} || ' when ' || {trigger},"
            f" {component} || ' ' || {symptom} || '. ' || {run.format('g * 48271')} || ' '"
            f" || {run.format('g * 69621 + 7')} || ' ' || {run.format('g * 16807 + 13')},"
            " CASE WHEN g %% 3 = 0 THEN 'closed' ELSE 'open' END, '', 1 + g %% 5000, '', 0, '{}',"
            " 0, false, '', now() - (%s - g) * interval '1 minute',"
            " now() - (%s - g) * interval '1 minute' + interval '1 hour', NULL, NULL, NULL"
        )
        columns = (
            "id, repository_id, number, title, body, state, state_reason, author_id,"
            " author_association, comments_count, reactions, reactions_total, locked,"
            " active_lock_reason, created_at, updated_at, closed_at, closed_by_id, milestone_id"
        )
        arrays = "(SELECT %s::text[] c, %s::text[] s, %s::text[] t) a"
        lists = [list(COMPONENTS), list(SYMPTOMS), list(TRIGGERS)]
        seconds["issues"] = _sql(
            cursor,
            f"INSERT INTO community_issue ({columns}, deleted_at, pinned)"
            f" SELECT g + 1, {common}, NULL, false"
            f" FROM generate_series(0::bigint, %s - 1) g, {arrays}",
            [size, size, issues, *lists],
        )
        seconds["pull_requests"] = _sql(
            cursor,
            f"INSERT INTO community_pullrequest ({columns}, deleted_at, issue_id, draft, merged,"
            " merged_at, merged_by_id, merge_commit_sha, base_ref, head_ref, head_sha, additions,"
            " deletions, changed_files, commits_count, review_comments_count)"
            f" SELECT g + 1, {common}, NULL, NULL, false, g %% 3 = 0, NULL, NULL, '', 'main',"
            " 'topic', '', 10, 2, 1, 1, 0"
            f" FROM generate_series(%s::bigint, %s - 1) g, {arrays}",
            [size, size, issues, size, *lists],
        )
        if not pgvector_enabled():
            seconds["vacuum_analyze"] = _sql(cursor, "VACUUM ANALYZE")
            return {"seconds": seconds, "vectors": 0, "words": words}
        centres = np.random.default_rng(seed).standard_normal((CLUSTERS, DIMENSIONS))
        centres /= np.linalg.norm(centres, axis=1, keepdims=True)
        cursor.execute("CREATE TEMP TABLE bench_centre (i int PRIMARY KEY, v vector)")
        cursor.executemany(
            "INSERT INTO bench_centre VALUES (%s, %s::vector)",
            [(i, "[" + ",".join(f"{x:.6f}" for x in row) + "]") for i, row in enumerate(centres)],
        )
        cursor.execute("DROP INDEX IF EXISTS models_hub_embedding_hnsw_384")
        noise = (
            "(SELECT array_agg((random() - 0.5) * 0.12)::vector"
            f" FROM generate_series(1, {DIMENSIONS}) k WHERE g >= 0)"
        )
        fill = (
            "INSERT INTO models_hub_embedding (repository_id, {fk}, model_id, dimensions,"
            " text_hash, vector, created_at, updated_at, vector_pg)"
            f" SELECT (g %% {REPOSITORIES}) + 1, g + 1, %s, {DIMENSIONS}, '', '', now(), now(),"
            f" bench_centre.v + {noise}"
            " FROM generate_series(%s::bigint, %s - 1) g JOIN bench_centre"
            f" ON bench_centre.i = (g * 7919) %% {CLUSTERS}"
        )
        model_id = embedding_model_id()
        # The newest `vectors` items (all by default) have an embedding.
        first = size - vectors
        seconds["embeddings"] = _sql(
            cursor, fill.format(fk="issue_id"), [model_id, min(first, issues), issues]
        ) + _sql(cursor, fill.format(fk="pull_request_id"), [model_id, max(first, issues), size])
        cursor.execute("SET max_parallel_maintenance_workers = 2")
        seconds["hnsw_index"] = _sql(
            cursor,
            "CREATE INDEX models_hub_embedding_hnsw_384 ON models_hub_embedding USING hnsw"
            f' (("vector_pg"::vector({DIMENSIONS})) vector_cosine_ops)'
            f" WHERE dimensions = {DIMENSIONS}",
        )
        seconds["vacuum_analyze"] = _sql(cursor, "VACUUM ANALYZE")
    return {"seconds": seconds, "vectors": vectors, "centres": centres, "words": words}


def built(*, size: int, seed: int = 11) -> dict:
    """What `build` returns, read back from a kept database (--reuse)."""
    import numpy as np
    from django.db import connection

    from community.models import Issue, PullRequest
    from models_hub.models import Embedding

    items = Issue.objects.count() + PullRequest.objects.count()
    if items != size:
        raise SystemExit(f"the kept database holds {items:,} items, not --size {size:,}")
    vectors = Embedding.objects.count() if connection.vendor == "postgresql" else 0
    centres = np.random.default_rng(seed).standard_normal((CLUSTERS, DIMENSIONS))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    return {"seconds": {}, "vectors": vectors, "centres": centres}
