"""Test settings: the database comes from DATABASE_URL (SQLite by default, PostgreSQL in CI)."""

import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
GITHUB_WEBHOOK_SECRETS = ["test-webhook-secret"]
# Webhook tests send repositories of many owners; the policy tests set "configured" themselves.
STEWARD_TRACK_REPOSITORIES = "all"
# Never a shared cache (CACHE_URL): tests/conftest.py empties it before each test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests that want webhook/sync writes to embed and triage (the real model) turn this on.
STEWARD_TRIAGE_AUTO = False
# Tests train on a fake 8-d encoder; the fine-tuned method's tests ask for it by name.
STEWARD_LABEL_CLASSIFIER_METHOD = "frozen"
# Never the project's own store: trained test models go to a temporary folder (artifacts are
# content-addressed and never overwritten, so test processes may share it).
STEWARD_MODEL_STORE = Path(tempfile.gettempdir()) / "steward-test-models"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "models": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(STEWARD_MODEL_STORE), "file_permissions_mode": 0o444},
    },
}

# Serve static files straight from the app/static folders; no collectstatic needed.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
