"""The demo's triage step: embed a bounded set of the demo's issues, train each repository's
label classifier on them, and triage the open ones, so the triage queue has real suggestions.

Bounded so it stays around a minute on two CPU cores: the open issues and the issues closed in
the last `RECENT` (of the data's own clock: the demo may end on any date), newest first, at most
`MAX_TEXTS` texts, half of them kept for closed issues (the labelled history the classifiers
and the assignee suggestions learn from). Running it again encodes nothing new, trains only
repositories that have no model yet, and leaves unchanged triage results as they are.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Max
from tqdm import tqdm

from community.models import Issue, IssueState, Repository
from models_hub.embeddings.store import EmbedResult, issues_embed
from models_hub.models import (
    AliasEvent,
    FeedbackDecision,
    ModelKind,
    ModelVersion,
    SuggestionKind,
    TrainedVia,
    TriageSuggestion,
)
from models_hub.registry.aliases import champion_of
from models_hub.registry.promotion import version_promote
from models_hub.registry.versions import WEIGHTS, download_count
from models_hub.training.labels import METHOD_FROZEN
from models_hub.training.retrain import (
    RetrainOutcome,
    label_classifier_retrain,
    label_classifiers_due,
)
from models_hub.training.vocabulary import MIN_PER_LABEL
from models_hub.triage.batch import TriageCounts, issues_triage
from models_hub.triage.feedback import suggestion_decide
from models_hub.triage.replay import challenger_replay_run

if TYPE_CHECKING:
    from models_hub.embeddings.encoder import Encoder

RECENT = dt.timedelta(days=180)
MAX_TEXTS = 800
CHUNK = 128
# Each fold is one more fit of the classifier: three keep the demo's training to seconds.
DEMO_FOLDS = 3
# The demo's first label classifiers learn from the older part of the labelled issues.
EARLIER_SHARE = 0.6
EARLY_MIN_PER_LABEL = 5
# Contributors fetch each model from the hub (every file of a version, a snapshot, or its
# weights alone): a version that was the champion for months more often than one trained today.
EARLIER_SNAPSHOTS = (12, 40)
LATEST_SNAPSHOTS = (2, 10)


@dataclass
class DemoTriage:
    embedded: EmbedResult = field(default_factory=lambda: EmbedResult(0, 0))
    trained: list[RetrainOutcome] = field(default_factory=list)
    triaged: TriageCounts = field(default_factory=TriageCounts)
    decided: int = 0
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


def demo_triage_prepare(
    *,
    encoder: Encoder | None = None,
    progress: bool = False,
    command: str = "python manage.py demo",
) -> DemoTriage:
    """Embed, then give every repository a model hub history: v1 trained on the older labelled
    issues (`EARLIER_SHARE`, back-dated, the first champion), the open issues triaged with it and
    some of its suggestions decided by the demo maintainer; then v2 trained on everything (the
    decisions count), replayed against v1 over the triaged issues, promoted through the champion
    gate (or by the maintainer with a reason when it does not beat v1), and the open issues
    triaged again with it, with more decisions.
    Production quality per version, alias history and the version compare all have data.
    `command` is recorded on every version as what reproduces it: the demo itself (seeded), not
    `train`, which reads every labelled issue, embeds the missing ones and knows no cutoff."""
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
    # Repositories without a model yet (the demo's own decisions make the others due again).
    due = list(
        Repository.objects.filter(pk__in={r.pk for r in label_classifiers_due()})
        .exclude(registered_models__kind=ModelKind.LABEL_CLASSIFIER)
        .order_by("full_name")
    )
    open_ids = list(
        Issue.objects.filter(pk__in=ids, state=IssueState.OPEN).values_list("pk", flat=True)
    )
    maintainer = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    earlier = []
    for repository in due:
        cutoff = _earlier_cutoff(repository, ids)
        outcome = (
            _demo_train(repository, encoder, command=command, created_before=cutoff)
            if cutoff
            else None
        )
        if outcome is not None and outcome.version is None:
            # Too few labels back then for the usual minimum: an early model learnt from fewer.
            outcome = _demo_train(
                repository,
                encoder,
                command=command,
                created_before=cutoff,
                min_per_label=EARLY_MIN_PER_LABEL,
            )
        if outcome is not None and outcome.version is not None:
            _backdate(outcome.version, cutoff)
            earlier.append(outcome)
    if earlier:
        _demo_triage(done, open_ids, encoder, progress)
        done.decided += demo_decisions(issue_ids=open_ids, user=maintainer, every=2)
    first = {outcome.repository.pk: outcome.version for outcome in earlier}
    for repository in due:
        outcome = _demo_train(repository, encoder, command=command)
        if outcome.version is not None and repository.pk in first:
            # What a maintainer looks at before promoting: the suggestions v2 would change.
            challenger_replay_run(
                candidate=outcome.version, baseline=first[repository.pk], encoder=encoder
            )
        if outcome.version is not None and not outcome.promoted:
            _maintainer_promotes(outcome.version, maintainer)
        done.trained.append(outcome)
    _demo_triage(done, open_ids, encoder, progress)
    if any(outcome.version is not None for outcome in done.trained):
        done.decided += demo_decisions(issue_ids=open_ids, user=maintainer, every=3)
    for outcome in done.trained:
        if outcome.version is not None:
            _contributors_download(outcome.version)
    done.seconds = round(time.perf_counter() - started, 1)
    return done


def _earlier_cutoff(repository: Repository, ids: list[int]) -> dt.datetime | None:
    """When the demo's v1 was trained: once the older part (`EARLIER_SHARE`) of the repository's
    embedded labelled issues had been opened."""
    opened = sorted(
        Issue.objects.filter(pk__in=ids, repository=repository, labels__isnull=False)
        .distinct()
        .values_list("created_at", flat=True)
    )
    if len(opened) < 2:
        return None
    return opened[int(len(opened) * EARLIER_SHARE)]


def _demo_train(
    repository,
    encoder,
    *,
    command: str,
    created_before=None,
    min_per_label: int = MIN_PER_LABEL,
) -> RetrainOutcome:
    return label_classifier_retrain(
        repository=repository,
        encoder=encoder,
        embed_missing=False,
        folds=DEMO_FOLDS,
        # Seconds instead of many minutes of CPU: the demo must come up quickly. Later
        # retrains (train_labels, admin, beat) use the configured method.
        method=METHOD_FROZEN,
        trained_via=TrainedVia.DEMO,
        command=command,
        created_before=created_before,
        min_per_label=min_per_label,
    )


def _demo_triage(done: DemoTriage, open_ids: list[int], encoder, progress: bool) -> None:
    with tqdm(
        total=len(open_ids), desc="triage", unit="issue", disable=not progress, file=sys.stderr
    ) as bar:
        done.triaged += issues_triage(issue_ids=open_ids, encoder=encoder, progress=bar.update)


def _backdate(version: ModelVersion, when: dt.datetime) -> None:
    """The demo's first version was trained back then: its row and its promotion say so."""
    ModelVersion.objects.filter(pk=version.pk).update(trained_at=when)
    AliasEvent.objects.filter(to_version=version).update(created_at=when)


