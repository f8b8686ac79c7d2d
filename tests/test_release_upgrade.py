"""Upgrades: a database at each release's schema migrates to the current one, keeping its data,
and released migrations are never edited (a deployed database has applied them).

The migrations run in subprocesses (`manage.py migrate`) on a database of their own — a SQLite
file, or a throwaway PostgreSQL database beside the test one — so they run exactly as an
operator's upgrade does, outside the test database's transaction.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from config.releases import RELEASES, release_targets
from tests.conftest import REPO_ROOT

STEP_TIMEOUT = 300
# A row written at the release's schema, read back after the upgrade.
SEED = """
from django.db import connection
from django.db.migrations.loader import MigrationLoader
state = MigrationLoader(connection).project_state(("community", {community!r}))
Actor = state.apps.get_model("community", "Actor")
Repository = state.apps.get_model("community", "Repository")
acme = Actor.objects.create(id=4141, login="acme")
Repository.objects.create(id=4242, owner=acme, name="upgraded", full_name="acme/upgraded")
"""
CHECK = """
from community.models import Repository
print(Repository.objects.get(id=4242).full_name)
"""


@pytest.mark.parametrize("version", sorted(RELEASES))
def test_released_migrations_are_never_edited(version):
    for app, migrations in RELEASES[version].items():
        folder = Path(apps.get_app_config(app).path) / "migrations"
        for name, digest in migrations.items():
            path = folder / f"{name}.py"
            assert path.is_file(), f"{app}/{name} shipped in {version} and must stay"
            assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, (
                f"{app}/migrations/{name}.py shipped in {version}: add a new migration instead"
            )


@pytest.fixture
def upgrade_database_url(tmp_path) -> Iterator[str]:
    """An empty database of the suite's vendor, dropped afterwards."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        return
    import psycopg2

    params = connection.settings_dict
    name = f"steward_upgrade_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(
        dbname="postgres",
        user=params["USER"],
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        user = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
        yield f"postgres://{user}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def manage(database_url: str, *args: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.parametrize("version", sorted(RELEASES))
def test_a_database_at_a_release_schema_upgrades_to_the_current_one(version, upgrade_database_url):
    targets = release_targets(version)
    for app, migration in targets.items():
        manage(upgrade_database_url, "migrate", app, migration, "--noinput")
    manage(upgrade_database_url, "shell", "-c", SEED.format(community=targets["community"]))

    manage(upgrade_database_url, "migrate", "--noinput")

    plan = manage(upgrade_database_url, "showmigrations", "--plan")
    assert "[ ]" not in plan, f"unapplied after the upgrade:\n{plan}"
    assert manage(upgrade_database_url, "shell", "-c", CHECK).splitlines()[-1] == "acme/upgraded"
