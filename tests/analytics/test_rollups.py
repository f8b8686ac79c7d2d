"""Rollups: stored values, idempotence, resume after a crash, the command."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from analytics.models import AttentionSnapshot, FillState, MetricRollup, Scope
from analytics.services import rollups
from analytics.services.rollups import rollups_fill
from analytics.tasks import rollups_refresh
from community.models import Actor, Issue
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db
MAY = dt.date(2024, 5, 1)


def _value(metric: str, *, scope=Scope.REPOSITORY, repository=None, period="month", start=MAY):
    row = MetricRollup.objects.get(
        metric=metric, period=period, period_start=start, scope=scope, repository=repository
    )
    return row.values


def _stored() -> list[tuple]:
    rows = MetricRollup.objects.order_by("metric", "period", "period_start", "scope", "repository")
    return [(r.metric, r.period, r.period_start, r.scope, r.repository_id, r.values) for r in rows]


def test_fill_stores_metrics_per_repository_and_scope(community):
    rollups_fill(now=community.now)
    widgets = _value("issue_first_response", repository=community.public)
    assert (widgets["count"], widgets["answered"], widgets["median"]) == (1, 1, 5.0)
    # The public aggregate leaves the private repository out; the staff one has both (5 h, 1 h).
    assert _value("issue_first_response", scope=Scope.PUBLIC)["median"] == 5.0
    assert _value("issue_first_response", scope=Scope.ALL)["median"] == 3.0
    assert _value("pr_review_rounds", repository=community.public)["median"] == 2.0
    assert _value("pr_merge_lead_time", repository=community.public)["median"] == 48.0
    june = dt.date(2024, 6, 1)
    flow = _value("issue_flow", repository=community.public, start=june)
    assert (flow["opened"], flow["closed"], flow["backlog"]) == (1, 0, 1)
    stars = _value("stars", repository=community.public, start=june)
    assert (stars["new"], stars["total"]) == (1, 3)
    assert _value("forks", repository=community.public, start=june)["forks"] == 4
    contributors = _value("contributors", scope=Scope.PUBLIC, start=june)
    assert (contributors["active"], contributors["new"]) == (1, 1)  # bob
    weekly = _value(
        "issue_first_response", repository=community.public, period="week",
        start=dt.date(2024, 5, 6),
    )  # fmt: skip
    assert weekly["median"] == 5.0


def test_attention_tables_are_stored_per_scope(community):
    rollups_fill(now=community.now)
    lists = AttentionSnapshot.objects.get(repository=community.public).lists
    assert [row["number"] for row in lists["unanswered_issues"]] == [2]
    assert [row["number"] for row in lists["prs_waiting_review"]] == [4]
    assert [row["number"] for row in lists["first_timers_waiting"]] == [4]
    assert lists["unanswered_issues"][0]["url"] == "https://github.com/acme/widgets/issues/2"
    assert AttentionSnapshot.objects.get(scope=Scope.PUBLIC, repository=None).lists


def test_fills_are_idempotent(community):
    rollups_fill(now=community.now)
    first = _stored()
    assert rollups_fill(now=community.now).periods_written > 0  # recent periods redone
    assert _stored() == first
    rollups_fill(now=community.now, full=True)
    assert _stored() == first


def test_a_crashed_fill_redoes_its_period(community, monkeypatch):
    rollups_fill(now=community.now)
    expected = _stored()
    MetricRollup.objects.all().delete()
    FillState.objects.all().delete()

    real_write = rollups.period_write
    calls = {"n": 0}

    def crash_on_the_third(states, rows, *, period, start):
        calls["n"] += 1
        if calls["n"] == 3:
            # Part of a period on disk, then the worker dies before committing the rest.
            FillState.objects.filter(pk__in=[s.pk for s in states]).update(
                status=FillState.Status.STARTED, period_in_progress=start.date()
            )
            MetricRollup.objects.create(
                metric=states[0].metric, period=period, period_start=start.date(),
                scope=Scope.ALL, values={"partial": True},
            )  # fmt: skip
            raise RuntimeError("worker lost")
        real_write(states, rows, period=period, start=start)

    monkeypatch.setattr(rollups, "period_write", crash_on_the_third)
    with pytest.raises(RuntimeError):
        rollups_fill(now=community.now)
    assert FillState.objects.filter(status=FillState.Status.STARTED).exists()
    assert MetricRollup.objects.filter(values={"partial": True}).exists()
    monkeypatch.setattr(rollups, "period_write", real_write)
    rollups_fill(now=community.now)
    assert _stored() == expected
    assert not FillState.objects.filter(status=FillState.Status.STARTED).exists()


def test_rollup_command_full(community, capsys):
    call_command("rollup", "--full", "--no-progress")
    assert "metric periods" in capsys.readouterr().out
    assert MetricRollup.objects.filter(metric="stars").exists()


def test_new_data_is_picked_up_by_the_incremental_refresh(community):
    rollups_fill(now=community.now)
    june = {
        "metric": "issue_first_response",
        "period": "month",
        "period_start": dt.date(2024, 6, 1),
    }
    assert MetricRollup.objects.get(repository=community.public, **june).values["answered"] == 0
    issue = Issue.objects.get(repository=community.public, number=2)
    CommentFactory(issue=issue, author=Actor.objects.get(login="maintainer"),
                   created_at=issue.created_at + dt.timedelta(hours=30))  # fmt: skip
    rollups_fill(now=community.now)
    values = MetricRollup.objects.get(repository=community.public, **june).values
    assert (values["answered"], values["median"]) == (1, 30.0)


def test_refresh_task_counts_configured_logins_as_bots(community, settings):
    settings.STEWARD_BOT_LOGINS = ["Bob"]
    rollups_refresh.delay()
    june = MetricRollup.objects.get(
        metric="contributors", period="month", period_start=dt.date(2024, 6, 1),
        scope=Scope.PUBLIC,
    ).values  # fmt: skip
    assert (june["active"], june["bot_active"]) == (0, 1)
    assert "analytics-rollups-incremental" in settings.CELERY_BEAT_SCHEDULE


def test_new_data_from_a_sync_queues_one_debounced_refresh(settings, monkeypatch):
    from celery.signals import task_success
    from django.core.cache import cache

    from analytics import tasks
    from community.signals import SYNC, WEBHOOK, community_data_written

    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.delete(tasks.REFRESH_QUEUED_KEY)
    queued = []
    monkeypatch.setattr(tasks.rollups_refresh, "apply_async", lambda **kw: queued.append(kw))
    # Celery's own signal is no seam: only the community app's `community_data_written` is.
    task_success.send(sender=type("Task", (), {"name": "community.sync_repository"})(), result="ok")
    for kind in (SYNC, WEBHOOK):
        community_data_written.send(sender=None, repository_ids=[], kind=kind, complete=True)
    assert queued == [{"countdown": tasks.REFRESH_DELAY_SECONDS}]
