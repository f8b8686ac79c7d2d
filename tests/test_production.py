"""The production start the README documents: collectstatic, then gunicorn with production settings.

The site runs in a subprocess on a SQLite file of its own (a subprocess cannot see the test
database's transaction), filled by `manage.py demo` at a twentieth of its size.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from tests.conftest import REPO_ROOT

STATIC = REPO_ROOT / "static"
# The static files storage of config.settings.production.
MANIFEST_STORAGE = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
# A name ManifestStaticFilesStorage hashed: chart.umd.js → chart.umd.0123456789ab.js
HASHED = re.compile(r"\.[0-9a-f]{12}\.(css|js|svg|png|ico|woff2?)$")
STATIC_URL = re.compile(r'(?:href|src)="(/static/[^"]+)"')
PAGES = ["/", "/repos/acme/widgets/", "/dashboards/", "/dashboards/repos/acme/widgets/"]
# Each step is seconds; the limits only stop a hung subprocess.
STEP_TIMEOUT = 120
STARTUP_TIMEOUT = 30


def test_every_static_file_gets_a_manifest_entry(tmp_path):
    """Vendored files included: a reference to a file that is not shipped (a source map) makes
    collectstatic fail, and then every page fails on its missing manifest entry."""
    storages = {**settings.STORAGES, "staticfiles": MANIFEST_STORAGE}
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    ours = {path.relative_to(STATIC).as_posix() for path in STATIC.rglob("*") if path.is_file()}
    assert ours - manifest.keys() == set()
    assert HASHED.search(manifest["vendor/chartjs/chart.umd.js"])


def documented_web_command() -> list[str]:
    """The web process's command from the README's production table."""
    found = re.search(r"^\| web \| `(gunicorn [^`]+)`", (REPO_ROOT / "README.md").read_text(), re.M)
    assert found, "README.md no longer documents the web process as `| web | `gunicorn …`` "
    return shlex.split(found.group(1))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _manage(*args: str, env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
    )
    if done.returncode:
        pytest.fail(f"manage.py {args[0]} exited with {done.returncode}:\n{done.stderr[-3000:]}")


def _wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not listen within {STARTUP_TIMEOUT} s:\n{log.read_text()}")


@dataclass
class Site:
    port: int
    log: Path

    def get(self, path: str, *, https: bool = True) -> tuple[int, dict[str, str], bytes]:
        """GET as the proxy forwards it: over HTTPS unless `https` is False."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https" if https else "http"}
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def production_site(tmp_path_factory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("production")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "production-test-key-not-secret",
        "DATABASE_URL": f"sqlite:///{folder / 'steward.sqlite3'}",
        "STATIC_ROOT": str(folder / "static"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_BROKER_URL": "",
        "STEWARD_TRIAGE_AUTO": "false",
    }
    _manage("migrate", "--noinput", env=env)
    _manage(
        "demo", "--seed", "2", "--scale", "0.05", "--no-triage", "--no-rollups", "--no-digests",
        env=env,
    )  # fmt: skip
    _manage("collectstatic", "--noinput", env=env)

    port = _free_port()
    command = documented_web_command()
    assert "config/gunicorn.conf.py" in command, command
    command[0] = str(Path(sys.executable).with_name("gunicorn"))
    # config/gunicorn.conf.py reads these. One small worker: the machine running the suite is
    # shared; the settings are the point.
    env |= {"HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "2"}
    log = folder / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        _wait_for(port, process, log)
        yield Site(port=port, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.slow
@pytest.mark.parametrize("path", PAGES)
def test_pages_and_their_hashed_assets_are_served(production_site, path):
    status, _, body = production_site.get(path)
    assert status == 200, production_site.log.read_text()[-3000:]

    assets = STATIC_URL.findall(body.decode())
    assert "/static/" + "css/steward.css" not in assets  # the unhashed name would not be cached
    assert assets and all(HASHED.search(asset) for asset in assets), assets
    for asset in assets:
        status, headers, content = production_site.get(asset)
        assert status == 200, asset
        assert content
        assert "immutable" in headers.get("Cache-Control", ""), asset


@pytest.mark.slow
def test_dashboards_load_the_vendored_chart_library(production_site):
    _, _, body = production_site.get("/dashboards/")
    chart = re.search(r'src="(/static/vendor/chartjs/chart\.umd\.[0-9a-f]{12}\.js)"', body.decode())

    assert chart
    _, _, script = production_site.get(chart.group(1))
    assert script.startswith(b"/*!") and b"sourceMappingURL" not in script


@pytest.mark.slow
def test_plain_http_is_redirected_to_https(production_site):
    status, headers, _ = production_site.get("/", https=False)

    assert status == 301
    assert headers["Location"] == "https://127.0.0.1/"


@pytest.mark.slow
def test_pages_carry_the_security_headers(production_site):
    _, headers, _ = production_site.get("/dashboards/")

    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.slow
def test_the_sign_in_cookies_are_https_only(production_site):
    status, headers, _ = production_site.get("/admin/login/")

    assert status == 200
    assert "csrftoken=" in headers["Set-Cookie"] and "Secure" in headers["Set-Cookie"]
