"""Celery autodiscovery imports `<app>.tasks`: the model hub's task modules live by area
(`embeddings/tasks.py`, `triage/tasks.py`, `training/tasks.py`) and are imported here so that
every worker registers them. Import a task from its own module, not from here."""

from models_hub.embeddings import tasks as embeddings_tasks  # noqa: F401
from models_hub.training import tasks as training_tasks  # noqa: F401
from models_hub.triage import tasks as triage_tasks  # noqa: F401
