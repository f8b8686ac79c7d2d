"""Concurrency and a real Celery worker, on PostgreSQL with committed rows (transactional tests)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from kombu import pools as kombu_pools

from community.models import Delivery, DeliveryStatus, Issue
from community.services.webhooks import deliveries_sweep, delivery_process
from config.celery import app as celery_app
from tests.community.webhooks.conftest import URL, signed_headers

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REPO_ROOT = Path(__file__).resolve().parents[3]
TEST_BROKER = "redis://127.0.0.1:6379/5"
UNREACHABLE_BROKER = "redis://127.0.0.1:1/5"


def _run_together(count: int, work) -> list:
    """Start `count` threads at the same instant; each gets its own database connection."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_same_delivery_posted_five_times_concurrently_is_applied_once(webhook_payload):
    payload = webhook_payload("issues", "opened")
    body = json.dumps(payload).encode()
    headers = signed_headers(body, event="issues", delivery_id="5-times-the-same")

    responses = _run_together(
        5,
        lambda i: Client().post(URL, data=body, content_type="application/json", **headers),
    )

    assert sorted(r.status_code for r in responses) == [200, 200, 200, 200, 202]
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PROCESSED and delivery.attempts == 1
    assert Issue.objects.filter(pk=payload["issue"]["id"]).count() == 1


def test_concurrent_processing_claims_a_delivery_once(webhook_payload, monkeypatch):
    from community.services.webhooks import receiving

    monkeypatch.setattr(receiving, "delivery_enqueue", lambda pk, countdown=None: False)
    body = json.dumps(webhook_payload("issues", "opened")).encode()
    Client().post(
        URL, data=body, content_type="application/json", **signed_headers(body, event="issues")
    )
    pk = Delivery.objects.get().pk

    outcomes = _run_together(5, lambda i: delivery_process(delivery_pk=pk).status)

    assert sorted(outcomes) == ["processed"] + ["skipped"] * 4
    assert Delivery.objects.get().attempts == 1


@contextmanager
def celery_broker(url: str, *, eager: bool):
    """Point this process's Celery app at another broker (its connection pools rebuilt)."""
    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_always_eager)

    def switch(broker: str, always_eager: bool) -> None:
        # kombu keeps process-wide pools keyed by broker URL, and the app's pool is one of them:
        # closing it alone leaves a closed pool registered, which later publishes (even eager
        # ones, which borrow a producer for its serializer) would fail to acquire from.
        kombu_pools.reset()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        conf.broker_url, conf.task_always_eager = broker, always_eager

    switch(url, eager)
    try:
        yield
    finally:
        switch(*saved)


@pytest.fixture
def redis_db5():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(TEST_BROKER)
    try:
        client.flushdb()  # database 5 is this suite's own
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    yield client
    client.flushdb()


@pytest.fixture
def celery_worker_process(redis_db5, transactional_db, tmp_path):
    """A real `celery -A config worker` on the test database and Redis db 5; always stopped."""
    db = connection.settings_dict
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": TEST_BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "-Q",
        "default",
        "--pool",
        "solo",
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
        "--loglevel",
        "INFO",
    ]
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        worker = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker.log = log
    try:
        yield worker
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


def _wait_for(condition, *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return condition()


def test_broker_down_deliveries_are_stored_then_swept_to_a_real_worker(
    webhook_payload, celery_worker_process
):
    names = ["opened", "labeled", "edited"]
    bodies = [json.dumps(webhook_payload("issues", n)).encode() for n in names]

    with celery_broker(UNREACHABLE_BROKER, eager=False):
        for body in bodies:
            response = Client().post(
                URL,
                data=body,
                content_type="application/json",
                **signed_headers(body, event="issues"),
            )
            assert response.status_code == 202
    assert list(Delivery.objects.values_list("status", flat=True)) == ["pending"] * 3

    with celery_broker(TEST_BROKER, eager=False):
        # The beat sweeper queues deliveries pending for more than a minute.
        Delivery.objects.update(due_at=timezone.now() - timedelta(minutes=2))
        assert deliveries_sweep() == 3
        done = _wait_for(
            lambda: not Delivery.objects.exclude(status=DeliveryStatus.PROCESSED).exists(),
            seconds=90,
        )

    if not done:
        output = celery_worker_process.log.read_text(errors="replace")
        pytest.fail(f"worker did not process the deliveries:\n{output[-4000:]}")
    assert Issue.objects.filter(pk=webhook_payload("issues", "opened")["issue"]["id"])
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}
