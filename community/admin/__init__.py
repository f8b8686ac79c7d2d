"""Admin registrations, one module per area (core GitHub models, sync state, webhook deliveries)."""

from community.admin import core  # noqa: F401
