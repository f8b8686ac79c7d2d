"""Production's cache is Redis, shared by every process: the analytics refresh debounce ("a
rollup refresh is already queued") holds across web and worker processes, not per process."""

from __future__ import annotations

import json
import os

import pytest
import redis
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from analytics.tasks import REFRESH_DELAY_SECONDS, REFRESH_QUEUED_KEY
from tests.production.fresh_python import python_json

# Production's REDIS_URL for this test: the cache lands on the next database (the one key the
# test writes there is deleted afterwards).
TEST_REDIS = os.environ.get("STEWARD_CACHE_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")

# Imports the production settings once per environment, in a fresh interpreter, and prints what
# they decided: the cache and the broker.
SETTINGS_PROBE = """
import importlib, json, os, sys
cases = json.loads(sys.argv[1])
found = []
for variables in cases:
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "CACHE_URL"):
        os.environ.pop(name, None)
    os.environ.update(variables)
    for module in ("config.settings.production", "config.settings.base"):
        sys.modules.pop(module, None)
    production = importlib.import_module("config.settings.production")
    found.append({"cache": production.CACHES["default"], "broker": production.CELERY_BROKER_URL})
print(json.dumps(found))
"""


def production_settings(*cases: dict[str, str]) -> list[dict]:
    env = {
        "SECRET_KEY": "cache-test-key-not-secret",
        "DATABASE_URL": "postgres://steward@127.0.0.1:5432/steward",
    }
    found, _ = python_json(SETTINGS_PROBE, json.dumps(cases), env=env)
    return found


REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


def test_production_puts_the_cache_beside_the_broker_never_in_its_database():
    from_redis_url, from_broker, explicit, without_redis = production_settings(
        {"REDIS_URL": "redis://redis:6379/0"},
        {"CELERY_BROKER_URL": "redis://:secret@queues.internal:6380/3"},
        {"REDIS_URL": "redis://redis:6379/0", "CACHE_URL": "redis://cache.internal:6379/5"},
        {"CELERY_BROKER_URL": ""},
    )

    assert from_redis_url["broker"] == "redis://redis:6379/0"
    assert from_redis_url["cache"]["BACKEND"] == REDIS_BACKEND
    assert from_redis_url["cache"]["LOCATION"] == "redis://redis:6379/1"
    assert from_broker["cache"]["LOCATION"] == "redis://:secret@queues.internal:6380/4"
    assert explicit["cache"]["LOCATION"] == "redis://cache.internal:6379/5"
    # A deployment with no Redis at all (tasks in the web process) keeps each process's memory.
    assert without_redis["broker"] == ""
    assert without_redis["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


@pytest.fixture
def redis_location() -> str:
    try:
        redis.Redis.from_url(TEST_REDIS, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis at {TEST_REDIS} is needed (make test starts it): {error}")
    return TEST_REDIS


def test_two_processes_caches_on_redis_queue_one_refresh_between_them(redis_location):
    """Two cache clients with their own connections, as a web process and a worker have: the
    first to mark the refresh queues it, the other sees the mark and does not."""
    (production,) = production_settings({"REDIS_URL": redis_location})
    config = production["cache"]
    web = RedisCache(config["LOCATION"], {"OPTIONS": config.get("OPTIONS", {})})
    worker = RedisCache(config["LOCATION"], {"OPTIONS": config.get("OPTIONS", {})})
    try:
        first = web.add(REFRESH_QUEUED_KEY, True, timeout=REFRESH_DELAY_SECONDS)
        second = worker.add(REFRESH_QUEUED_KEY, True, timeout=REFRESH_DELAY_SECONDS)

        assert (first, second) == (True, False)
        assert worker.get(REFRESH_QUEUED_KEY) is True
        # The mark lapses with the debounce window: the next burst queues the next refresh.
        server = redis.Redis.from_url(config["LOCATION"])
        assert 0 < server.ttl(worker.make_key(REFRESH_QUEUED_KEY)) <= REFRESH_DELAY_SECONDS
    finally:
        web.delete(REFRESH_QUEUED_KEY)


def test_each_processes_own_memory_would_queue_one_refresh_per_process():
    """Why production needs Redis: with each process's memory, both mark and both queue."""
    web = LocMemCache("web-process", {})
    worker = LocMemCache("worker-process", {})

    first = web.add(REFRESH_QUEUED_KEY, True, timeout=REFRESH_DELAY_SECONDS)
    second = worker.add(REFRESH_QUEUED_KEY, True, timeout=REFRESH_DELAY_SECONDS)

    assert (first, second) == (True, True)
