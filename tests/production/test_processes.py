"""The deployment's processes, run for real: what compose.yaml starts, without Docker.

On PostgreSQL (a database of its own on the suite's server, dropped afterwards) and Redis (the
broker on database 11, production's derived cache on 12, both emptied before and after;
STEWARD_E2E_REDIS_URL picks others): `migrate`, gunicorn with config/gunicorn.conf.py, the
`default` Celery worker and beat, each with the production settings and the command compose.yaml
gives it. A signed webhook posted to gunicorn is processed by the worker; /readyz answers 200
with every check reaching its service; beat writes its schedule; the worker never imports torch;
the processes log JSON lines.

It runs once per `make test`: in the PostgreSQL pass (the SQLite pass skips it, saying so).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisCache

from analytics.tasks import HISTORY_QUEUED_KEY, REFRESH_QUEUED_KEY
from community.github.signature import signature_for
from tests.conftest import REPO_ROOT
from tests.fakes.github_server import FakeGitHub
from tests.production.test_compose import SERVICES
from tests.test_production import _free_port, documented_web_command

BROKER_URL = os.environ.get("STEWARD_E2E_REDIS_URL", "redis://127.0.0.1:6379/11")
SECRET = "e2e-webhook-secret"
OWNER = "e2e-org"
# Generous: the suite's machine may be busy. Each wait ends as soon as its condition holds.
MIGRATE_TIMEOUT = 180
WAIT_TIMEOUT = 90
HEAVY_MODULES = ("torch", "sentence_transformers", "transformers")
# `python -X importtime` writes one line per imported module: "import time: … | name".
IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)\s*$", re.M)


def _compose_command(service: str, **replace: str) -> list[str]:
    """The service's command from compose.yaml, with compose's ${…} values replaced."""
    command = [str(part) for part in SERVICES[service]["command"]]
    return [replace.get(part, part) for part in command]


def _database_url(name: str) -> str:
    database = settings.DATABASES["default"]
    credentials = quote(database["USER"] or "postgres")
    if database.get("PASSWORD"):
        credentials += ":" + quote(database["PASSWORD"])
    host = database.get("HOST") or "127.0.0.1"
    return f"postgres://{credentials}@{host}:{database.get('PORT') or 5432}/{name}"


def _admin_connection():
    database = settings.DATABASES["default"]
    connection = psycopg2.connect(
        dbname="postgres",
        user=database["USER"] or "postgres",
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or "127.0.0.1",
        port=database.get("PORT") or 5432,
    )
    connection.autocommit = True
    return connection


def _wait(condition, *, what: str, processes: list[Process], timeout: float = WAIT_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            if process.popen.poll() is not None:
                pytest.fail(f"{process.name} exited with {process.popen.returncode}:\n{process}")
        result = condition()
        if result:
            return result
        time.sleep(0.3)
    logs = "\n".join(str(process) for process in processes)
    pytest.fail(f"timed out waiting for {what}\n{logs}")


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    stdout: Path
    stderr: Path

    def output(self) -> str:
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(errors="replace")

    def json_lines(self, stream: Path) -> list[dict]:
        """The JSON log lines (importtime's lines, on the worker's stderr, are not logs)."""
        lines = stream.read_text(errors="replace").splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def __str__(self) -> str:
        lines = [line for line in self.output().splitlines() if not line.startswith("import time")]
        return f"--- {self.name} ---\n" + "\n".join(lines[-40:])


@dataclass
class Deployment:
    folder: Path
    database_url: str
    port: int
    cache: RedisCache
    processes: dict[str, Process] = field(default_factory=dict)

    def request(self, method: str, path: str, *, body: bytes = b"", headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        # As the HTTPS proxy forwards it (production redirects plain HTTP).
        sent = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", **(headers or {})}
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def query(self, sql: str, *params):
        with (
            closing(psycopg2.connect(self.database_url)) as connection,
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
            return cursor.fetchall()


def _start(name: str, command: list[str], *, env: dict[str, str], folder: Path) -> Process:
    stdout, stderr = folder / f"{name}.out", folder / f"{name}.err"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        popen = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=out, stderr=err, start_new_session=True
        )
    return Process(name=name, popen=popen, stdout=stdout, stderr=stderr)


def _stop(process: Process) -> None:
    if process.popen.poll() is not None:
        return
    os.killpg(process.popen.pid, signal.SIGTERM)
    try:
        process.popen.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.popen.pid, signal.SIGKILL)
        process.popen.wait(timeout=10)


def _empty_redis(url: str) -> None:
    redis.Redis.from_url(url).flushdb()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[Deployment]:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(
            "runs once per `make test`, in the PostgreSQL pass: it starts gunicorn, a Celery "
            "worker and beat on a PostgreSQL database of its own and Redis"
        )
    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis at {BROKER_URL} is needed (make test starts it): {error}")

    folder = tmp_path_factory.mktemp("deployment")
    name = f"steward_e2e_{uuid.uuid4().hex[:12]}"
    admin = _admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    database_url = _database_url(name)
    cache_url = re.sub(r"/(\d+)$", lambda match: f"/{int(match.group(1)) + 1}", BROKER_URL)
    for url in (BROKER_URL, cache_url):
        _empty_redis(url)

    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        # Each process derives the broker and the cache from REDIS_URL, as in production.
        if key not in ("CELERY_BROKER_URL", "CACHE_URL", "CELERY_TASK_ALWAYS_EAGER")
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "e2e-test-key-not-secret",
        "DATABASE_URL": database_url,
        "REDIS_URL": BROKER_URL,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(folder / "static"),
        "STEWARD_MODEL_STORE": str(folder / "models"),
        "STEWARD_AVATAR_CACHE_DIR": str(folder / "avatars"),
        "GITHUB_WEBHOOK_SECRET": SECRET,
        "STEWARD_TRACKED_OWNERS": OWNER,
        # Nothing may reach GitHub: a closed port.
        "GITHUB_API_URL": "http://127.0.0.1:9",
        "LOG_FORMAT": "json",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
    }
    cache = RedisCache(cache_url, {})
    site = Deployment(folder=folder, database_url=database_url, port=port, cache=cache)
    gunicorn = documented_web_command()
    gunicorn[0] = str(Path(sys.executable).with_name("gunicorn"))
    celery = [sys.executable, "-m", "celery"]
    # -X importtime: every module the worker (and its pool processes) imports is written out.
    worker = _compose_command("worker", **{"${WORKER_CONCURRENCY:-2}": "1"})
    worker = [sys.executable, "-X", "importtime", "-m", *worker]
    beat = _compose_command("beat")
    beat[beat.index("--schedule") + 1] = str(folder / "beat" / "celerybeat-schedule")
    for made in ("beat", "static"):
        (folder / made).mkdir()
    assert worker[4:6] == ["celery", "-A"] and beat[:2] == ["celery", "-A"]
    try:
        migrate = _start(
            "migrate", [sys.executable, "manage.py", "migrate", "--noinput"], env=env, folder=folder
        )
        # The processes start while the schema is written: none touches the database to start.
        site.processes = {
            "web": _start("web", gunicorn, env=env, folder=folder),
            "worker": _start("worker", worker, env=env, folder=folder),
            "beat": _start("beat", [*celery, *beat[1:]], env=env, folder=folder),
        }
        try:
            migrate.popen.wait(timeout=MIGRATE_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"migrate did not finish in {MIGRATE_TIMEOUT} s:\n{migrate}")
        assert migrate.popen.returncode == 0, str(migrate)
        yield site
    finally:
        for process in site.processes.values():
            _stop(process)
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        for url in (BROKER_URL, cache_url):
            _empty_redis(url)


def _issue_opened() -> tuple[dict, int]:
    """A GitHub-shaped `issues` `opened` payload (the fake GitHub's renderer) and its repo id."""
    with FakeGitHub() as fake:
        repo = fake.add_repo(f"{OWNER}/widgets")
        number = fake.add_issue(repo, title="Crash when the config file is empty", user="alice")
        record = repo.issues.by_id[repo.numbers[number]]
        payload = {
            "action": "opened",
            "issue": fake.render.issue(repo, record),
            "repository": fake.render.repository(repo),
            "sender": fake.render.user(fake.add_user("alice")),
        }
    return payload, repo.id


def _deliver(deployment: Deployment) -> dict:
    """One signed delivery, posted to gunicorn; returns what it answered and which ids it had."""
    payload, repository_id = _issue_opened()
    body = json.dumps(payload).encode()
    delivery_id = str(uuid.uuid4())
    status, headers, answer = deployment.request(
        "POST",
        "/webhooks/github/",
        body=body,
        headers={
            "Content-Type": "application/json",
            "X-GitHub-Event": "issues",
            "X-GitHub-Delivery": delivery_id,
            "X-Hub-Signature-256": signature_for(secret=SECRET, body=body),
            "X-Request-ID": "e2e-request-0001",
            # Never to be logged: the access log leaves headers like these out.
            "Cookie": "sessionid=cookie-that-must-not-be-logged",
            "Authorization": "Token token-that-must-not-be-logged",
        },
    )
    return {
        "status": status,
        "headers": headers,
        "answer": answer,
        "delivery_id": delivery_id,
        "repository_id": repository_id,
    }


def _check_the_worker_processes_the_delivery(deployment: Deployment, delivered: dict) -> None:
    assert delivered["status"] == 202, delivered["answer"]
    assert delivered["headers"]["X-Request-ID"] == "e2e-request-0001"

    def outcome():
        rows = deployment.query(
            "SELECT status, error FROM community_delivery WHERE delivery_id = %s",
            delivered["delivery_id"],
        )
        return rows and rows[0][0] in ("processed", "failed", "ignored") and rows[0]

    status, error = _wait(
        outcome, what="the delivery's processing", processes=list(deployment.processes.values())
    )
    assert (status, error) == ("processed", "")
    issues = deployment.query(
        "SELECT title FROM community_issue WHERE repository_id = %s", delivered["repository_id"]
    )
    assert issues == [("Crash when the config file is empty",)]


def _check_the_debounce_mark_is_shared(deployment: Deployment, delivered: dict) -> None:
    """The analytics debounce: written by the worker process, read here through another client."""
    history = HISTORY_QUEUED_KEY.format(repository_id=delivered["repository_id"])

    marked = _wait(
        lambda: deployment.cache.get(history) or deployment.cache.get(REFRESH_QUEUED_KEY),
        what="the worker's debounce mark in the Redis cache",
        processes=list(deployment.processes.values()),
    )
    assert marked is True


def _check_readiness_reaches_every_service(deployment: Deployment, delivered: dict) -> None:
    status, _, body = deployment.request("GET", "/readyz")

    assert status == 200, body
    checks = json.loads(body)["checks"]
    assert {name: check["status"] for name, check in checks.items()} == {
        "database": "ok",
        "broker": "ok",
        "cache": "ok",
        "model_store": "ok",
    }
    assert deployment.request("GET", "/healthz")[0] == 200


def _check_beat_writes_its_schedule(deployment: Deployment) -> None:
    folder = deployment.folder / "beat"

    written = _wait(
        lambda: [path.name for path in folder.iterdir() if path.stat().st_size],
        what="beat's schedule file",
        processes=list(deployment.processes.values()),
    )
    assert all(name.startswith("celerybeat-schedule") for name in written)


def _check_the_worker_never_imports_torch(deployment: Deployment, delivered: dict) -> None:
    worker = deployment.processes["worker"]
    # After the delivery was processed (the other tests waited for it): its imports are in.
    _wait(
        lambda: (
            "community.services.webhooks.handlers"
            in IMPORTED.findall(worker.stderr.read_text(errors="replace"))
        ),
        what="the worker's imports",
        processes=[worker],
    )
    imported = set(IMPORTED.findall(worker.stderr.read_text(errors="replace")))

    assert {"celery", "django", "community.tasks.webhooks"} <= imported
    assert sorted(name for name in imported if name.split(".")[0] in HEAVY_MODULES) == []


def _check_json_logs_without_secrets(deployment: Deployment, delivered: dict) -> None:
    web = deployment.processes["web"]
    access = web.json_lines(web.stdout)
    posted = [line for line in access if line.get("path") == "/webhooks/github/"]

    assert posted and posted[0]["status"] == 202
    assert posted[0]["method"] == "POST"
    assert posted[0]["request_id"] == "e2e-request-0001"
    assert posted[0]["logger"] == "gunicorn.access"
    assert "must-not-be-logged" not in web.output()
    for name, process in deployment.processes.items():
        text = [
            line
            for line in process.stderr.read_text(errors="replace").splitlines()
            if line and not line.startswith("import time")
        ]
        records = [json.loads(line) for line in text if line.startswith("{")]
        assert records, name
        assert {"timestamp", "level", "logger", "message"} <= set(records[0]), name


@pytest.mark.slow
def test_the_deployments_processes_work_together(deployment):
    """One scenario, so that the processes start once (and in one test process under xdist)."""
    delivered = _deliver(deployment)

    _check_the_worker_processes_the_delivery(deployment, delivered)
    _check_the_debounce_mark_is_shared(deployment, delivered)
    _check_readiness_reaches_every_service(deployment, delivered)
    _check_beat_writes_its_schedule(deployment)
    _check_the_worker_never_imports_torch(deployment, delivered)
    _check_json_logs_without_secrets(deployment, delivered)
