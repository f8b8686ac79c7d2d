"""Liveness and readiness probes: `/healthz` and `/readyz`.

- `/healthz`: the process is up and answering. Touches nothing else (no database), so a slow
  database never gets healthy web processes restarted.
- `/readyz`: the process can do its work: the database answers, the Celery broker answers (when
  one is configured), the shared cache answers (when it is one), and the model store ("models"
  storage: the folder or the bucket) can be read. 200 with each check when all pass, 503 when
  one fails; a load balancer sends traffic only to ready processes.

Both are answered by `HealthCheckMiddleware`, first in MIDDLEWARE: before the host check
(probes call the container's own address, not the public host name), the HTTPS redirect (they
speak plain HTTP inside the network), sessions, sign-in and throttling. The answer names each
check and, on failure, the exception's class only: messages may carry host names or user names,
so they go to the log, never to the (unauthenticated) response.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"
BROKER_TIMEOUT_SECONDS = 3
LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
CACHE_PROBE_KEY = "steward:readyz"


class CheckSkipped(Exception):
    """Nothing to check in this configuration (the reason is the message)."""


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker() -> None:
    if not settings.CELERY_BROKER_URL or settings.CELERY_TASK_ALWAYS_EAGER:
        raise CheckSkipped("no broker: tasks run inside the web process")
    from config.celery import app

    url = settings.CELERY_BROKER_URL
    with app.connection_for_write(url, connect_timeout=BROKER_TIMEOUT_SECONDS) as connection:
        connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)


def check_cache() -> None:
    if settings.CACHES["default"]["BACKEND"] in LOCAL_CACHES:
        raise CheckSkipped("each process's own memory")
    cache.set(CACHE_PROBE_KEY, True, timeout=30)
    if cache.get(CACHE_PROBE_KEY) is not True:
        raise LookupError("the cache did not return what was just stored")


def check_model_store() -> None:
    """The model files can be read, and for a local folder written (uploads, training)."""
    from models_hub.registry.files import model_storage

    storage = model_storage()
    location = getattr(storage, "location", None)
    if location is None:  # a bucket: list its top level
        storage.listdir("")
        return
    folder = Path(location)
    # A folder that does not exist yet is created with the first stored file.
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        raise PermissionError(f"{folder} is not a folder this process may read and write")


READINESS_CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "broker": check_broker,
    "cache": check_cache,
    "model_store": check_model_store,
}


def _run(name: str, check: Callable[[], None]) -> dict[str, object]:
    started = time.perf_counter()
    try:
        check()
    except CheckSkipped as skipped:
        return {"status": "skipped", "detail": str(skipped)}
    except Exception as error:
        logger.warning("readiness check %s failed", name, exc_info=True)
        return {"status": "fail", "error": type(error).__name__}
    return {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}


def _answer(payload: dict[str, object], *, status: int) -> JsonResponse:
    response = JsonResponse(payload, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # Not a page: opened in a browser it may load and run nothing (the CSP middleware, which
    # the probes answer before, gives pages the site's policy).
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return _answer({"status": "ok"}, status=200)


@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {name: _run(name, check) for name, check in READINESS_CHECKS.items()}
    ready = all(result["status"] != "fail" for result in checks.values())
    return _answer(
        {"status": "ok" if ready else "fail", "checks": checks}, status=200 if ready else 503
    )


PROBES = {LIVENESS_PATH: healthz, READINESS_PATH: readyz}


class HealthCheckMiddleware:
    """Answers GET/HEAD of the probe paths before any other middleware (see the docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        return probe(request)
