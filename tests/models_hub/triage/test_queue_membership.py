"""Which issues the triage queue holds: the rule of `triage_queue` and the triage service's
part in it (a review outlives a retrain or a re-triage, not an edit or a reopening)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from community.models import Issue, IssueState
from community.signals import EDITED, REOPENED, issue_text_changed
from models_hub.models import ModelKind, TriageResult
from models_hub.registry.aliases import champion_for
from models_hub.selectors import triage_queue
from models_hub.training.serving import ActiveLabelClassifier
from models_hub.triage import service
from models_hub.triage.feedback import result_mark_reviewed
from tests.factories import (
    IssueFactory,
    LabelFactory,
    ModelVersionFactory,
    RepositoryFactory,
    TriageResultFactory,
)

pytestmark = pytest.mark.django_db


def _queued(user) -> set[tuple[str, int]]:
    return {(r.repository.full_name, r.issue.number) for r in triage_queue(user=user)}


# — labelled by a maintainer —


def test_an_issue_carrying_a_label_the_classifier_knows_is_left_out(queue_scenario, maintainer):
    labelled = queue_scenario.labelled_result.issue
    assert ("acme/widgets", 9) not in _queued(maintainer)
    labelled.labels.clear()
    assert ("acme/widgets", 9) in _queued(maintainer)


def test_labels_outside_the_classifiers_family_do_not_count(queue_scenario, maintainer):
    vague = queue_scenario.vague
    vague.labels.add(LabelFactory(repository=vague.repository, name="good first issue"))
    assert ("acme/widgets", 8) in _queued(maintainer)


def test_each_repository_has_its_own_family(maintainer):
    """`bug` is known to one repository's classifier, not to the other's; a repository without
    a classifier has no family, and a version without metadata falls back to its training
    labels."""
    known = RepositoryFactory(full_name="acme/known")
    other = RepositoryFactory(full_name="acme/other")
    untrained = RepositoryFactory(full_name="acme/untrained")
    legacy = RepositoryFactory(full_name="acme/legacy")
    ModelVersionFactory(repository=known, is_active=True, metadata={"labels": ["bug", "docs"]})
    ModelVersionFactory(repository=other, is_active=True, metadata={"labels": ["feature"]})
    ModelVersionFactory(repository=legacy, is_active=True, training_label_counts={"bug": 12})
    for repository in (known, other, untrained, legacy):
        bug = LabelFactory(repository=repository, name="bug")
        TriageResultFactory(issue=IssueFactory(repository=repository, number=1, labels=[bug]))
    assert _queued(maintainer) == {("acme/other", 1), ("acme/untrained", 1)}


def test_the_family_is_the_champions(maintainer):
    """A newer version that is not champion (yet) does not decide the queue."""
    repository = RepositoryFactory(full_name="acme/widgets")
    ModelVersionFactory(repository=repository, is_active=True, metadata={"labels": ["bug"]})
    ModelVersionFactory(repository=repository, metadata={"labels": ["bug", "question"]})
    question = LabelFactory(repository=repository, name="question")
    TriageResultFactory(issue=IssueFactory(repository=repository, number=4, labels=[question]))
    assert _queued(maintainer) == {("acme/widgets", 4)}


# — marked triaged: through a retrain and a re-triage, not through an edit or a reopening —


@dataclass
class FakeClassifier:
    """Stands in for a trained classifier: the web-free rule tests need no model weights."""

    embedding_model_id: str
    labels: tuple[str, ...] = ("bug", "docs")
    threshold: float = 0.5

    def probabilities(self, *, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
        return np.array([[0.8, 0.2]] * len(texts))


@pytest.fixture
def triage_world(monkeypatch, configured_fake):
    """A repository whose champion is a fake classifier, triaged with the fake encoder."""
    fake_encoder = configured_fake

    def classifier_for(repository):
        version = champion_for(kind=ModelKind.LABEL_CLASSIFIER, repository=repository)
        classifier = FakeClassifier(embedding_model_id=fake_encoder.model_id)
        return ActiveLabelClassifier(version=version, classifier=classifier) if version else None

    monkeypatch.setattr(service, "label_classifier_for", classifier_for)
    repository = RepositoryFactory(full_name="acme/widgets")
    ModelVersionFactory(repository=repository, is_active=True, metadata={"labels": ["bug"]})
    issue = IssueFactory(
        repository=repository, number=7, title="Crash on start", body="It crashes."
    )
    return issue


def _reviewed(issue: Issue, maintainer) -> TriageResult:
    result = service.issue_triage(issue=issue)
    assert ("acme/widgets", 7) in _queued(maintainer)
    result = result_mark_reviewed(result=result, user=maintainer)
    assert ("acme/widgets", 7) not in _queued(maintainer)
    return result


def test_a_triaged_issue_stays_out_after_a_retrain_and_a_re_triage(triage_world, maintainer):
    issue = triage_world
    first = _reviewed(issue, maintainer)
    ModelVersionFactory(repository=issue.repository, is_active=True)  # retrained, promoted

    retrained = service.issue_triage(issue=issue)
    forced = service.issue_triage(issue=issue, force=True)

    assert len({first.pk, retrained.pk, forced.pk}) == 3 and forced.is_current
    assert retrained.label_model != first.label_model
    assert (forced.reviewed_at, forced.reviewed_by) == (first.reviewed_at, maintainer)
    assert ("acme/widgets", 7) not in _queued(maintainer)


def test_an_edited_text_brings_a_triaged_issue_back(triage_world, maintainer):
    issue = triage_world
    _reviewed(issue, maintainer)
    Issue.objects.filter(pk=issue.pk).update(body="It crashes, and now it also loses my data.")
    issue.refresh_from_db()

    edited = service.issue_triage(issue=issue)

    assert edited.reviewed_at is None
    assert ("acme/widgets", 7) in _queued(maintainer)


@pytest.mark.parametrize("reason", [REOPENED, EDITED])
def test_a_reopened_issue_comes_back_and_an_edit_that_kept_the_text_does_not(
    triage_world, maintainer, settings, django_capture_on_commit_callbacks, reason
):
    """The webhook's signal, received as in production (triage queued on commit, eager)."""
    settings.STEWARD_TRIAGE_AUTO = True
    issue = triage_world
    first = _reviewed(issue, maintainer)
    Issue.objects.filter(pk=issue.pk).update(state=IssueState.CLOSED)
    Issue.objects.filter(pk=issue.pk).update(state=IssueState.OPEN, state_reason="reopened")

    with django_capture_on_commit_callbacks(execute=True):
        issue_text_changed.send(sender=None, issue_ids=[issue.pk], reason=reason)

    current = TriageResult.objects.get(issue=issue, is_current=True)
    first.refresh_from_db()
    assert first.reviewed_by == maintainer  # the earlier review stays in the history
    if reason == REOPENED:
        assert current.pk != first.pk and current.reviewed_at is None
        assert ("acme/widgets", 7) in _queued(maintainer)
    else:
        assert current.pk == first.pk  # same text, same models: nothing to redo
        assert ("acme/widgets", 7) not in _queued(maintainer)
