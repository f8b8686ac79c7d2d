"""The default worker never imports torch: booting it registers every task, the embeddings
worker's too (tasks are sent by name from anywhere), and loads no model library. Only the
`embeddings` worker imports torch, inside the tasks that need it. (test_processes.py watches
a real worker's imports while it processes a webhook.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import REPO_ROOT

# What `celery -A config worker` does before it consumes: load the app, import every task module.
WORKER_BOOT = """
import json, sys
from config.celery import app
app.loader.import_default_modules()
app.finalize()
heavy = ("torch", "sentence_transformers", "transformers", "onnxruntime")
print(json.dumps({
    "tasks": sorted(name for name in app.tasks if not name.startswith("celery.")),
    "heavy": sorted(name for name in sys.modules if name.split(".")[0] in heavy),
}))
"""


def test_booting_a_worker_registers_every_task_without_importing_torch():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", WORKER_BOOT],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    booted = json.loads(done.stdout.strip().splitlines()[-1])
    assert {
        "community.webhooks.process_delivery",
        "community.sync_repository",
        "analytics.rollups_refresh",
        "models_hub.triage.triage_issues",
    } <= set(booted["tasks"])
    assert booted["heavy"] == []
