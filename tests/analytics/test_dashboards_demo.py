"""After `manage.py demo` (what `make run` does) every dashboard and the metrics API are full."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from analytics.models import MetricRollup, Scope
from analytics.services.catalog import METRICS
from community.models import Repository
from tests.browser import ARTIFACTS, launched_chromium, needs_chromium

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


def test_demo_pull_requests_get_a_first_response_after_a_while_that_varies(demo_output):
    """The demo's maintainers answer pull requests some varied time after they open (a label
    is no answer): the monthly medians are above zero and differ from month to month."""
    rows = MetricRollup.objects.filter(
        metric="pr_first_response", period="month", scope=Scope.ALL, repository__isnull=True
    )
    medians = [values["median"] for values in rows.values_list("values", flat=True)
               if values.get("answered", 0) >= 3]  # fmt: skip

    assert len(medians) >= 6
    assert min(medians) > 0.5  # hours
    assert len({round(median, 1) for median in medians}) > len(medians) / 2


def _has_models() -> bool:
    from models_hub.models import ModelVersion

    return ModelVersion.objects.exists()


def _has_digests() -> bool:
    from analytics.models import Digest

    return Digest.objects.exists()


def _has_organisations() -> bool:
    """Someone's organisation is known: a stored affiliation or a commit email's company."""
    from analytics.metrics.contributors_board import email_organisation
    from analytics.models.affiliations import Affiliation
    from community.models import PushedCommit

    emails = PushedCommit.objects.values_list("author_email", flat=True).distinct()
    return Affiliation.objects.exclude(organisation="").exists() or any(
        email_organisation(email) for email in emails
    )


def test_the_contributor_board_shows_the_demo_organisations(demo_output, client):
    """The demo's people work for a few companies (their commit emails say so): the default
    window's board draws organisational diversity and has an elephant factor."""
    page = client.get("/dashboards/contributors/").content.decode()
    orgs = page[page.index('id="orgs-heading"') : page.index('id="board-heading"')]
    chart = json.loads(
        re.search(r'<script id="chart-diversity-data" type="application/json">(.*?)</script>',
                  orgs, re.S).group(1)
    )  # fmt: skip
    # acme leads; at a tenth of the size, two or more companies are active in the last 90 days
    assert chart["labels"][0] == "acme" and len(chart["labels"]) >= 2
    assert all(chart["datasets"][0]["points"])
    factor = re.search(r"<dt>Elephant factor</dt><dd>(\d+)</dd>", orgs)
    assert factor and int(factor.group(1)) >= 1
    assert "No one active in this window has a known organisation" not in orgs


def _has_benchmarks() -> bool:
    from models_hub.models import Benchmark

    return Benchmark.objects.exists()


def _has_items(path: str) -> bool:
    """/repos/o/r/issues/ or /pulls/ with its default filter (open ones; the crawl follows no
    query string)."""
    from community.models import Issue, PullRequest

    owner, name, kind = path.strip("/").split("/")[1:4]
    model = PullRequest if kind == "pulls" else Issue
    rows = model.objects.filter(repository__full_name=f"{owner}/{name}", deleted_at__isnull=True)
    return rows.filter(state="open").exists()


# Empty states a demo page may show, and how to tell the demo has data for them (True: showing
# the message is a bug). Any other empty state fails the test below: a new one must say here
# when it is honest.
EMPTY_STATES: dict[str, Callable[[str], bool]] = {
    "No metrics stored": lambda path: MetricRollup.objects.exists(),
    "No models yet": lambda path: _has_models(),  # the demo here skips training (--no-triage)
    "Nothing to triage": lambda path: _has_models(),
    "No weekly digest has been generated": lambda path: _has_digests(),  # and digests
    "No monthly digest has been generated": lambda path: _has_digests(),
    "No one active in this window has a known organisation": lambda path: _has_organisations(),
    "Nothing matches these filters": _has_items,
    # The demo defines no benchmark (a maintainer does, for a model's task): honest when empty.
    "No benchmarks are defined yet": lambda path: _has_benchmarks(),
}
SKIPPED = ("/admin/", "/accounts/", "/api/", "/static/", "/avatars/", "/media/", "/logout")
EMPTY_STATE = re.compile(r'class="empty"[^>]*>\s*(?:<p>)?\s*([^<]+)', re.S)
LINK = re.compile(r'href="(/[^"#?]*)"')


def _shape(path: str) -> str:
    """A page's kind: numbers and the last word of people/… paths stand for any."""
    shape = re.sub(r"\d+", "N", path)
    return re.sub(r"^(/(?:dashboards/)?people/)[^/]+/", r"\1X/", shape)


def _walk(client, starts: tuple[str, ...], limit: int = 120) -> dict[str, str]:
    """Every page reachable by links from `starts` (one page of each kind), path → HTML."""
    queue, seen_shapes, pages = list(starts), set(), {}
    while queue and len(pages) < limit:
        path = queue.pop(0)
        if path.startswith(SKIPPED) or path.endswith((".csv", ".json", ".md", ".png")):
            continue
        if _shape(path) in seen_shapes:
            continue
        seen_shapes.add(_shape(path))
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        pages[path] = html = response.content.decode()
        queue += LINK.findall(html)
    return pages


