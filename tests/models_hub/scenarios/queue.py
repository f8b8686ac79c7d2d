"""A triage queue with one of everything the queue page shows or leaves out.

acme/widgets:
  #7  open, newest: label "bug" (91%), duplicate of #1 (87%), assignee carol, priority high
  #8  open: the label classifier abstained (best guess "docs" at 41%), priority normal
  #5  open, already reviewed            → not in the queue
  #6  closed                            → not in the queue
  #9  open, labelled "docs" by a maintainer (a label the classifier knows) → not in the queue
  #7  also has an older, replaced run   → not in the queue (only the current one is)
  #1  closed, labelled bug: the neighbour in the evidence
acme/secret (private):
  #3  open, untriaged                   → in the queue for staff only
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from community.models import Issue, Repository
from models_hub.models import Priority, SuggestionKind, TriageResult, TriageSuggestion
from tests.factories import (
    ActorFactory,
    IssueFactory,
    LabelFactory,
    ModelVersionFactory,
    RepositoryFactory,
    TriageResultFactory,
    TriageSuggestionFactory,
)

EMBEDDING_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


@dataclass
class QueueScenario:
    repository: Repository
    private: Repository
    crash: Issue  # #7
    vague: Issue  # #8
    neighbour: Issue  # #1
    crash_result: TriageResult
    vague_result: TriageResult
    reviewed_result: TriageResult
    closed_result: TriageResult
    labelled_result: TriageResult
    replaced_result: TriageResult
    private_result: TriageResult
    label: TriageSuggestion
    duplicate: TriageSuggestion
    assignee: TriageSuggestion
    priority: TriageSuggestion


def _ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _neighbour_evidence(neighbour: Issue, score: float) -> list[dict]:
    return [
        {
            "issue_id": neighbour.id,
            "number": neighbour.number,
            "title": neighbour.title,
            "score": score,
            "state": "closed",
            "labels": ["bug"],
        }
    ]


def _crash_suggestions(result: TriageResult, neighbour: Issue, bug) -> dict:
    carol = ActorFactory(login="carol")
    evidence = _neighbour_evidence(neighbour, 0.87)
    return {
        "label": TriageSuggestionFactory(
            result=result, kind=SuggestionKind.LABEL, value="bug", score=0.91, label=bug,
            evidence=evidence,
        ),
        "duplicate": TriageSuggestionFactory(
            result=result, kind=SuggestionKind.DUPLICATE, value=f"#{neighbour.number}",
            score=0.87, duplicate_of=neighbour, evidence=evidence,
        ),
        "assignee": TriageSuggestionFactory(
            result=result, kind=SuggestionKind.ASSIGNEE, value="carol", score=0.6,
            assignee=carol,
            evidence=[
                {**evidence[0], "closed_at": "2024-05-02T10:00:00+00:00",
                 "roles": ["closed it", "fixed in #3"]},
            ],
        ),
        "priority": TriageSuggestionFactory(
            result=result, kind=SuggestionKind.PRIORITY, value=Priority.HIGH, score=0.7,
            evidence=result.priority_signals,
        ),
    }  # fmt: skip


def build_queue_scenario() -> QueueScenario:
    alice = ActorFactory(login="alice")
    owner = ActorFactory(login="acme", organization=True)
    repository = RepositoryFactory(full_name="acme/widgets", name="widgets", owner=owner)
    private = RepositoryFactory(full_name="acme/secret", name="secret", owner=owner, private=True)
    bug = LabelFactory(repository=repository, name="bug", color="d73a4a")
    docs = LabelFactory(repository=repository, name="docs", color="0075ca")
    # The champion knows bug and docs: an issue carrying either was labelled by a maintainer.
    model = ModelVersionFactory(
        repository=repository, version=3, is_active=True, metadata={"labels": ["bug", "docs"]}
    )

    neighbour = IssueFactory(
        repository=repository, number=1, title="App crashes on start with an empty config",
        closed=True, labels=[bug], created_at=_ago(90),
    )  # fmt: skip
    crash = IssueFactory(
        repository=repository, number=7, title="Crash when the config file is empty",
        author=alice, created_at=_ago(1),
    )  # fmt: skip
    vague = IssueFactory(
        repository=repository, number=8, title="Explain the plugin hooks", created_at=_ago(3)
    )
    replaced = TriageResultFactory(issue=crash, is_current=False, label_model=model)
    signals = [
        {"signal": "crash_words", "weight": 0.4, "detail": "“crash” in the title"},
        {"signal": "similar_open_issues", "weight": 0.2, "detail": "2 similar open issues"},
    ]
    crash_result = TriageResultFactory(
        issue=crash, label_model=model, label_scores={"bug": 0.91, "docs": 0.05},
        priority=Priority.HIGH, priority_score=0.7, priority_signals=signals,
    )  # fmt: skip
    vague_result = TriageResultFactory(
        issue=vague, label_model=model, labels_abstained=True,
        label_scores={"docs": 0.41, "bug": 0.2},
    )  # fmt: skip
    reviewed_result = TriageResultFactory(
        issue=IssueFactory(repository=repository, number=5, created_at=_ago(2)),
        reviewed_at=_ago(0.5),
    )
    closed_result = TriageResultFactory(
        issue=IssueFactory(repository=repository, number=6, closed=True, created_at=_ago(2))
    )
    labelled_result = TriageResultFactory(
        issue=IssueFactory(repository=repository, number=9, labels=[docs], created_at=_ago(0.5)),
        label_model=model,
    )
    private_result = TriageResultFactory(
        issue=IssueFactory(repository=private, number=3, created_at=_ago(4))
    )
    return QueueScenario(
        repository=repository,
        private=private,
        crash=crash,
        vague=vague,
        neighbour=neighbour,
        crash_result=crash_result,
        vague_result=vague_result,
        reviewed_result=reviewed_result,
        closed_result=closed_result,
        labelled_result=labelled_result,
        replaced_result=replaced,
        private_result=private_result,
        **_crash_suggestions(crash_result, neighbour, bug),
    )


def queue_rows_add(scenario: QueueScenario, *, count: int) -> list[TriageResult]:
    """`count` more open issues in acme/widgets, each triaged with one suggestion of every kind
    and evidence behind each (a full page of the queue, as a busy repository has)."""
    bug = scenario.label.label
    signals = [{"signal": "crash_words", "weight": 0.4, "detail": "“crash” in the title"}]
    results = []
    for n in range(count):
        issue = IssueFactory(
            repository=scenario.repository, number=100 + n, created_at=_ago(5 + n),
            title=f"Widget {n} renders blank after resizing the window on a second monitor",
        )  # fmt: skip
        result = TriageResultFactory(
            issue=issue, label_model=scenario.crash_result.label_model, priority_signals=signals,
            label_scores={"bug": 0.8, "docs": 0.2},
        )  # fmt: skip
        evidence = _neighbour_evidence(scenario.neighbour, 0.7)
        TriageSuggestionFactory(
            result=result, kind=SuggestionKind.LABEL, value="bug", score=0.8, label=bug,
            evidence=evidence * 3,
        )  # fmt: skip
        TriageSuggestionFactory(
            result=result, kind=SuggestionKind.DUPLICATE, value="#1", score=0.7,
            duplicate_of=scenario.neighbour, evidence=evidence,
        )  # fmt: skip
        TriageSuggestionFactory(
            result=result, kind=SuggestionKind.ASSIGNEE, value="carol", score=0.5,
            assignee=scenario.assignee.assignee, evidence=evidence,
        )  # fmt: skip
        TriageSuggestionFactory(
            result=result, kind=SuggestionKind.PRIORITY, value=Priority.NORMAL, score=0.6,
            evidence=signals,
        )  # fmt: skip
        results.append(result)
    return results
