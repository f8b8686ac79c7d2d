"""The demo's triage step: bounded embedding, per-repository classifiers, a filled queue."""

from __future__ import annotations

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from community.models import Issue, IssueState
from demo.generator import demo_community_create
from demo.triage import demo_issue_selection, demo_triage_prepare
from models_hub.models import (
    AliasEvent,
    ChallengerReplay,
    Embedding,
    ModelVersion,
    SuggestionFeedback,
    SuggestionKind,
    TriageResult,
    TriageSuggestion,
)
from models_hub.registry.aliases import champion_of

pytestmark = pytest.mark.django_db
UNTIL = date(2025, 6, 30)


def test_selection_keeps_open_and_recently_closed_issues_within_the_cap():
    demo_community_create(seed=3, scale=0.1, until=UNTIL)

    everything = demo_issue_selection(max_texts=10_000)
    capped = demo_issue_selection(max_texts=20)

    issues = Issue.objects.in_bulk(everything)
    latest = max(issue.updated_at for issue in Issue.objects.all())
    assert {pk for pk, i in issues.items() if i.state == IssueState.OPEN} == set(
        Issue.objects.filter(state=IssueState.OPEN).values_list("pk", flat=True)
    )
    closed = [i for i in issues.values() if i.state == IssueState.CLOSED]
    assert closed and all((latest - i.closed_at).days <= 180 for i in closed)
    states = [issues[pk].state for pk in capped]
    assert len(capped) == 20 and states.count(IssueState.CLOSED) == 10


def test_demo_step_trains_classifiers_and_fills_the_queue_once(configured_fake, model_store):
    # A quarter of the demo: enough labelled issues for a v1 on the older ones, then a v2.
    demo_community_create(seed=3, scale=0.25, until=UNTIL)

    done = demo_triage_prepare(encoder=configured_fake)

    open_issues = Issue.objects.filter(state=IssueState.OPEN)
    assert done.embedded.encoded == Embedding.objects.count() <= 800
    trained = [o for o in done.trained if o.version is not None]
    assert trained and all(len(o.version.metadata["labels"]) >= 2 for o in trained)
    for outcome in trained:  # v2 is the champion: by the gate, or by the maintainer's reason
        assert champion_of(outcome.version.model) == outcome.version
    # A model hub history: an earlier, back-dated v1 replaced by v2, both with decisions.
    histories = [
        list(AliasEvent.objects.filter(model=o.version.model).order_by("created_at"))
        for o in trained
    ]
    with_two = [h for h in histories if len(h) == 2]
    assert with_two and all(h[1].from_version == h[0].to_version for h in with_two)
    for history in with_two:  # v2 was replayed against v1 before it took over
        replay = ChallengerReplay.objects.get(
            candidate=history[1].to_version, baseline=history[0].to_version
        )
        assert replay.status == "done" and replay.issues_compared > 0
    assert all(h[0].created_at < h[1].created_at for h in with_two)
    decided_versions = set(
        SuggestionFeedback.objects.values_list("suggestion__result__label_model", flat=True)
    )
    assert done.decided > 0 and len(decided_versions) >= 2
    assert TriageResult.objects.filter(is_current=True).count() == open_issues.count()
    assert done.triaged.triaged >= open_issues.count()
    labelled = TriageSuggestion.objects.filter(kind=SuggestionKind.LABEL)
    assert labelled.exists() and TriageSuggestion.objects.filter(kind="priority").exists()
    # Contributors downloaded every version; each count adds up as the hub counts downloads,
    # and the version that was the champion for months was fetched more than today's.
    for model in {o.version.model for o in trained}:
        model.refresh_from_db()
        versions = list(model.versions.prefetch_related("files"))
        assert all(v.downloads == sum(f.downloads for f in v.files.all()) > 0 for v in versions)
        assert model.downloads == sum(v.downloads for v in versions)
    for history in with_two:
        earlier, latest = (ModelVersion.objects.get(pk=e.to_version_id) for e in history)
        assert earlier.downloads > latest.downloads
    versions = ModelVersion.objects.count()

    again = demo_triage_prepare(encoder=configured_fake)

    assert again.embedded.encoded == 0
    # Trained repositories have nothing new; the others are only checked again (and skipped).
    assert all(outcome.version is None for outcome in again.trained)
    assert again.triaged.triaged == 0 and again.triaged.unchanged == open_issues.count()
    assert ModelVersion.objects.count() == versions


def test_demo_command_runs_the_triage_step_unless_told_not_to(configured_fake, model_store):
    out = StringIO()
    call_command("demo", "--scale", "0.05", "--until", "2025-06-30", "--no-triage", stdout=out)
    assert not Embedding.objects.exists() and "Triage:" not in out.getvalue()

    call_command("demo", "--scale", "0.1", "--until", "2025-06-30", stdout=out)

    assert "Triage:" in out.getvalue()
    assert re.search(r"label classifier v\d \(", out.getvalue())
    assert TriageResult.objects.exists()
    # What reproduces a demo version is the demo (seeded, on an empty database), not `train`.
    commands = set(ModelVersion.objects.values_list("command", flat=True))
    assert commands == {"python manage.py demo --seed 7 --scale 0.1 --until 2025-06-30"}
