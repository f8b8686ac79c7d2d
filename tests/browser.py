"""What the browser tests share: Debian's chromium driven by Playwright, screenshots saved in
test-artifacts/. Tests using it are marked `browser` and skipped where chromium is missing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian chromium is not installed"
)


@contextmanager
def launched_chromium() -> Iterator:
    """Chromium, headless, for the length of the block. Set DJANGO_ALLOW_ASYNC_UNSAFE first:
    Playwright's sync API runs an event loop in the test's thread."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from django.db import connections

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # Queries made while Playwright's loop runs get their own connection (Django keys
            # connections by async context); close it, or it outlives the test database.
            connections.close_all()
