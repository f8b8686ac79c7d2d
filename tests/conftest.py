"""Project-wide fixtures. Area-specific fixtures live in tests/<area>/conftest.py.

The core suite stands on the repository alone: GitHub-shaped data comes from factories in
tests/ (tests/factories.py, tests/fakes/, tests/community/webhooks/payloads.py). Real recorded
data (273 webhook payloads, REST exchanges, the NLBSE'24 results) lives beside the project, in
../shared/data, and only tests marked `conformance` read it, through the `corpus` fixture:

- STEWARD_CORPUS_DIR: where the corpus is (default ../shared/data; a path that does not exist
  hides it, which is how to run the suite as a clone without it);
- STEWARD_REQUIRE_CORPUS=1 (set by CI and by `make test` when the corpus is there): a missing
  corpus fails the conformance tests instead of skipping them.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import NoReturn

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = Path(os.environ.get("STEWARD_CORPUS_DIR") or REPO_ROOT.parent / "shared" / "data")
CORPUS_REQUIRED = os.environ.get("STEWARD_REQUIRE_CORPUS", "") not in ("", "0")


def corpus_missing(what: str) -> NoReturn:
    """Skip a conformance test whose data is absent, or fail it where the corpus is required."""
    if CORPUS_REQUIRED:
        pytest.fail(
            f"conformance: {what} not found in {CORPUS_DIR}, and STEWARD_REQUIRE_CORPUS is set",
            pytrace=False,
        )
    pytest.skip(f"conformance: {what} not found (no corpus beside this clone)")


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The real-data corpus directory (conformance tests only)."""
    if not CORPUS_DIR.is_dir():
        corpus_missing("the real-data corpus")
    return CORPUS_DIR


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: the API throttles count requests there (per client
    address), and a budget spent by earlier tests would answer 429 to later ones."""
    from django.core.cache import cache

    cache.clear()


def pytest_collection_modifyitems(config, items):
    """`postgres`-marked tests run only when the suite runs on PostgreSQL; only `conformance`
    tests may read the corpus."""
    from django.db import connection

    unmarked = [
        i.nodeid
        for i in items
        if "corpus" in getattr(i, "fixturenames", ()) and "conformance" not in i.keywords
    ]
    if unmarked:
        raise pytest.UsageError(
            "core tests must not read the corpus (mark them `conformance`, or build the data "
            "with the factories in tests/): " + ", ".join(unmarked)
        )
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://…)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


# A skip says why. pytest's own words for a skip that gave no reason:
UNNAMED_SKIPS = {"", "unconditional skip", "Skipped", "skipped"}


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr or "")
    return reason.removeprefix("Skipped: ").strip()


def _skip_reasons(config) -> Counter[str]:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    return Counter(_skip_reason(report) for report in skipped)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """After pytest's own list (`-ra`): how many tests skipped, grouped by reason."""
    reasons = _skip_reasons(config)
    if not reasons:
        return
    terminalreporter.section("skip summary")
    terminalreporter.write_line(f"{sum(reasons.values())} skipped:")
    for reason, count in reasons.most_common():
        named = reason if reason not in UNNAMED_SKIPS else f"{reason or '(none)'} -- NO REASON"
        terminalreporter.write_line(f"{count:6d}  {named}")
    if UNNAMED_SKIPS & set(reasons):
        terminalreporter.write_line(
            "A skip without a reason fails the run: give pytest.skip/skipif its reason.", red=True
        )


def pytest_sessionfinish(session, exitstatus):
    """No test skips silently: a skip without a reason fails the run."""
    if hasattr(session.config, "workerinput"):  # an xdist worker: the controller decides
        return
    reasons = _skip_reasons(session.config)
    if any(reason in UNNAMED_SKIPS for reason in reasons) and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
