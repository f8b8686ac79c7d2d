"""Celery autodiscovery imports `<app>.tasks`; the model hub's tasks live by area."""

from models_hub.embeddings.tasks import embed_issues, embed_pull_requests

__all__ = ["embed_issues", "embed_pull_requests"]
