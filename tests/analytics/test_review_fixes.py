"""Regression tests for the user review's analytics bugs, on hand-built data."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analytics.metrics.cycle_time import cycle_time_by_period, pr_phases, waiting_by_phase
from community.models import Actor
from tests.analytics.conftest import at
from tests.factories import ActorFactory, PullRequestFactory, RepositoryFactory, ReviewFactory

T0 = pd.Timestamp("2024-05-01 00:00", tz="UTC")
CYCLE_URL = "/dashboards/repos/acme/widgets/cycle-time/?start=2024-05-01&end=2024-06-30"


def h(hours: float) -> pd.Timestamp:
    return T0 + pd.Timedelta(hours=hours)


def _pr(pr_id, *, merged=None, draft=False, bot=False):
    return {
        "id": pr_id, "repository_id": 7, "number": pr_id, "title": f"PR {pr_id}",
        "author_id": 9 if bot else 1, "author_is_bot": bot, "draft": draft, "created_at": h(0),
        "closed_at": h(merged) if merged is not None else pd.NaT,
        "merged_at": h(merged) if merged is not None else pd.NaT,
    }  # fmt: skip


def _review(pr_id, state, at_hours):
    return {"item_id": pr_id, "reviewer_id": 2, "reviewer_is_bot": False, "state": state,
            "submitted_at": h(at_hours)}  # fmt: skip


NO_COMMITS = pd.DataFrame({"item_id": [], "committed_at": []})


# Bug 6: the cycle-time page contradicted itself.


def test_open_prs_are_never_in_coding_and_bots_do_not_wait():
    prs = pd.DataFrame([_pr(1, draft=True), _pr(2), _pr(3, bot=True)])
    table = pr_phases(prs, pd.DataFrame([_review(9, "APPROVED", 1)]), NO_COMMITS)
    assert table.set_index("id")["phase_now"].to_dict() == {1: "pickup", 2: "pickup", 3: "pickup"}
    waiting = waiting_by_phase(table, now=h(10)).set_index("phase")["waiting"].to_dict()
    # the bot's PR is left out; nothing waits "in coding"
    assert waiting == {"coding": 0, "pickup": 2, "review": 0, "merge": 0}


def test_review_median_is_over_prs_reviewed_more_than_once():
    prs = pd.DataFrame([_pr(1, merged=50), _pr(2, merged=60), _pr(3, merged=70)])
    reviews = pd.DataFrame(
        [
            _review(1, "APPROVED", 2),  # one approval: no review time to measure
            _review(2, "CHANGES_REQUESTED", 4),  # 4 h → 16 h: 12 h
            _review(2, "APPROVED", 16),
            _review(3, "COMMENTED", 5),  # 5 h → 35 h: 30 h
            _review(3, "APPROVED", 35),
        ]
    )
    row = cycle_time_by_period(pr_phases(prs, reviews, NO_COMMITS)).iloc[0]
    assert (row["review_known"], row["review_median"], row["review_p75"]) == (2, 21.0, 25.5)
    assert (row["reviewed"], row["pickup_known"]) == (3, 3)


@pytest.mark.django_db
def test_cycle_time_page_leaves_bots_out_of_waiting_and_keeps_one_unit_per_column(
    client, community
):
    bot = ActorFactory(bot=True)
    alice, maintainer = Actor.objects.get(login="alice"), Actor.objects.get(login="maintainer")
    PullRequestFactory(repository=community.public, author=bot, number=20,
                       created_at=at("2024-01-01 00:00"))  # fmt: skip
    PullRequestFactory(repository=community.public, author=alice, number=21, draft=True,
                       created_at=at("2024-06-10 00:00"))  # fmt: skip
    for number, pickup in ((22, 30), (23, 100)):
        pr = PullRequestFactory(
            repository=community.public, author=alice, number=number,
            created_at=at("2024-06-01 00:00"), state="closed", merged=True,
            merged_at=at("2024-06-20 00:00"), closed_at=at("2024-06-20 00:00"),
        )  # fmt: skip
        ReviewFactory(pull_request=pr, reviewer=maintainer, state="APPROVED",
                      submitted_at=at("2024-06-01 00:00") + pd.Timedelta(hours=pickup))  # fmt: skip
    page = client.get(CYCLE_URL).content.decode()
    waiting = page[page.index('id="waiting-heading"') : page.index('id="load-heading"')]
    assert "#20<" not in waiting  # the bot's PR waits longest, but bots are left out
    pickup = waiting[
        waiting.index(">pickup</th>") : waiting.index("</tr>", waiting.index(">pickup</th>"))
    ]
    assert re.findall(r">#(\d+)</a>", pickup) == ["4", "21"]
    coding = waiting[waiting.index(">coding</th>") :]
    assert re.search(r'<td class="num">(\d+)</td>', coding).group(1) == "0"
    recent = page[page.index('id="recent-heading"') :]
    pickups = [
        re.findall(r'<td class="num">([^<]+)</td>', recent[recent.index(f"#{n}</a>") :])[1]
        for n in (23, 22, 3)
    ]
    # pickups 100 h, 30 h, 3 h: median 30 h < 48 h, so the whole column is in hours
    assert pickups == ["100.0 h", "30.0 h", "3.0 h"]


# Bug 4: the overview's label said "All 4 repositories you can see" over public-only numbers.


@pytest.mark.django_db
def test_overview_labels_its_scope_truthfully(client, community, django_user_model):
    from accounts.models import RepositoryRole

    RepositoryFactory(full_name="acme/tools", name="tools")
    lead = django_user_model.objects.create_user("lead")
    RepositoryRole.objects.create(
        user=lead, repository=community.private, role=RepositoryRole.Role.MAINTAINER
    )
    client.force_login(lead)
    page = client.get("/dashboards/").content.decode()
    text = re.sub(r"<[^>]+>", "", page)
    # the aggregate numbers are the public ones: the label says so and links the private one
    assert "All 2 public repositories (private, on its own dashboard: acme/secret)" in text
    secret = community.private
    assert f'href="/dashboards/repos/{secret.owner.login}/{secret.name}/"' in page
    assert "you can see" not in page
    client.force_login(django_user_model.objects.create_user("boss", is_staff=True))
    page = client.get("/dashboards/").content.decode()
    assert "All 3 repositories ·" in page and "public repositories" not in page
    client.logout()
    page = client.get("/dashboards/").content.decode()
    assert "All 2 public repositories ·" in page and "acme/secret" not in page


# Bug 23: the report showed PR-only metrics for issues and dropped a reversed window silently.

REPORT = "/dashboards/reports/?start=2024-05-01&end=2024-06-30&repository=acme/widgets"


@pytest.mark.django_db
def test_an_issue_report_has_no_pr_only_metrics(client, community):
    page = client.get(f"{REPORT}&kind=issue").content.decode()
    summary = page[page.index('id="summary-heading"') : page.index('id="items-heading"')]
    metrics = re.findall(r'<th scope="row">([^<]+)</th>', summary)
    assert metrics == ["Time to first response", "Time to close"]
    assert "Merged PRs" not in summary and "Time in draft" not in page
    assert "Opened: 2024-05-01 to 2024-06-30. A first response" in page
    markdown = client.get(REPORT.replace("reports/?", "reports/report.md?") + "&kind=issue")
    text = markdown.content.decode()
    assert "Time to merge" not in text and "pull requests merged" not in text
    assert "- Items: issues opened: 2024-05-01 to 2024-06-30\n" in text
    # pull requests keep them: PR #3 merged 48 h after opening
    page = client.get(f"{REPORT}&kind=pr").content.decode()
    summary = page[page.index('id="summary-heading"') : page.index('id="items-heading"')]
    assert re.findall(r'<th scope="row">([^<]+)</th>', summary) == [
        "Time to first response", "Time to close", "Time to merge", "Time in draft",
    ]  # fmt: skip
    assert "<dt>Merged PRs</dt><dd>1</dd>" in summary


@pytest.mark.django_db
def test_a_reversed_window_keeps_the_typed_dates_beside_an_error(client, community):
    page = client.get(
        "/dashboards/reports/?kind=issue&start=2024-06-30&end=2024-05-01"
    ).content.decode()
    assert 'value="2024-06-30" aria-invalid="true"' in page
    assert 'value="2024-05-01" aria-invalid="true"' in page
    assert 'role="alert">The window must start before it ends. Showing last 30 days instead' in page


# Bug 19: an in-progress digest compared 15 hours of a week with a whole week, in red.


def _numbers():
    return [
        {"key": "issues_opened", "label": "Issues opened", "unit": "", "lower_is_better": False,
         "current": 0, "previous": 18, "delta": -18},
        {"key": "open_issues", "label": "Open issues at the end", "unit": "",
         "lower_is_better": False, "current": 40, "previous": 37, "delta": 3},
        {"key": "stars_total", "label": "Stars at the end", "unit": "", "lower_is_better": False,
         "current": 120, "previous": 125, "delta": -5},
    ]  # fmt: skip


def test_in_progress_digest_numbers_are_not_compared_with_a_whole_period():
    from analytics.digests.present import numbers_rows

    rows = {r["key"]: r for r in numbers_rows(_numbers(), in_progress=True)}
    assert (rows["issues_opened"]["delta_text"], rows["issues_opened"]["trend"]) == (
        "in progress",
        "",
    )
    # levels are the state now against the previous period's end: still compared
    assert (rows["stars_total"]["delta_text"], rows["stars_total"]["trend"]) == ("\u22125", "worse")
    assert (rows["open_issues"]["delta_text"], rows["open_issues"]["trend"]) == ("+3", "")
    final = {r["key"]: r for r in numbers_rows(_numbers())}
    assert (final["issues_opened"]["delta_text"], final["issues_opened"]["trend"]) == (
        "\u221218",
        "worse",
    )


@pytest.mark.django_db
def test_in_progress_digest_page_and_markdown_say_in_progress(client, community):
    import datetime as dt

    from analytics.digests import digest_generate

    # the week of 2024-06-03, generated on 2024-06-04: in progress
    digest = digest_generate(
        repository=community.public, period="week", start=dt.date(2024, 6, 3),
        now=dt.datetime(2024, 6, 4, 15, tzinfo=dt.UTC),
    )  # fmt: skip
    assert not digest.is_final
    page = client.get("/dashboards/repos/acme/widgets/digests/week/2024-06-03/").content.decode()
    row = page[page.index('id="number-issues_opened"') :]
    row = row[: row.index("</tr>")]
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row)[-1] == "in progress"
    assert "trend-" not in row
    markdown = client.get(
        "/dashboards/repos/acme/widgets/digests/week/2024-06-03/digest.md"
    ).content
    assert "| Issues opened | 1 | 0 | in progress |" in markdown.decode()


# Bug 21: retention columns no cohort can reach, and 0% shown like no data.


def test_retention_shows_reachable_months_and_tells_zero_from_not_yet():
    from analytics.selectors.dashboards import retention_rows

    series = {
        "contributor_cohorts": [
            {"period_start": "2024-01-01", "cohorts": {"2024-01-01": 4}},
            {"period_start": "2024-02-01", "cohorts": {"2024-01-01": 2, "2024-02-01": 5}},
            # an older cohort (not shown: its first month is outside the window) and nobody
            # of January's cohort active in March
            {"period_start": "2024-03-01", "cohorts": {"2023-06-01": 3, "2024-02-01": 1}},
        ]
    }
    assert retention_rows(series) == [
        {"cohort": "2024-01-01", "size": 4, "percents": [100.0, 50.0, 0.0]},
        {"cohort": "2024-02-01", "size": 5, "percents": [100.0, 20.0, None]},
    ]
