"""After `manage.py demo` (what `make run` does) every dashboard and the metrics API are full."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from analytics.services.catalog import METRICS
from community.models import Repository

pytestmark = pytest.mark.django_db

EMPTY = "No metrics stored"
CHART_DATA = re.compile(r'<script id="chart-\d+-data" type="application/json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker) -> str:
    """The demo command at a tenth of its size, ending today (the dashboards' default range),
    run once for the module and flushed afterwards. Its triage and digests have their own tests."""
    with django_db_blocker.unblock():
        out = StringIO()
        call_command(
            "demo", "--seed", "3", "--scale", "0.1", "--no-triage", "--no-digests",
            verbosity=0, stdout=out,
        )  # fmt: skip
        yield out.getvalue()
        call_command("flush", interactive=False, verbosity=0)


def _charts(page: str) -> list[dict]:
    return [json.loads(data) for data in CHART_DATA.findall(page)]


def _has_points(chart: dict) -> bool:
    return any(value is not None for dataset in chart["datasets"] for value in dataset["data"])


def test_the_demo_computes_the_rollups(demo_output):
    assert re.search(r"Rollups: [1-9][\d,]* metric periods", demo_output)


@pytest.mark.parametrize("staff", [False, True])
def test_overview_charts_and_attention_lists_are_full(demo_output, client, staff_client, staff):
    page = (staff_client if staff else client).get("/dashboards/").content.decode()

    charts = _charts(page)
    assert EMPTY not in page
    assert len(charts) >= 10 and all(_has_points(chart) for chart in charts)
    assert page.count("Nothing waiting") <= 1  # at a tenth of the size, one list may be empty
    assert "Monthly retention cohorts" in page


def test_every_repository_dashboard_has_chart_data(demo_output, staff_client):
    for repository in Repository.objects.filter(tracked=True):
        response = staff_client.get(f"/dashboards/repos/{repository.full_name}/")
        page = response.content.decode()

        charts = _charts(page)
        assert response.status_code == 200 and EMPTY not in page, repository.full_name
        # A docs repository makes no releases; the private infra one has no stars either.
        assert sum(map(_has_points, charts)) >= len(charts) - 2, repository.full_name


def test_metrics_and_attention_api_answer_with_data(demo_output, client):
    attention = client.get("/api/attention/").json()
    assert attention["lists"]["unanswered_issues"]
    assert client.get("/api/attention/?repository=acme/widgets").json()["lists"]["stale_prs"]
    for spec in METRICS:
        body = client.get(f"/api/metrics/{spec.name}/?period={spec.periods[0]}").json()
        assert body["series"], spec.name
