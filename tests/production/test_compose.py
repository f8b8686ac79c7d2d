"""compose.yaml and the Dockerfile, read as data: CI cannot run Docker, so their structure is
checked here and the same processes run directly in test_processes.py."""

from __future__ import annotations

import re
import shlex
import tomllib

import pytest
import yaml
from django.conf import settings

from tests.conftest import REPO_ROOT
from tests.production.environment import gunicorn_variables, settings_variables
from tests.test_production import documented_web_command

COMPOSE = yaml.safe_load((REPO_ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (REPO_ROOT / "Dockerfile").read_text()
DOCUMENTED = (REPO_ROOT / "docs" / "deploy.md").read_text()
STEWARD = ["migrate", "web", "worker", "worker-embeddings", "worker-embeddings-gpu", "beat"]
WORKERS = ["worker", "worker-embeddings", "worker-embeddings-gpu"]
# Variables a Steward container gets that Steward itself does not read, and why.
PROCESS_VARIABLES = {
    "DJANGO_SETTINGS_MODULE": "Django's own: which settings module",
    "CELERY_NODE": "the worker's node name, for the healthcheck's `inspect ping`",
    "CUDA_VISIBLE_DEVICES": "which GPU torch sees",
}
INTERPOLATED = re.compile(r"\$\{([A-Z][A-Z0-9_]*)")


def _command(service: str) -> list[str]:
    command = SERVICES[service]["command"]
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def _option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_every_process_of_a_deployment_is_a_service():
    assert set(SERVICES) == {"db", "redis", *STEWARD}
    assert SERVICES["db"]["image"] == "pgvector/pgvector:pg16"
    assert SERVICES["redis"]["image"].startswith("redis:")


def test_steward_services_run_the_project_image_with_production_settings():
    for name in STEWARD:
        service = SERVICES[name]
        assert service["build"]["context"] == ".", name
        assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        # The compose file names PostgreSQL and Redis itself: a developer's .env never wins.
        environment = service["environment"]
        assert environment["DATABASE_URL"].endswith("@db:5432/steward"), name
        assert environment["CELERY_BROKER_URL"] == "redis://redis:6379/0", name
        assert environment["CACHE_URL"] == "redis://redis:6379/1", name


def test_every_variable_given_to_steward_is_one_it_reads():
    read = settings_variables() | gunicorn_variables()
    for name in STEWARD:
        given = set(SERVICES[name]["environment"])
        assert given - read - set(PROCESS_VARIABLES) == set(), name


def test_every_variable_the_compose_file_asks_for_is_documented():
    asked = set(INTERPOLATED.findall((REPO_ROOT / "compose.yaml").read_text()))
    assert asked >= {"SECRET_KEY", "POSTGRES_PASSWORD", "ALLOWED_HOSTS"}
    for variable in asked:
        assert f"| `{variable}` |" in DOCUMENTED, variable


def test_processes_start_after_their_dependencies():
    assert SERVICES["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert SERVICES["migrate"]["restart"] == "no"
    for name in ["web", "beat", *WORKERS]:
        depends_on = SERVICES[name]["depends_on"]
        assert depends_on["db"] == {"condition": "service_healthy"}, name
        assert depends_on["redis"] == {"condition": "service_healthy"}, name
        assert depends_on["migrate"] == {"condition": "service_completed_successfully"}, name
    for name in ("db", "redis"):
        assert SERVICES[name]["healthcheck"]["test"], name


def test_migrate_is_the_documented_one_off():
    assert _command("migrate") == ["python", "manage.py", "migrate", "--noinput"]


def test_web_runs_the_documented_gunicorn_command_and_is_checked_on_healthz():
    command = _command("web")
    assert command == documented_web_command()
    assert _option(command, "-c") == "config/gunicorn.conf.py"
    assert (REPO_ROOT / "config" / "gunicorn.conf.py").is_file()
    healthcheck = " ".join(SERVICES["web"]["healthcheck"]["test"])
    assert f"127.0.0.1:{SERVICES['web']['environment']['PORT']}/healthz" in healthcheck
    # Only the proxy beside it may reach gunicorn: it trusts the proxy's X-Forwarded-* headers.
    assert SERVICES["web"]["ports"] == ["127.0.0.1:${WEB_PORT:-8000}:8000"]


def test_workers_consume_every_routed_queue_and_the_default_one():
    consumed = {_option(_command(name), "-Q") for name in WORKERS}
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert consumed == routed | {settings.CELERY_TASK_DEFAULT_QUEUE}
    for name in WORKERS:
        command = _command(name)
        assert command[:4] == ["celery", "-A", "config", "worker"], name
        assert _option(command, "--prefetch-multiplier") == "1", name
        assert "inspect ping" in " ".join(SERVICES[name]["healthcheck"]["test"]), name


def test_the_embeddings_workers_take_one_task_at_a_time():
    for name in ("worker-embeddings", "worker-embeddings-gpu"):
        command = _command(name)
        assert _option(command, "-Q") == "embeddings"
        assert _option(command, "--concurrency") == "1"


def test_only_the_gpu_embeddings_worker_reserves_a_gpu_and_only_when_asked():
    gpu = SERVICES["worker-embeddings-gpu"]
    devices = gpu["deploy"]["resources"]["reservations"]["devices"]
    assert devices == [{"driver": "nvidia", "count": "all", "capabilities": ["gpu"]}]
    assert gpu["environment"]["CUDA_VISIBLE_DEVICES"] == "0"
    # A machine without GPUs starts everything else: the GPU worker is behind a profile.
    assert gpu["profiles"] == ["gpu"]
    assert "TORCH_INDEX_URL" in gpu["build"]["args"]
    for name in set(STEWARD) - {"worker-embeddings-gpu"}:
        assert "deploy" not in SERVICES[name], name
        assert "profiles" not in SERVICES[name], name


def test_one_beat_with_its_schedule_on_a_volume():
    beats = [name for name in STEWARD if "beat" in _command(name)]
    assert beats == ["beat"]
    schedule = _option(_command("beat"), "--schedule")
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in SERVICES["beat"]["volumes"]}
    assert schedule.rsplit("/", 1)[0] in mounts
    assert mounts[schedule.rsplit("/", 1)[0]] in COMPOSE["volumes"]


@pytest.mark.parametrize("name", ["web", *WORKERS])
def test_web_and_workers_share_the_model_store(name):
    store = SERVICES[name]["environment"]["STEWARD_MODEL_STORE"]
    assert f"models:{store}" in SERVICES[name]["volumes"]


def test_the_image_installs_cpu_torch_first_then_the_project_as_a_user():
    ml = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["ml"]
    torch = next(requirement for requirement in ml if requirement.startswith("torch=="))
    assert DOCKERFILE.startswith("# ") and "\nFROM python:3.11-slim\n" in DOCKERFILE
    assert "ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu" in DOCKERFILE
    torch_install = DOCKERFILE.index(f'--index-url "$TORCH_INDEX_URL" {torch}')
    project_install = DOCKERFILE.index('pip install ".[ml]"')
    assert torch_install < project_install
    assert "collectstatic --noinput" in DOCKERFILE
    users = re.findall(r"^USER (\S+)$", DOCKERFILE, re.M)
    assert users == ["steward"]
    assert re.search(r'^CMD \["gunicorn", "-c", "config/gunicorn.conf.py"', DOCKERFILE, re.M)


def test_the_image_leaves_secrets_and_local_state_out():
    ignored = set((REPO_ROOT / ".dockerignore").read_text().split())
    assert {".env", ".git", ".venv", "var", "db.sqlite3", "staticfiles"} <= ignored
