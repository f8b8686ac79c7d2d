"""Celery tasks of the community app, one module per area; imported here for autodiscovery."""

from community.tasks import (
    sync,  # noqa: F401
    webhooks,  # noqa: F401
)
