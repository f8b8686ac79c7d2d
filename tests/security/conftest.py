"""The areas' data fixtures, so the security tests can request each kind of page with its data."""

from tests.analytics.conftest import community, staff_client  # noqa: F401
from tests.community.conftest import site_community  # noqa: F401
from tests.models_hub.conftest import maintainer, model_store, queue_scenario  # noqa: F401
