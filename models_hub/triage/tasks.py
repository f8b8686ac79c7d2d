"""Triage and training tasks. Triage and retraining run on the `embeddings` queue (routed by
name in CELERY_TASK_ROUTES): they read vectors, may encode a missing one, and run the classifier.
The scheduled check for repositories due for retraining only queues work, on `default`, and so
does the write-back of accepted suggestions to GitHub.

Like every task module, this one imports the services it calls inside each task (README,
"Development"): services import it to queue its tasks without closing an import cycle."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from celery import chain, shared_task
from django.conf import settings
from django.db import OperationalError

from models_hub.embeddings.tasks import embed_issues

logger = logging.getLogger(__name__)

RETRY_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),  # a database restart; anything else is a bug to see
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 5,
}
# A page of a hundred issues is a few seconds of neighbour searches; ten minutes means stuck.
TRIAGE_TIME_LIMIT = 600
# Embedding a large repository's labelled issues (thousands, on CPU) and fitting the folds.
RETRAIN_TIME_LIMIT = 1800


@shared_task(
    name="models_hub.triage.triage_issues",
    soft_time_limit=TRIAGE_TIME_LIMIT - 30,
    time_limit=TRIAGE_TIME_LIMIT,
    **RETRY_OPTIONS,
)
def triage_issues(issue_ids: list[int], force: bool = False) -> dict[str, int]:
    """Triage the open issues among `issue_ids`; a no-op for those already triaged as is."""
    from models_hub.triage.batch import issues_triage

    return issues_triage(issue_ids=issue_ids, force=force).as_dict()


@shared_task(
    name="models_hub.triage.retrain_label_classifier",
    soft_time_limit=RETRAIN_TIME_LIMIT - 60,
    time_limit=RETRAIN_TIME_LIMIT,
    **RETRY_OPTIONS,
)
def retrain_label_classifier(repository_id: int) -> dict[str, object]:
    from community.models import Repository
    from models_hub.training.retrain import label_classifier_retrain

    repository = Repository.objects.filter(pk=repository_id, deleted_at__isnull=True).first()
    if repository is None:
        return {"skipped": "unknown repository"}
    outcome = label_classifier_retrain(repository=repository)
    if outcome.version is None:
        logger.info("label classifier of %s not retrained: %s", repository, outcome.reason)
        return {"skipped": outcome.reason}
    return {"version": outcome.version.version, "seconds": outcome.seconds}


@shared_task(
    name="models_hub.triage.retrain_due_label_classifiers",
    soft_time_limit=50,
    time_limit=60,
    **RETRY_OPTIONS,
)
def retrain_due_label_classifiers() -> list[int]:
    """Queue a retraining for every repository with new labels or feedback since its model."""
    from models_hub.training.retrain import label_classifiers_due

    due = [repository.pk for repository in label_classifiers_due()]
    for repository_id in due:
        retrain_label_classifier.delay(repository_id)
    return due


def issues_embed_and_triage(*, issue_ids: Sequence[int], force: bool = False) -> None:
    """Queue embed → triage for these issues (triage runs after the vectors are stored)."""
    ids = sorted(set(issue_ids))
    if ids:
        chain(embed_issues.si(ids), triage_issues.si(ids, force)).apply_async()


# Loads two classifiers (torch for fine-tuned ones) and may encode a stale issue: a few seconds
# for fifty issues on CPU; ten minutes means stuck.
REPLAY_TIME_LIMIT = 600


@shared_task(
    name="models_hub.triage.run_challenger_replay",
    soft_time_limit=REPLAY_TIME_LIMIT - 30,
    time_limit=REPLAY_TIME_LIMIT,
    **RETRY_OPTIONS,
)
def run_challenger_replay(replay_id: int) -> dict[str, object]:
    """Compute a pending challenger replay (models_hub.triage.replay); a no-op once done."""
    from models_hub.models import ChallengerReplay
    from models_hub.triage.replay import challenger_replay_execute

    replay = ChallengerReplay.objects.filter(pk=replay_id).first()
    if replay is None:
        return {"skipped": "unknown replay"}
    replay = challenger_replay_execute(replay=replay)
    return {
        "status": replay.status,
        "compared": replay.issues_compared,
        "changes": len(replay.changes),
    }


# One request with the client's 30 s timeout, plus the database work around it.
WRITE_BACK_TIME_LIMIT = 60


@shared_task(
    name="models_hub.triage.write_back",
    acks_late=True,
    autoretry_for=(OperationalError,),  # a database restart; GitHub's answers are recorded
    retry_backoff=True,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=WRITE_BACK_TIME_LIMIT - 10,
    time_limit=WRITE_BACK_TIME_LIMIT,
)
def write_back_feedback(feedback_id: int) -> str:
    """Write an accepted suggestion back to GitHub (models_hub.triage.writeback)."""
    from models_hub.triage.writeback import feedback_write_back

    feedback = feedback_write_back(feedback_id=feedback_id)
    return feedback.write_back_status if feedback is not None else "missing"


def write_back_queue(*, feedback_id: int) -> None:
    # The default queue explicitly: its worker has no model to load, and a route added for the
    # triage engine's tasks (models_hub.triage.*) must not carry write-back along.
    write_back_feedback.apply_async(args=(feedback_id,), queue=settings.CELERY_TASK_DEFAULT_QUEUE)
