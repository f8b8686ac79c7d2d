"""Challenger replays on the version and compare pages: the latest replay of a candidate against
a baseline (the champion, or the other version compared), and the maintainers' button that
queues a new one (`models_hub.triage.replay`, run by a worker)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from models_hub.models import ChallengerReplay, ModelVersion
from models_hub.triage.replay import (
    ReplayError,
    challenger_replay_queue,
    latest_replay,
    replay_baseline,
)
from models_hub.views.access import maintainer_required
from models_hub.views.hub.lookup import (
    maintained_model_or_404,
    version_or_404,
    version_pair_or_404,
)


@dataclass(frozen=True)
class ReplayChange:
    number: int | None
    title: str
    url: str
    before_label: str | None
    before_confidence: float | None
    after_label: str | None
    after_confidence: float | None


@dataclass(frozen=True)
class ReplayView:
    status: str
    candidate: int
    baseline: int | None
    compared: int
    changes: list[ReplayChange]
    detail: str
    created_at: datetime
    finished_at: datetime | None


def _side(change: dict, key: str) -> tuple[str | None, float | None]:
    side = change.get(key) if isinstance(change.get(key), dict) else {}
    confidence = side.get("confidence")
    return side.get("label"), confidence if isinstance(confidence, int | float) else None


def _change(change: dict, repository) -> ReplayChange:
    number = change.get("number")
    url = ""
    if repository is not None and isinstance(number, int):
        owner, _, name = repository.full_name.partition("/")
        url = reverse("community:issue_detail", args=[owner, name, number])
    before, after = _side(change, "before"), _side(change, "after")
    return ReplayChange(number, str(change.get("title") or ""), url, *before, *after)


def replay_view(
    replay: ChallengerReplay, *, candidate: ModelVersion, baseline: ModelVersion
) -> ReplayView:
    repository = candidate.model.repository
    rows = replay.changes if isinstance(replay.changes, list) else []
    return ReplayView(
        status=replay.status,
        candidate=candidate.version,
        baseline=baseline.version,
        compared=replay.issues_compared,
        changes=[_change(row, repository) for row in rows if isinstance(row, dict)],
        detail=replay.detail,
        created_at=replay.created_at,
        finished_at=replay.finished_at,
    )


def replay_of(candidate: ModelVersion, *, baseline: ModelVersion | None) -> ReplayView | None:
    """The latest replay of `candidate` against `baseline` (None: against the champion); None
    when there is none, or no champion other than the candidate to replay against."""
    baseline = replay_baseline(candidate=candidate, baseline=baseline)
    if baseline is None:
        return None
    replay = latest_replay(candidate=candidate, baseline=baseline)
    return replay_view(replay, candidate=candidate, baseline=baseline) if replay else None


def _queue(request: HttpRequest, candidate: ModelVersion, baseline: ModelVersion | None) -> None:
    against = f"v{baseline.version}" if baseline else "the champion"
    try:
        challenger_replay_queue(
            candidate_id=candidate.pk, baseline_id=baseline.pk if baseline else None
        )
    except ReplayError as error:
        messages.error(request, f"No replay queued: {error}.")
    else:
        messages.success(
            request,
            f"Replay of v{candidate.version} against {against} queued: the differences appear "
            "here once a worker has computed them.",
        )


@require_POST
@maintainer_required
def replay_queue(request: HttpRequest, name: str, number: int) -> HttpResponse:
    maintained_model_or_404(request, name)
    candidate = version_or_404(request, name, number)
    _queue(request, candidate, None)
    return redirect(reverse("models_hub:version_detail", args=[name, number]) + "#replay")


@require_POST
@maintainer_required
def compare_replay(request: HttpRequest, name: str) -> HttpResponse:
    model = maintained_model_or_404(request, name)
    a, b = version_pair_or_404(model, request.POST)
    _queue(request, b, a)
    url = reverse("models_hub:compare", args=[name])
    return redirect(f"{url}?a={a.version}&b={b.version}#replay")