def test_no_demo_page_shows_an_empty_state_where_the_demo_has_data(demo_output, admin_client):
    pages = _walk(admin_client, ("/", "/dashboards/"))

    shown = {
        path: [" ".join(message.split()) for message in EMPTY_STATE.findall(html)]
        for path, html in pages.items()
    }
    unknown, wrong = {}, {}
    for path, messages in shown.items():
        for message in messages:
            known = next((key for key in EMPTY_STATES if message.startswith(key)), None)
            if known is None:
                unknown.setdefault(path, []).append(message)
            elif EMPTY_STATES[known](path):
                wrong.setdefault(path, []).append(message)

    assert len(pages) >= 15 and "/dashboards/repos/acme/widgets/" in pages
    assert wrong == {}, wrong
    assert unknown == {}, unknown


@pytest.fixture(scope="module")
def demo_server(demo_output, django_db_blocker):
    """The demo site served over HTTP for Chromium, and a signed-in maintainer's session cookie.

    Not pytest-django's `live_server`: that flushes the database after each test, and the demo
    is built once for the module. On in-memory SQLite the server thread shares the connection.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connections
    from django.test import Client
    from django.test.testcases import LiveServerThread

    with django_db_blocker.unblock():
        maintainer, _ = get_user_model().objects.get_or_create(
            username="charts-maintainer", defaults={"is_staff": True, "is_superuser": True}
        )
        signed_in = Client()
        signed_in.force_login(maintainer)
        cookie = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
        shared = {
            c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()
        }
        for connection in shared.values():
            connection.inc_thread_sharing()
        server = LiveServerThread("localhost", StaticFilesHandler, shared, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield f"http://localhost:{server.port}", cookie
        server.terminate()
        for connection in shared.values():
            connection.dec_thread_sharing()


# Per chart: its title, canvas points drawn (non-null values), y axis titles, and datasets
# whose points lack their sentence.
CHART_STATE = """() => window.stewardCharts.map(chart => ({
  title: chart.canvas.getAttribute('aria-label'),
  drawn: chart.data.datasets.reduce((n, d, i) =>
    n + chart.getDatasetMeta(i).data.filter((el, j) => d.data[j] !== null && !el.skip).length, 0),
  axes: Object.values(chart.scales).filter(s => s.axis === 'y').map(s => s.options.title.text),
  unexplained: chart.data.datasets.filter(d =>
    !d.points || d.points.length !== chart.data.labels.length || d.points.some(p => !p)
  ).map(d => d.label),
}))"""
TOOLTIP = """(id) => {
  const chart = window.stewardCharts.find(c => c.canvas.id === id);
  const index = chart.data.labels.length - 2;
  chart.tooltip.setActiveElements(
    chart.data.datasets.map((d, i) => ({datasetIndex: i, index})), {x: 0, y: 0});
  chart.update();
  return chart.tooltip.body.flatMap(b => b.lines).concat(chart.tooltip.footer);
}"""
DURATION_AXES = {"hours", "days"}
EXPECTED_AXES = {
    "Releases": ["releases per month", "days between releases"],
    "Stars": ["stars (total)", "new stars per month"],
    "Issues opened vs closed": ["issues per month"],
    "Review rounds per closed PR": ["review rounds"],
}


@pytest.mark.browser
@needs_chromium
def test_the_newcomer_sees_drawn_honest_charts_on_every_dashboard(demo_server, monkeypatch):
    base, cookie = demo_server
    paths = ["/dashboards/"] + [
        f"/dashboards/repos/{full_name}/"
        for full_name in Repository.objects.filter(tracked=True).values_list("full_name", flat=True)
    ]
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    seen, errors = {}, []
    with launched_chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 2400})
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        for path in paths:
            page.goto(f"{base}{path}")
            page.wait_for_function("window.stewardCharts && window.stewardCharts.length > 0")
            seen[path] = page.evaluate(CHART_STATE)
            if path == "/dashboards/":
                tooltip = page.evaluate(TOOLTIP, "chart-0")
                page.screenshot(path=str(ARTIFACTS / "charts-overview.png"), full_page=True)
            elif path.endswith("acme/widgets/"):
                page.screenshot(path=str(ARTIFACTS / "charts-repository.png"), full_page=True)

    assert errors == []
    overview = {chart["title"]: chart for chart in seen["/dashboards/"]}
    assert len(overview) >= 15 and all(chart["drawn"] > 0 for chart in overview.values())
    for path, charts in seen.items():
        # The docs repository makes no releases (its release chart is all zeros, still drawn);
        # the private infra one has no stars. Nothing else may be empty.
        assert sum(chart["drawn"] == 0 for chart in charts) <= 1, path
        assert [chart["title"] for chart in charts if chart["unexplained"]] == [], path
        for chart in charts:
            expected = EXPECTED_AXES.get(chart["title"])
            if expected and chart["drawn"]:
                assert chart["axes"][0] == expected[0], (path, chart)
            if chart["title"].startswith(("Time to", "PR merge")):
                assert chart["axes"] and set(chart["axes"]) <= DURATION_AXES, (path, chart)
    assert overview["Releases"]["axes"][1] in ("days between releases", "hours between releases")
    assert overview["Time to close issues"]["axes"] == ["days"]
    assert "Median time to first response of the " in " ".join(tooltip)
