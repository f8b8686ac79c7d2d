"""Challenger replay: the label suggestions that would change if a candidate replaced the champion
(or that two versions make differently), on a repository's latest triaged issues."""

from __future__ import annotations

import datetime as dt

import pytest
from celery import current_app
from django.utils import timezone

from models_hub.embeddings.store import issues_embed
from models_hub.embeddings.text import issue_text
from models_hub.models import ChallengerReplay, ReplayStatus, TriageResult, TriageSettings
from models_hub.registry.aliases import alias_move
from models_hub.triage.replay import (
    ReplayError,
    challenger_replay_queue,
    challenger_replay_run,
    latest_replay,
)
from models_hub.triage.tasks import run_challenger_replay
from tests.factories import ModelVersionFactory, RegisteredModelFactory, TriageResultFactory
from tests.models_hub.benchmarks.test_benchmarks import repository_version_train
from tests.models_hub.label_texts import SYNTHETIC_BUGS as BUGS
from tests.models_hub.label_texts import SYNTHETIC_FEATURES as FEATURES
from tests.models_hub.label_texts import SYNTHETIC_QUESTIONS as QUESTIONS
from tests.models_hub.scenarios.triage import issue_with_text

pytestmark = pytest.mark.django_db
BODY = "Steps:\nline one"
SWAPPED = {"bug": "feature", "feature": "bug", "question": "question"}


@pytest.fixture
def scene(configured_fake, model_store):
    """A repository with six triaged issues (two of each kind, the oldest triaged first) and two
    versions of its label classifier: v1, the champion, right on every kind; v2 trained with bug
    and feature swapped."""
    repository = TriageSettings.objects.create(
        repository=RegisteredModelFactory().repository, label_threshold=0.0
    ).repository
    issues, truth = [], {}
    for titles, label in ((BUGS, "bug"), (FEATURES, "feature"), (QUESTIONS, "question")):
        for title in titles[:2]:
            issue = issue_with_text(repository, title, BODY)
            issues.append(issue)
            truth[issue.pk] = label
    issues_embed(issue_ids=[i.pk for i in issues], encoder=configured_fake)
    for age, issue in enumerate(reversed(issues)):
        result = TriageResultFactory(issue=issue)
        TriageResult.objects.filter(pk=result.pk).update(
            created_at=timezone.now() - dt.timedelta(hours=age)
        )
    right = _version(configured_fake, repository, swapped=False)
    swapped = _version(configured_fake, repository, swapped=True)
    alias_move(version=right, actor_label="test")
    return {"repository": repository, "issues": issues, "truth": truth, "v1": right, "v2": swapped}


def _version(encoder, repository, *, swapped: bool, threshold: float = 0.0):
    texts, labels = [], []
    for titles, label in ((BUGS, "bug"), (FEATURES, "feature"), (QUESTIONS, "question")):
        texts += [issue_text(title=title, body=BODY) for title in titles]
        labels += [SWAPPED[label] if swapped else label] * len(titles)
    return repository_version_train(
        encoder, repository=repository, texts=texts, labels=labels, threshold=threshold
    )


def test_replay_lists_exactly_the_suggestions_that_would_change(scene):
    replay = challenger_replay_run(candidate=scene["v2"])

    assert replay.status == ReplayStatus.DONE and replay.baseline == scene["v1"]
    assert replay.issues_compared == 6
    truth = scene["truth"]
    changed = {change["issue_id"]: change for change in replay.changes}
    assert set(changed) == {pk for pk, label in truth.items() if label != "question"}
    for pk, change in changed.items():
        assert change["before"]["label"] == truth[pk]
        assert change["after"]["label"] == SWAPPED[truth[pk]]
        assert 0.0 < change["before"]["confidence"] <= 1.0
        assert 0.0 < change["after"]["confidence"] <= 1.0
    issue = next(i for i in scene["issues"] if i.pk in changed)
    assert (changed[issue.pk]["number"], changed[issue.pk]["title"]) == (issue.number, issue.title)
    # Latest triaged first: the order the issues were compared in.
    order = [i.pk for i in reversed(scene["issues"]) if i.pk in changed]
    assert [change["issue_id"] for change in replay.changes] == order
    assert latest_replay(scene["v2"]) == replay == latest_replay(scene["v2"], scene["v1"])


def test_abstentions_count_as_changes_and_the_limit_takes_the_latest_issues(scene, configured_fake):
    shy = _version(configured_fake, scene["repository"], swapped=False, threshold=1.01)

    replay = challenger_replay_run(candidate=shy, baseline=scene["v1"], limit=3)

    latest = [i.pk for i in reversed(scene["issues"])][:3]
    assert replay.issues_compared == 3
    assert [c["issue_id"] for c in replay.changes] == latest
    assert all(c["after"]["label"] is None and c["after"]["confidence"] > 0 for c in replay.changes)
    assert all(c["before"]["label"] == scene["truth"][c["issue_id"]] for c in replay.changes)


def test_the_repository_floor_applies_as_in_triage(scene):
    TriageSettings.objects.filter(repository=scene["repository"]).update(label_threshold=1.01)

    replay = challenger_replay_run(candidate=scene["v2"])

    # Both abstain everywhere under the floor: nothing would change.
    assert replay.status == ReplayStatus.DONE and replay.changes == []


def test_two_versions_compare_either_way_and_the_first_version_has_no_baseline(
    scene, configured_fake
):
    backwards = challenger_replay_run(candidate=scene["v1"], baseline=scene["v2"])
    assert len(backwards.changes) == 4
    assert latest_replay(scene["v1"], scene["v2"]) == backwards
    assert latest_replay(scene["v1"]) is None  # v1 is the champion: nothing to replay against

    first = challenger_replay_run(candidate=scene["v1"])  # the champion itself: no baseline
    assert first.baseline is None and len(first.changes) == 6
    assert all(c["before"] == {"label": None, "confidence": None} for c in first.changes)


def test_the_queued_replay_runs_on_the_embeddings_worker(scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pending = challenger_replay_queue(candidate_id=scene["v2"].pk)

    pending.refresh_from_db()
    assert pending.status == ReplayStatus.DONE and len(pending.changes) == 4
    assert pending.baseline == scene["v1"] and pending.finished_at is not None
    again = run_challenger_replay.delay(pending.pk).get()  # safe to run twice
    assert again == {"status": "done", "compared": 6, "changes": 4}
    assert run_challenger_replay.delay(0).get() == {"skipped": "unknown replay"}
    route = current_app.amqp.router.route({}, run_challenger_replay.name, (), {})
    assert route["queue"].name == "embeddings"


def test_a_replay_fails_with_the_reason_when_a_version_cannot_be_loaded(scene):
    broken = ModelVersionFactory(repository=scene["repository"], version=9)  # no files

    replay = challenger_replay_run(candidate=broken)

    assert replay.status == ReplayStatus.FAILED and "has no model.safetensors" in replay.detail
    assert ChallengerReplay.objects.get(pk=replay.pk).finished_at is not None


def test_versions_without_a_repository_or_of_two_repositories_are_refused(scene):
    public = ModelVersionFactory(model=RegisteredModelFactory(repository=None, name="global-x"))
    other = ModelVersionFactory()

    with pytest.raises(ReplayError, match="belongs to no repository"):
        challenger_replay_run(candidate=public)
    with pytest.raises(ReplayError, match="different repositories"):
        challenger_replay_run(candidate=scene["v2"], baseline=other)
    with pytest.raises(ReplayError, match="limit >= 1"):
        challenger_replay_run(candidate=scene["v2"], limit=0)
