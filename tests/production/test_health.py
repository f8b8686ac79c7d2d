"""/healthz and /readyz: what a load balancer and an orchestrator ask every few seconds."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.urls import reverse

from config.health import PROBES, READINESS_CHECKS
from tests.production.fresh_python import python_json

pytestmark = pytest.mark.django_db

SECRET_PASSWORD = "hunter2-not-for-probes"
# A Redis that does not listen: port 1 refuses connections at once.
UNREACHABLE_BROKER = f"redis://:{SECRET_PASSWORD}@127.0.0.1:1/0"


def _models_storage(location) -> dict:
    return {
        **settings.STORAGES,
        "models": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }


def test_the_url_conf_names_both_probes():
    assert set(PROBES) == {reverse("healthz"), reverse("readyz")}


def test_liveness_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert "sessionid" not in response.cookies


def test_readiness_lists_every_check_and_answers_200(client, settings, tmp_path):
    settings.STORAGES = _models_storage(tmp_path / "models")

    response = client.get("/readyz")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == set(READINESS_CHECKS)
    assert set(READINESS_CHECKS) == {"database", "broker", "cache", "model_store"}
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["model_store"]["status"] == "ok"
    # The test settings run tasks in-process and keep the cache in memory: nothing to reach.
    assert body["checks"]["broker"] == {
        "status": "skipped",
        "detail": "no broker: tasks run inside the web process",
    }
    assert body["checks"]["cache"]["status"] == "skipped"


def test_an_unreachable_broker_makes_the_process_unready_without_showing_its_url(
    client, settings, tmp_path
):
    settings.STORAGES = _models_storage(tmp_path / "models")
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER
    settings.CELERY_TASK_ALWAYS_EAGER = False

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["broker"]["status"] == "fail"
    assert body["checks"]["database"]["status"] == "ok"
    assert SECRET_PASSWORD not in response.content.decode()
    assert "127.0.0.1:1" not in response.content.decode()


def test_a_model_store_that_is_not_a_folder_makes_the_process_unready(client, settings, tmp_path):
    not_a_folder = tmp_path / "models"
    not_a_folder.write_text("a file where the model folder should be")
    settings.STORAGES = _models_storage(not_a_folder / "store")

    response = client.get("/readyz")

    assert response.status_code == 503
    failed = {"status": "fail", "error": "PermissionError"}
    assert response.json()["checks"]["model_store"] == failed


def test_a_model_store_not_created_yet_is_ready(client, settings, tmp_path):
    """The folder is created with the first stored file: a fresh install is ready."""
    settings.STORAGES = _models_storage(tmp_path / "not" / "yet" / "models")

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["model_store"]["status"] == "ok"


def test_probes_answer_any_host_over_plain_http(client, settings):
    """Probes call the container's own address over HTTP; pages stay behind both checks."""
    settings.ALLOWED_HOSTS = ["steward.example.org"]
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400
    assert client.get("/", HTTP_HOST="steward.example.org").status_code == 301


def test_probes_answer_anonymous_get_and_head_only(client, settings, tmp_path):
    settings.STORAGES = _models_storage(tmp_path / "models")

    assert client.head("/healthz").status_code == 200
    assert client.head("/readyz").status_code == 200
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


def test_a_database_that_is_down_makes_the_process_unready_without_showing_its_url(tmp_path):
    """Production settings, a PostgreSQL that does not listen (its password in the URL)."""
    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/readyz')\n"
        "print(json.dumps({'status': response.status_code, 'body': response.content.decode()}))\n"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "probe-test-key-not-secret",
        "DATABASE_URL": f"postgres://steward:{SECRET_PASSWORD}@127.0.0.1:1/steward",
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
        "CACHE_URL": "",
        "STEWARD_MODEL_STORE": str(tmp_path / "models"),
        "LOG_FORMAT": "json",
    }

    answer, stderr = python_json(script, env=env)

    assert answer["status"] == 503
    body = json.loads(answer["body"])
    assert body["checks"]["database"] == {"status": "fail", "error": "OperationalError"}
    assert SECRET_PASSWORD not in answer["body"]
    # The reason is logged for the operator, as one JSON line.
    failure = [json.loads(line) for line in stderr.splitlines() if "readiness" in line]
    assert failure and failure[0]["level"] == "WARNING"
    assert failure[0]["message"] == "readiness check database failed"
