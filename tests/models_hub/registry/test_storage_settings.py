"""The "models" storage is configured from the environment: local files or an S3 bucket."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SHOW = (
    "import json; from config.settings import base; "
    "print(json.dumps(base.STORAGES['models'], default=str))"
)


def _models_storage(**env: str) -> dict:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("STEWARD_", "AWS_"))}
    completed = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    if completed.returncode:
        return {"error": completed.stderr.strip().splitlines()[-1]}
    return json.loads(completed.stdout)


def test_local_files_by_default_read_only_under_the_model_store(tmp_path):
    storage = _models_storage(STEWARD_MODEL_STORE=str(tmp_path))
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storage["OPTIONS"] == {"location": str(tmp_path), "file_permissions_mode": 0o444}


def test_s3_through_django_storages_never_overwriting():
    storage = _models_storage(
        STEWARD_MODEL_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="steward-models",
        AWS_S3_ENDPOINT_URL="https://s3.example.org",
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "steward-models"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert storage["OPTIONS"]["file_overwrite"] is False
    assert storage["OPTIONS"]["location"] == "models"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STEWARD_MODEL_STORAGE": "ftp"}, "local or s3"),
        ({"STEWARD_MODEL_STORAGE": "s3"}, "AWS_STORAGE_BUCKET_NAME"),
    ],
)
def test_a_wrong_storage_setting_is_a_clear_error(env, message):
    assert message in _models_storage(**env)["error"]
