"""The web process never loads torch: its URLconf, views and task senders import without it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter: other tests of this session may already have imported torch.
WEB_PROCESS = """
import importlib, json, sys
import django
django.setup()
from django.urls import URLResolver, get_resolver

def walk(resolver):
    for pattern in resolver.url_patterns:  # importing each include()d URLconf and its views
        if isinstance(pattern, URLResolver):
            walk(pattern)
        else:
            pattern.callback

walk(get_resolver())
for name in ("config.wsgi", "models_hub.tasks", "models_hub.embeddings.store",
             "models_hub.embeddings.search", "models_hub.embeddings.encoder",
             "models_hub.embeddings.fast_bert", "models_hub.triage.service",
             "models_hub.registry", "models_hub.admin", "analytics.digests",
             # Cards (huggingface_hub) and exports are built in the web process too.
             "huggingface_hub", "models_hub.cards", "models_hub.export.folder",
             "models_hub.export.reference"):
    importlib.import_module(name)
heavy = ("torch", "sentence_transformers", "transformers", "onnxruntime")
print(json.dumps(sorted(name for name in heavy if name in sys.modules)))
"""


def test_web_urlconf_views_and_task_senders_do_not_import_torch():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", WEB_PROCESS],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