def _contributors_download(latest: ModelVersion) -> None:
    """Downloads of each version of the model, counted as the hub counts them (per file, its
    version and its model); the same counts on every run of the demo."""
    rng = random.Random(latest.model.name)
    for version in latest.model.versions.order_by("version").prefetch_related("files"):
        low, high = LATEST_SNAPSHOTS if version.pk == latest.pk else EARLIER_SNAPSHOTS
        snapshots = rng.randint(low, high)
        files = list(version.files.all())
        fetched = files * snapshots + [f for f in files if f.path == WEIGHTS] * (snapshots // 3)
        for model_file in fetched:
            download_count(model_file=model_file)


def _maintainer_promotes(version: ModelVersion, maintainer) -> None:
    previous = champion_of(version.model)
    grew = version.training_rows - (previous.training_rows if previous else 0)
    version_promote(
        version=version,
        actor=maintainer,
        actor_label="" if maintainer else "demo",
        reason=(
            f"Trained on {grew} more issues and the maintainers' decisions since "
            f"v{previous.version if previous else 0}; the k-fold score moves within noise on "
            "a set this small, and the new labels matter more."
        ),
    )


def demo_decisions(*, issue_ids: list[int], user, every: int) -> int:
    """The demo maintainer decides every `every`-th current label suggestion on the issues
    that carry one of the classifier's labels: accepted when it is the suggested one, rejected
    otherwise."""
    suggestions = (
        TriageSuggestion.objects.filter(
            kind=SuggestionKind.LABEL,
            result__is_current=True,
            result__issue_id__in=issue_ids,
            result__issue__labels__isnull=False,
            feedback__isnull=True,
        )
        .select_related("result")
        .distinct()
        .order_by("result__issue_id", "rank")
    )
    carried: dict[int, set[str]] = {}
    for issue_id, name in Issue.labels.through.objects.filter(issue_id__in=issue_ids).values_list(
        "issue_id", "label__name"
    ):
        carried.setdefault(issue_id, set()).add(name)
    decided = 0
    for position, suggestion in enumerate(suggestions):
        truth = carried.get(suggestion.result.issue_id, set()) & set(suggestion.result.label_scores)
        if position % every or not truth:
            continue  # only issues whose true label is one the classifier knows
        right = suggestion.value in truth
        decision = FeedbackDecision.ACCEPTED if right else FeedbackDecision.REJECTED
        suggestion_decide(suggestion=suggestion, decision=decision, user=user)
        decided += 1
    return decided
