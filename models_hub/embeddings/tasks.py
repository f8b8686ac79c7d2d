"""Embedding tasks. Routed to the `embeddings` queue (CELERY_TASK_ROUTES: models_hub.embeddings.*),
whose worker is the only process that loads the model."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

# A batch of a few hundred texts takes seconds on CPU; ten minutes means the worker is stuck.
TIME_LIMIT = 600
TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),  # a database restart; encoding errors are not retried
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 5,
    "soft_time_limit": TIME_LIMIT - 30,
    "time_limit": TIME_LIMIT,
}


@shared_task(name="models_hub.embeddings.tasks.embed_issues", **TASK_OPTIONS)
def embed_issues(issue_ids: list[int]) -> dict[str, int]:
    """Encode the issues whose text changed since their vector was stored; safe to run twice."""
    from models_hub.embeddings.store import issues_embed

    result = issues_embed(issue_ids=issue_ids)
    return {"encoded": result.encoded, "unchanged": result.unchanged}


@shared_task(name="models_hub.embeddings.tasks.embed_pull_requests", **TASK_OPTIONS)
def embed_pull_requests(pull_request_ids: list[int]) -> dict[str, int]:
    """Encode the pull requests whose text changed since their vector was stored."""
    from models_hub.embeddings.store import pull_requests_embed

    result = pull_requests_embed(pull_request_ids=pull_request_ids)
    return {"encoded": result.encoded, "unchanged": result.unchanged}
