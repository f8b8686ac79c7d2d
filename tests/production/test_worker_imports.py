"""The default worker never imports torch: booting it registers every task, the embeddings
worker's too (tasks are sent by name from anywhere), and loads no model library. Only the
`embeddings` worker imports torch, inside the tasks that need it. (test_processes.py watches
a real worker's imports while it processes a webhook.)"""

from __future__ import annotations

from tests.production.fresh_python import python_json

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
    booted, _ = python_json(WORKER_BOOT, env={"DJANGO_SETTINGS_MODULE": "config.settings.test"})

    assert {
        "community.webhooks.process_delivery",
        "community.sync_repository",
        "analytics.rollups_refresh",
        "models_hub.triage.triage_issues",
    } <= set(booted["tasks"])
    assert booted["heavy"] == []
