"""Project-wide fixtures. Area-specific fixtures live in tests/<area>/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
# Shared reference data (real webhook payloads, REST recordings, NLBSE'24), beside the project.
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("shared reference data is not beside the project")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: the API throttles count requests there (per client
    address), and a budget spent by earlier tests would answer 429 to later ones."""
    from django.core.cache import cache

    cache.clear()


def pytest_collection_modifyitems(config, items):
    """`postgres`-marked tests run only when the suite runs on PostgreSQL."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://…)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
