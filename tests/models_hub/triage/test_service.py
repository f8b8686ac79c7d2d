"""Triage of one issue: what is stored, tied to which versions, abstention, idempotency."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from community.models import Issue
from models_hub.embeddings.store import issues_embed
from models_hub.embeddings.text import issue_text
from models_hub.models import (
    Embedding,
    ModelKind,
    ModelVersion,
    Priority,
    SuggestionKind,
    TriageResult,
    TriageSettings,
)
from models_hub.registry.aliases import alias_move
from models_hub.registry.versions import (
    WEIGHTS,
    Lineage,
    model_version_register,
    registered_model_for_repository,
)
from models_hub.training.label_files import label_classifier_save
from models_hub.training.labels import label_classifier_train
from models_hub.triage.batch import issues_triage
from models_hub.triage.service import issue_triage
from models_hub.triage.tasks import triage_issues
from tests.factories import ActorFactory, CommentFactory
from tests.models_hub.scenarios.triage import (
    WRITERS,
    bug_text,
    issue_with_text,
    labelled_repository,
)

pytestmark = pytest.mark.django_db
PER_LABEL = {"bug": 6, "enhancement": 6, "question": 6}


def _train_artifact(
    encoder, folder: Path, name: str, *, threshold: float, model_id: str | None = None
) -> Path:
    texts, labels = [], []
    for label, count in PER_LABEL.items():
        for n in range(count):
            title, body = WRITERS[label](n + 100)
            texts.append(issue_text(title=title, body=body))
            labels.append(label)
    classifier = label_classifier_train(
        texts=texts,
        vectors=encoder.encode(texts),
        labels=labels,
        embedding_model_id=model_id or encoder.model_id,
        threshold=threshold,
    )
    path = folder / f"{name}.safetensors"
    label_classifier_save(classifier=classifier, path=path)
    return path


@pytest.fixture(scope="module")
def artifacts(real_encoder, tmp_path_factory) -> dict[str, Path]:
    """Classifiers trained once for the module (no database needed), registered per test."""
    folder = tmp_path_factory.mktemp("classifiers")
    return {
        "confident": _train_artifact(real_encoder, folder, "confident", threshold=0.3),
        "never_sure": _train_artifact(real_encoder, folder, "never_sure", threshold=0.999),
        "other_model": _train_artifact(
            real_encoder, folder, "other_model", threshold=0.3, model_id="other/model"
        ),
    }


def _register(repository, path: Path, *, activate: bool = True) -> ModelVersion:
    """Register the file as the repository's next version; `activate` makes it champion
    directly (these tests are about triage, not about the champion gate)."""
    model = registered_model_for_repository(kind=ModelKind.LABEL_CLASSIFIER, repository=repository)
    version, _ = model_version_register(
        model=model,
        files={WEIGHTS: path},
        lineage=Lineage(base_model_id="from-file"),
        metrics={},
    )
    if activate:
        alias_move(version=version, actor_label="test")
    return version


@pytest.fixture
def scene(worker_encoder, model_store, artifacts):
    """A repository with labelled closed issues (embedded), a resolver, an open near-duplicate
    of the new bug report, and the confident classifier active."""
    repository, labels, issues = labelled_repository(
        per_label={"bug": 4, "enhancement": 3, "question": 3}, encoder=worker_encoder
    )
    resolver = ActorFactory(login="resolver")
    for issue in issues["bug"]:
        issue.assignees.add(resolver)
    CommentFactory(issue=issues["bug"][0], author=resolver)  # recently active
    title, body = bug_text(40)
    twin = issue_with_text(repository, title, body + "\nSame here.", labels=[labels["bug"]])
    issues_embed(issue_ids=[twin.pk], encoder=worker_encoder)
    version = _register(repository, artifacts["confident"])
    new = issue_with_text(repository, title, body, reactions_total=3, comments_count=2)
    return {"repository": repository, "new": new, "twin": twin, "version": version, **issues}


def test_triage_stores_every_suggestion_with_evidence_and_versions(scene, worker_encoder):
    new = scene["new"]
    assert not Embedding.objects.filter(issue=new).exists()

    result = issue_triage(issue=new)

    assert Embedding.objects.filter(issue=new).exists()  # embedded on the way
    assert result.is_current and result.issue == new
    assert result.label_model == scene["version"]
    assert result.embedding_model_id == worker_encoder.model_id
    assert result.text_hash == Embedding.objects.get(issue=new).text_hash
    assert not result.labels_abstained
    assert set(result.label_scores) == {"bug", "enhancement", "question"}
    assert sum(result.label_scores.values()) == pytest.approx(1.0, abs=1e-3)

    by_kind = {kind: list(result.suggestions.filter(kind=kind)) for kind in SuggestionKind}
    (label,) = by_kind[SuggestionKind.LABEL]
    assert label.value == "bug" and label.label.name == "bug"
    assert label.score == pytest.approx(result.label_scores["bug"], abs=1e-3)
    assert label.evidence[0]["number"] == scene["twin"].number
    assert all("bug" in item["labels"] for item in label.evidence)

    duplicate = by_kind[SuggestionKind.DUPLICATE][0]
    assert duplicate.duplicate_of == scene["twin"] and duplicate.score > 0.9
    assert duplicate.evidence[0]["title"] == scene["twin"].title

    (assignee,) = by_kind[SuggestionKind.ASSIGNEE]
    assert assignee.value == "resolver" and 0 < assignee.score <= 1
    closed_bugs = {issue.number for issue in scene["bug"]}
    assert {item["number"] for item in assignee.evidence} <= closed_bugs
    assert all(item["roles"] == ["assigned"] for item in assignee.evidence)

    (priority,) = by_kind[SuggestionKind.PRIORITY]
    assert priority.value == result.priority
    assert priority.evidence == result.priority_signals
    assert {s["signal"] for s in result.priority_signals} >= {"crash", "reactions", "comments"}
    assert [s.rank for s in by_kind[SuggestionKind.DUPLICATE]] == list(
        range(len(by_kind[SuggestionKind.DUPLICATE]))
    )


@pytest.mark.parametrize("cause", ["classifier threshold", "repository setting"])
def test_below_the_threshold_the_result_abstains_with_every_score(scene, artifacts, cause):
    if cause == "classifier threshold":
        _register(scene["repository"], artifacts["never_sure"])
    else:
        TriageSettings.objects.create(repository=scene["repository"], label_threshold=0.999)

    result = issue_triage(issue=scene["new"])

    assert result.labels_abstained
    assert set(result.label_scores) == {"bug", "enhancement", "question"}
    assert max(result.label_scores.values()) < 0.999
    assert not result.suggestions.filter(kind=SuggestionKind.LABEL).exists()
    assert result.suggestions.filter(kind=SuggestionKind.PRIORITY).count() == 1


def test_triage_twice_keeps_one_current_result(scene):
    first = issue_triage(issue=scene["new"])
    again = issue_triage(issue=scene["new"])

    assert again.pk == first.pk
    assert TriageResult.objects.filter(issue=scene["new"]).count() == 1
    assert triage_issues.delay([scene["new"].pk]).get() == {
        "triaged": 0,
        "unchanged": 1,
        "skipped": 0,
    }


def test_a_new_text_a_new_model_version_or_force_triage_again(scene, artifacts):
    issue = scene["new"]
    first = issue_triage(issue=issue)
    Issue.objects.filter(pk=issue.pk).update(title="Table widget hangs forever when resized")
    issue.refresh_from_db()

    edited = issue_triage(issue=issue)
    other = _register(scene["repository"], artifacts["never_sure"])
    retrained = issue_triage(issue=issue)
    forced = issue_triage(issue=issue, force=True)

    assert len({first.pk, edited.pk, retrained.pk, forced.pk}) == 4
    assert edited.text_hash != first.text_hash
    assert retrained.label_model == other and retrained.labels_abstained
    current = TriageResult.objects.filter(issue=issue, is_current=True)
    assert list(current) == [forced]
    assert TriageResult.objects.filter(issue=issue).count() == 4


def test_without_a_classifier_triage_still_finds_duplicates_and_priority(scene):
    ModelVersion.objects.all().delete()

    result = issue_triage(issue=scene["new"])

    assert result.label_model is None and not result.labels_abstained and not result.label_scores
    kinds = set(result.suggestions.values_list("kind", flat=True))
    assert kinds == {SuggestionKind.DUPLICATE, SuggestionKind.ASSIGNEE, SuggestionKind.PRIORITY}
    assert result.priority in Priority.values


def test_a_classifier_of_another_embedding_model_is_not_used(scene, artifacts, caplog):
    _register(scene["repository"], artifacts["other_model"])

    with caplog.at_level(logging.WARNING):
        result = issue_triage(issue=scene["new"])

    assert not result.label_scores and not result.suggestions.filter(kind="label").exists()
    assert "other/model" in caplog.text


def test_closed_and_deleted_issues_are_skipped_unless_asked(scene):
    closed = scene["bug"][0]
    counts = issues_triage(issue_ids=[closed.pk, scene["new"].pk, 123456789])

    assert counts.as_dict() == {"triaged": 1, "unchanged": 0, "skipped": 2}
    assert not TriageResult.objects.filter(issue=closed).exists()
    assert issues_triage(issue_ids=[closed.pk], open_only=False).triaged == 1
