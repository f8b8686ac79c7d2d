"""The one task search sends: encode a query's text on the `embeddings` worker, the only process
that loads the model (routed there by CELERY_TASK_ROUTES; registered through CELERY_IMPORTS)."""

from __future__ import annotations

from celery import shared_task

EMBED_QUERY = "community.search.embed_query"


# One short text on a loaded model takes milliseconds; the web request waits only
# STEWARD_SEARCH_EMBED_TIMEOUT for it, so a query still running after 30 s is of no use to anyone.
@shared_task(name=EMBED_QUERY, soft_time_limit=25, time_limit=30, acks_late=False)
def embed_query(text: str) -> dict[str, object]:
    """The unit vector of `text` under the configured embedding model, and that model's id."""
    from models_hub.embeddings.encoder import get_encoder

    encoder = get_encoder()
    vector = encoder.encode([text])[0]
    return {"model_id": encoder.model_id, "vector": [float(x) for x in vector]}
