"""Admin registrations, one module per area (core GitHub models, sync state, webhook deliveries)."""

from community.admin import (
    core,  # noqa: F401
    sync,  # noqa: F401
    webhooks,  # noqa: F401
)
