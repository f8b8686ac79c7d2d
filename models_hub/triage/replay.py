"""Challenger replay: what would change if a candidate version replaced the champion.

Before a version is promoted, a maintainer wants the concrete difference, not only a score:
which of the latest triaged issues would get another label suggestion. A replay runs the
candidate and a baseline over a repository's `limit` most recently triaged issues (their current
`TriageResult`s) with the rule triage uses (`evaluation.label_suggestions`: the classifier's
threshold and the repository's floor), on the issues' texts and stored embeddings as they are
now, and records every issue whose suggestion differs: the baseline's label and confidence (or
its abstention) → the candidate's.

The baseline is the version given, else the model's champion when the replay is asked for
(nothing to compare with when there is none: every suggestion the candidate makes is a change).
Comparing any two versions of a repository's model is the same service ("the issues two versions
label differently"). Replays load classifiers (torch for fine-tuned ones), so the queued one runs
on the `embeddings` worker (tasks.run_challenger_replay).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.db import transaction
from django.utils import timezone

from community.models import Issue
from models_hub.embeddings.config import embedding_model_id
from models_hub.embeddings.store import issues_embed
from models_hub.embeddings.text import issue_text
from models_hub.models import (
    ChallengerReplay,
    Embedding,
    ModelVersion,
    ReplayStatus,
    TriageResult,
)
from models_hub.registry.aliases import champion_of
from models_hub.registry.files import ArtifactError
from models_hub.training.retrain import label_threshold_floor

DEFAULT_LIMIT = 50


class ReplayError(ValueError):
    """The two versions cannot be replayed (no repository, other repositories, other models)."""


def replay_baseline(
    *, candidate: ModelVersion, baseline: ModelVersion | None = None
) -> ModelVersion | None:
    """The version a replay compares with: `baseline`, else the champion (unless that is the
    candidate itself)."""
    if baseline is not None:
        return baseline
    champion = champion_of(candidate.model)
    return champion if champion is not None and champion.pk != candidate.pk else None


def challenger_replay_create(
    *, candidate: ModelVersion, baseline: ModelVersion | None = None, limit: int = DEFAULT_LIMIT
) -> ChallengerReplay:
    """A pending replay of `candidate` against `baseline` (the champion when None)."""
    if candidate.model.repository_id is None:
        raise ReplayError(f"{candidate} belongs to no repository: there are no issues to replay")
    baseline = replay_baseline(candidate=candidate, baseline=baseline)
    if baseline is not None and baseline.model.repository_id != candidate.model.repository_id:
        raise ReplayError(f"{baseline} and {candidate} are models of different repositories")
    if limit < 1:
        raise ReplayError("a replay needs at least one issue (limit >= 1)")
    return ChallengerReplay.objects.create(candidate=candidate, baseline=baseline, limit=limit)


def challenger_replay_queue(
    *, candidate_id: int, baseline_id: int | None = None, limit: int = DEFAULT_LIMIT
) -> ChallengerReplay:
    """Create the pending replay of these versions (the champion when `baseline_id` is None)
    and run it on the embeddings worker once committed."""
    from models_hub.triage.tasks import run_challenger_replay

    versions = ModelVersion.objects.select_related("model")
    replay = challenger_replay_create(
        candidate=versions.get(pk=candidate_id),
        baseline=versions.get(pk=baseline_id) if baseline_id is not None else None,
        limit=limit,
    )
    transaction.on_commit(lambda: run_challenger_replay.delay(replay.pk))
    return replay


def challenger_replay_run(
    *,
    candidate: ModelVersion,
    baseline: ModelVersion | None = None,
    limit: int = DEFAULT_LIMIT,
    encoder=None,
) -> ChallengerReplay:
    """Replay now, in this process (see the module docstring); the stored replay."""
    replay = challenger_replay_create(candidate=candidate, baseline=baseline, limit=limit)
    return challenger_replay_execute(replay=replay, encoder=encoder)


def challenger_replay_execute(*, replay: ChallengerReplay, encoder=None) -> ChallengerReplay:
    """Compute a pending replay; a finished one is returned as it is (safe to run twice)."""
    if replay.status != ReplayStatus.PENDING:
        return replay
    try:
        compared, changes = _compare(replay, encoder)
    except (ArtifactError, ReplayError) as error:
        replay.status, replay.detail = ReplayStatus.FAILED, str(error)
    else:
        replay.status, replay.issues_compared, replay.changes = ReplayStatus.DONE, compared, changes
    replay.finished_at = timezone.now()
    replay.save(update_fields=["status", "detail", "issues_compared", "changes", "finished_at"])
    return replay


def latest_replay(
    candidate: ModelVersion, baseline: ModelVersion | None = None
) -> ChallengerReplay | None:
    """The latest replay of `candidate` against `baseline` (the current champion when None),
    whatever its status; None when there is none."""
    baseline = replay_baseline(candidate=candidate, baseline=baseline)
    return (
        ChallengerReplay.objects.filter(candidate=candidate, baseline=baseline)
        .order_by("-created_at", "-pk")
        .first()
    )


def _compare(replay: ChallengerReplay, encoder) -> tuple[int, list[dict]]:
    repository = replay.candidate.model.repository
    results = (
        TriageResult.objects.filter(
            repository=repository, is_current=True, issue__deleted_at__isnull=True
        )
        .select_related("issue")
        .order_by("-created_at", "-pk")[: replay.limit]
    )
    issues = [result.issue for result in results]
    if not issues:
        return 0, []
    floor = label_threshold_floor(repository)
    after = _suggestions(replay.candidate, issues, floor, encoder)
    before = (
        _suggestions(replay.baseline, issues, floor, encoder)
        if replay.baseline is not None
        else [None] * len(issues)
    )
    changes = [
        {
            "issue_id": issue.pk,
            "number": issue.number,
            "title": issue.title,
            "before": _said(old),
            "after": _said(new),
        }
        for issue, old, new in zip(issues, before, after, strict=True)
        if (old.label if old is not None else None) != new.label
    ]
    return len(issues), changes


def _said(suggestion) -> dict:
    if suggestion is None:
        return {"label": None, "confidence": None}
    return {"label": suggestion.label, "confidence": round(float(suggestion.confidence), 4)}


def _suggestions(version: ModelVersion, issues: Sequence[Issue], floor: float, encoder) -> list:
    from models_hub.training.evaluation import label_suggestions
    from models_hub.training.labels import METHOD_FINETUNED
    from models_hub.training.serving import label_classifier_of

    classifier = label_classifier_of(version)
    texts = [issue_text(title=issue.title, body=issue.body) for issue in issues]
    if classifier.method == METHOD_FINETUNED:
        vectors = np.zeros((len(issues), 0), dtype=np.float32)
    else:
        vectors = _vectors(version, issues, classifier.embedding_model_id, encoder)
    return label_suggestions(classifier=classifier, texts=texts, vectors=vectors, floor=floor)


def _vectors(version, issues: Sequence[Issue], model_id: str, encoder) -> np.ndarray:
    """The issues' current embeddings of `model_id`, encoding missing or stale ones."""
    stored_model = encoder.model_id if encoder is not None else embedding_model_id()
    if model_id != stored_model:
        raise ReplayError(
            f"{version} reads {model_id} embeddings; Steward now stores {stored_model}: "
            "retrain it before comparing"
        )
    ids = [issue.pk for issue in issues]
    issues_embed(issue_ids=ids, encoder=encoder)
    rows = Embedding.objects.filter(issue_id__in=ids, model_id=model_id)
    vectors = {row.issue_id: row.as_array() for row in rows}
    return np.vstack([vectors[pk] for pk in ids])
