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


# Embedded mode (no broker: tasks run eagerly, in this process) with a stored embedding, so the
# search reaches the point where it would encode the query: it must not, nor import torch.
EMBEDDED_SEARCH = """
import json, sys
import django
django.setup()
import numpy as np
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
from models_hub.embeddings.config import embedding_model_id
from models_hub.embeddings.store import VectorRow, embeddings_save
from models_hub.models import EmbeddingKind
from tests.factories import IssueFactory
issue = IssueFactory(title="Renderer becomes slow", body="Resizing is slow.")
vector = np.ones(384, dtype=np.float32) / np.sqrt(384)
embeddings_save(rows=[VectorRow(EmbeddingKind.ISSUE, issue.pk, issue.repository_id, "h", vector)],
                model_id=embedding_model_id())
from django.conf import settings
settings.ALLOWED_HOSTS = ["testserver"]
page = Client().get("/search/", {"q": "renderer slow"}).content.decode()
assert "Meaning search needs the embeddings worker" in page, page[-3000:]
heavy = ("torch", "sentence_transformers", "transformers", "onnxruntime")
print(json.dumps(sorted(name for name in heavy if name in sys.modules)))
"""


def test_a_search_in_embedded_mode_does_not_import_torch():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "sqlite:///:memory:",
        "CELERY_BROKER_URL": "",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "STEWARD_SEARCH_ENCODE_IN_PROCESS": "false",
        "STEWARD_EMBEDDING_MODEL": "",
    }
    done = subprocess.run(
        [sys.executable, "-c", EMBEDDED_SEARCH],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
