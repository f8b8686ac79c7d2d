"""Fixtures shared with the other areas' tests."""

from tests.models_hub.conftest import queue_scenario  # noqa: F401
