"""What the page benchmarks share: timing a page through Django's test client."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager


def percentiles(timings_ms: list[float]) -> dict[str, float]:
    ordered = sorted(timings_ms)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)], 1),  # nearest rank
        "max_ms": round(ordered[-1], 1),
    }


def page_timing(client, url: str, *, repeat: int) -> dict:
    """Request `url` `repeat` times: its p50 / p95 / max server time and the SQL queries of one
    request. Exits when the page does not answer 200: a benchmark of an error page means
    nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return {**percentiles(timings), "queries": len(queries.captured_queries)}


@contextmanager
def existing_benchmark_database() -> Iterator[None]:
    """The database `benchmark_database(keep=True)` left: the test database's name, not
    migrated again, kept afterwards."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = connection.creation._get_test_db_name()
    yield


@contextmanager
def benchmark_database(*, keep: bool = False) -> Iterator[None]:
    """A database of the benchmark's own, created and migrated by Django's test-database
    machinery, and dropped afterwards unless `keep`."""
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        if not keep:
            connection.creation.destroy_test_db(original_name, verbosity=0)
