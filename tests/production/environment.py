"""The environment variables Steward reads, found in the source (not a list kept by hand)."""

from __future__ import annotations

import re

from tests.conftest import REPO_ROOT

SETTINGS_SOURCES = [*sorted((REPO_ROOT / "config" / "settings").glob("*.py"))]
GUNICORN_CONFIG = REPO_ROOT / "config" / "gunicorn.conf.py"
# env("NAME", …), env.bool("NAME", …), env.db("NAME"), … in the settings.
SETTINGS_READ = re.compile(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"")
# os.environ.get("NAME", …) in the gunicorn config.
ENVIRON_READ = re.compile(r"os\.environ\.get\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']")
# NAME=… or # NAME=… lines of .env.example.
EXAMPLE_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.M)


def settings_variables() -> set[str]:
    names = set()
    for source in SETTINGS_SOURCES:
        names |= set(SETTINGS_READ.findall(source.read_text()))
    return names


def gunicorn_variables() -> set[str]:
    return set(ENVIRON_READ.findall(GUNICORN_CONFIG.read_text()))


def example_variables() -> set[str]:
    return set(EXAMPLE_LINE.findall((REPO_ROOT / ".env.example").read_text()))
