"""The production settings pass Django's deployment checklist (`check --deploy`) without a single
warning, as documented (the README's environment), and keep HSTS on whatever the operator picks."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

TIMEOUT = 120  # seconds; only stops a hung subprocess
SETTINGS_PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({name: getattr(s, name) for name in %r}))"
)


def _production_env(tmp_path, **overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "SESSION_", "CSRF_"))
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
        "ALLOWED_HOSTS": "steward.example.org",
        **overrides,
    }


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
        timeout=TIMEOUT,
    )  # fmt: skip


@pytest.mark.parametrize(
    "overrides",
    [{}, {"SECURE_HSTS_PRELOAD": "true"}, {"SECURE_SSL_REDIRECT": "false"}],
    ids=["defaults", "preload", "proxy-redirects"],
)
def test_check_deploy_passes_without_warnings(tmp_path, overrides):
    done = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        _production_env(tmp_path, **overrides),
    )

    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "security.W" not in output


def test_check_deploy_would_catch_hsts_turned_off(tmp_path):
    """The test above can fail: without HSTS the checklist warns and the command exits 1."""
    done = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        _production_env(tmp_path, SECURE_HSTS_SECONDS="0"),
    )

    assert done.returncode == 1
    assert "security.W004" in done.stderr


def test_production_security_settings(tmp_path):
    names = [
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_REFERRER_POLICY",
        "X_FRAME_OPTIONS", "SECURE_SSL_REDIRECT", "TRUSTED_PROXY_COUNT",
    ]  # fmt: skip
    probe = ["-c", SETTINGS_PROBE % names]
    default = json.loads(_run(probe, _production_env(tmp_path)).stdout)
    chosen = json.loads(
        _run(
            probe,
            _production_env(
                tmp_path, SECURE_HSTS_SECONDS="600", SECURE_HSTS_INCLUDE_SUBDOMAINS="false"
            ),
        ).stdout
    )

    assert default == {
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_SSL_REDIRECT": True,
        "TRUSTED_PROXY_COUNT": 1,
    }
    assert chosen["SECURE_HSTS_SECONDS"] == 600
    assert chosen["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
