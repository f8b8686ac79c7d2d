"""The demo's triage step: embed a bounded set of the demo's issues, train each repository's
label classifier on them, and triage the open ones, so the triage queue has real suggestions.

Bounded so it stays around a minute on two CPU cores: the open issues and the issues closed in
the last `RECENT` (of the data's own clock: the demo may end on any date), newest first, at most
`MAX_TEXTS` texts, half of them kept for closed issues (the labelled history the classifiers
and the assignee suggestions learn from). Running it again encodes nothing new, retrains only
repositories with new labels, and leaves unchanged triage results as they are.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Max
from tqdm import tqdm

from community.models import Issue, IssueState, Repository
from models_hub.embeddings.store import EmbedResult, issues_embed
from models_hub.training.labels import METHOD_FROZEN
from models_hub.training.retrain import (
    RetrainOutcome,
    label_classifier_retrain,
    label_classifiers_due,
)
from models_hub.triage.batch import TriageCounts, issues_triage

if TYPE_CHECKING:
    from models_hub.embeddings.encoder import Encoder

RECENT = dt.timedelta(days=180)
MAX_TEXTS = 800
CHUNK = 128
# Each fold is one more fit of the classifier: three keep the demo's training to seconds.
DEMO_FOLDS = 3


@dataclass
class DemoTriage:
    embedded: EmbedResult = field(default_factory=lambda: EmbedResult(0, 0))
    trained: list[RetrainOutcome] = field(default_factory=list)
    triaged: TriageCounts = field(default_factory=TriageCounts)
    seconds: float = 0.0


def demo_issue_selection(*, max_texts: int = MAX_TEXTS, recent: dt.timedelta = RECENT) -> list[int]:
    """Open issues and recently closed ones, newest first, within `max_texts`."""
    issues = Issue.objects.filter(deleted_at__isnull=True, repository__deleted_at__isnull=True)
    latest = issues.aggregate(at=Max("updated_at"))["at"]
    if latest is None:
        return []
    open_ids = list(
        issues.filter(state=IssueState.OPEN).order_by("-created_at").values_list("pk", flat=True)
    )
    closed_ids = list(
        issues.filter(state=IssueState.CLOSED, closed_at__gte=latest - recent)
        .order_by("-closed_at")
        .values_list("pk", flat=True)
    )
    closed_share = min(len(closed_ids), max_texts // 2)
    open_share = min(len(open_ids), max_texts - closed_share)
    closed_share = min(len(closed_ids), max_texts - open_share)
    return open_ids[:open_share] + closed_ids[:closed_share]


def demo_triage_prepare(*, encoder: Encoder | None = None, progress: bool = False) -> DemoTriage:
    started = time.perf_counter()
    done = DemoTriage()
    ids = demo_issue_selection()
    with tqdm(
        total=len(ids), desc="embed issues", unit="issue", disable=not progress, file=sys.stderr
    ) as bar:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            done.embedded += issues_embed(issue_ids=chunk, encoder=encoder)
            bar.update(len(chunk))
    due = {repository.pk for repository in label_classifiers_due()}
    for repository in Repository.objects.filter(pk__in=due).order_by("full_name"):
        done.trained.append(
            label_classifier_retrain(
                repository=repository,
                encoder=encoder,
                embed_missing=False,
                folds=DEMO_FOLDS,
                # Seconds instead of many minutes of CPU: the demo must come up quickly. Later
                # retrains (train_labels, admin, beat) use the configured method.
                method=METHOD_FROZEN,
            )
        )
    open_ids = list(
        Issue.objects.filter(pk__in=ids, state=IssueState.OPEN).values_list("pk", flat=True)
    )
    with tqdm(
        total=len(open_ids), desc="triage", unit="issue", disable=not progress, file=sys.stderr
    ) as bar:
        done.triaged = issues_triage(issue_ids=open_ids, encoder=encoder, progress=bar.update)
    done.seconds = round(time.perf_counter() - started, 1)
    return done
