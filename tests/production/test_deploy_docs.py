"""docs/deploy.md lists every environment variable Steward reads: a new setting cannot go
undocumented for the people who deploy it."""

from __future__ import annotations

import re

from tests.conftest import REPO_ROOT
from tests.production.environment import (
    example_variables,
    gunicorn_variables,
    settings_variables,
)

DEPLOY = REPO_ROOT / "docs" / "deploy.md"
DOCUMENTED = re.compile(r"^\| `([A-Z][A-Z0-9_]*)` \|", re.M)


def documented() -> set[str]:
    return set(DOCUMENTED.findall(DEPLOY.read_text()))


def test_the_source_scan_finds_the_settings_variables():
    """The scan itself: a few variables every deployment sets, read in different ways."""
    assert {"SECRET_KEY", "DATABASE_URL", "GITHUB_TOKEN", "STEWARD_TRIAGE_IGNORED_LABELS"} <= (
        settings_variables()
    )
    assert {"PORT", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS"} <= gunicorn_variables()


def test_every_variable_the_settings_read_is_documented():
    assert settings_variables() - documented() == set()


def test_every_variable_gunicorn_reads_is_documented():
    assert gunicorn_variables() - documented() == set()


def test_every_variable_of_the_example_file_is_documented():
    assert example_variables() - documented() == set()


def test_the_readme_links_the_deployment_guide():
    assert "(docs/deploy.md)" in (REPO_ROOT / "README.md").read_text()
