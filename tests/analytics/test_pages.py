"""Dashboards, exports and the API, as visitors and staff see them."""

from __future__ import annotations

import csv
import io
import json

import pytest

from analytics.services.rollups import rollups_fill

pytestmark = pytest.mark.django_db
RANGE = "period=month&start=2024-01-01&end=2024-06-30"


@pytest.fixture
def filled(community):
    rollups_fill(now=community.now)
    return community


def test_overview_shows_public_metrics_and_attention(client, filled):
    response = client.get(f"/dashboards/?{RANGE}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Community overview" in page
    assert "Crash on start" in page  # unanswered issue
    assert "Fix the crash" in page  # first-timer's PR waiting
    assert "acme/secret" not in page
    assert "vendor/chartjs/chart.umd.js" in page and "cdn" not in page.lower()
    assert page.count("<canvas") >= 10


def test_overview_for_staff_includes_private_repositories(staff_client, filled):
    page = staff_client.get(f"/dashboards/?{RANGE}").content.decode()
    assert "acme/secret" in page


def test_repository_dashboard_and_private_404(client, staff_client, filled):
    assert client.get(f"/dashboards/repos/acme/widgets/?{RANGE}").status_code == 200
    assert client.get("/dashboards/repos/acme/secret/").status_code == 404
    assert staff_client.get("/dashboards/repos/acme/secret/").status_code == 200


def test_range_picker_rejects_a_reversed_range(client, filled):
    response = client.get("/dashboards/?start=2024-06-01&end=2024-01-01")
    assert response.status_code == 200
    assert "must start before it ends" in response.content.decode()


def test_chart_exports_csv_and_json(client, filled):
    url = "/dashboards/export/time-to-first-response-issues"
    query = f"?{RANGE}&repository=acme/widgets"
    data = json.loads(client.get(f"{url}.json{query}").content)
    may = data["labels"].index("2024-05-01")
    median = data["datasets"][0]
    assert (median["label"], median["data"][may], median["yAxisID"]) == ("median", 5.0, "y")
    assert data["unit"] == "hours" and data["axes"][0]["title"] == "hours"
    assert median["points"][may] == (
        "Median time to first response of the 1 issue answered, of 1 issue opened in May 2024: "
        "5.0 h"
    )
    response = client.get(f"{url}.csv{query}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["period_start", "median", "p90"]
    assert ["2024-05-01", "5.0", "5.0"] in rows
    assert client.get(f"{url}.csv?repository=acme/secret").status_code == 404
    assert client.get("/dashboards/export/no-such-chart.csv").status_code == 404


def test_comparison_and_its_export(client, filled):
    query = f"{RANGE}&value=stars.total&compare={filled.public.full_name}"
    page = client.get(f"/dashboards/?{query}").content.decode()
    assert "Stars — total" in page
    data = json.loads(client.get(f"/dashboards/export/compare.json?{query}").content)
    assert [d["label"] for d in data["datasets"]] == ["acme/widgets"]
    assert data["datasets"][0]["data"][-1] == 3


def test_contributor_page_counts_only_visible_work(client, staff_client, filled):
    page = client.get("/dashboards/people/alice/").content.decode()
    assert "@alice" in page
    # Where they worked links to each repository's dashboard; the private one is not named.
    assert f'<a href="/dashboards/repos/{filled.public.full_name}/">' in page
    assert "acme/secret" not in page
    public = json.loads(client.get("/dashboards/people/alice/export.json").content)
    everything = json.loads(staff_client.get("/dashboards/people/alice/export.json").content)

    def total(data):
        return sum(sum(d["data"]) for d in data["datasets"])

    assert total(public) == 3  # issue 1, its comment, PR 3
    assert total(everything) == 4  # and the private issue
    assert client.get("/dashboards/people/nobody-here/").status_code == 404


def test_api_metrics_series_and_schema(client, filled):
    listing = client.get("/api/metrics/").json()
    names = {m["name"] for m in listing}
    assert {"issue_first_response", "contributors", "absence_factor", "labels"} <= names
    assert all(m["definition"] for m in listing)
    body = client.get(f"/api/metrics/issue_first_response/?{RANGE}&repository=acme/widgets").json()
    may = next(p for p in body["series"] if p["period_start"] == "2024-05-01")
    assert may["median"] == 5.0 and body["scope"] == "repository"
    everything = client.get(f"/api/metrics/issue_first_response/?{RANGE}").json()
    assert everything["scope"] == "public"
    assert (
        client.get("/api/metrics/issue_first_response/?repository=acme/secret").status_code == 404
    )
    assert client.get("/api/metrics/nope/").status_code == 404
    assert client.get("/api/metrics/stars/?start=2024-05-01&end=2024-01-01").status_code == 400
    attention = client.get("/api/attention/?repository=acme/widgets").json()
    assert attention["lists"]["unanswered_issues"][0]["number"] == 2
    schema = client.get("/api/schema/").content.decode()
    assert "/api/metrics/{name}/" in schema and "/api/attention/" in schema


def test_every_control_shows_what_the_page_plots(client, filled):
    """With no parameters the overview plots months, every visible repository and the default
    metric: the controls say so (a form that shows Week while months are plotted misleads)."""
    page = client.get("/dashboards/")
    form, comparison = page.context["form"], page.context["comparison_form"]
    assert form["period"].value() == "month" == page.context["metric_range"].period
    assert form["start"].value() == page.context["metric_range"].start.isoformat()
    plotted = {dataset["label"] for dataset in page.context["comparison"]["datasets"]}
    assert set(comparison["compare"].value()) == plotted and plotted
    assert comparison["value"].value() == "issue_first_response.median"
    html = page.content.decode()
    assert '<option value="month" selected>' in html
    assert f'value="{filled.public.full_name}"' in html  # names, not ids, in the URLs
    assert html.count("checked") >= len(plotted)

    weekly = client.get(
        f"/dashboards/?period=week&value=stars.total&compare={filled.public.full_name}"
    )
    assert weekly.context["form"]["period"].value() == "week"
    assert weekly.context["comparison_form"]["compare"].value() == [filled.public.full_name]
    assert weekly.context["comparison_form"]["value"].value() == "stars.total"
