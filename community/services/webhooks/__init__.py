"""GitHub webhooks: receive and store deliveries, then apply them through the upsert services.

`receiving` stores a verified delivery and queues it; `processing` claims, applies, retries and
sweeps; `handlers` maps each event to a small handler module (`issues`, `pulls`, `repositories`,
`push`, `installations`); `tracking` decides which repositories a delivery may create.
"""

from community.services.webhooks.processing import (
    deliveries_replay,
    deliveries_sweep,
    delivery_process,
)
from community.services.webhooks.receiving import IncomingDelivery, delivery_receive

__all__ = [
    "IncomingDelivery",
    "deliveries_replay",
    "deliveries_sweep",
    "delivery_process",
    "delivery_receive",
]
