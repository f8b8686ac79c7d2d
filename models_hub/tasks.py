"""Celery autodiscovery imports `<app>.tasks`; the model hub's tasks live by area."""

from models_hub.embeddings.tasks import embed_issues, embed_pull_requests
from models_hub.training.tasks import train_benchmark
from models_hub.triage.tasks import (
    retrain_due_label_classifiers,
    retrain_label_classifier,
    run_challenger_replay,
    triage_issues,
)
from models_hub.triage.writeback import write_back_feedback

__all__ = [
    "embed_issues",
    "embed_pull_requests",
    "retrain_due_label_classifiers",
    "retrain_label_classifier",
    "run_challenger_replay",
    "train_benchmark",
    "triage_issues",
    "write_back_feedback",
]
