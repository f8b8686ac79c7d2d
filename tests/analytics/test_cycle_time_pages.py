"""The cycle-time page of a repository: phases per PR and month, waiting PRs, reviewer load."""

from __future__ import annotations

import json
import re

import pytest

from community.models import Actor, PullRequest, PushedCommit
from tests.analytics.conftest import at
from tests.factories import PullRequestFactory, ReviewFactory

pytestmark = pytest.mark.django_db
URL = "/dashboards/repos/acme/widgets/cycle-time/?start=2024-05-01&end=2024-06-30"


@pytest.fixture
def cycle(community):
    maintainer = Actor.objects.get(login="maintainer")
    merged = PullRequest.objects.get(repository=community.public, number=3)
    PushedCommit.objects.create(
        repository=community.public, sha="a" * 40, author=merged.author,
        ref=f"refs/heads/{merged.head_ref}", committed_at=at("2024-05-06 20:00"),
    )  # fmt: skip
    waiting = PullRequest.objects.get(repository=community.public, number=4)
    waiting.requested_reviewers.add(maintainer)
    secret = PullRequestFactory(
        repository=community.private, author=Actor.objects.get(login="bob"), number=9,
        created_at=at("2024-05-20 08:00"),
    )  # fmt: skip
    secret.requested_reviewers.add(maintainer)
    ReviewFactory(pull_request=secret, reviewer=maintainer, state="COMMENTED",
                  submitted_at=at("2024-05-21 08:00"))  # fmt: skip
    return community


def chart(page: str, chart_id: str) -> dict:
    found = re.search(rf'<script id="{chart_id}-data" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1))


def test_phases_of_a_merged_pr(client, cycle):
    page = client.get(URL).content.decode()
    merged = page[page.index('id="recent-heading"') :]
    row = merged[merged.index("#3</a>") : merged.index("</tr>", merged.index("#3</a>"))]
    # coding (first push → opened), pickup (→ changes requested), review (→ approval), merge
    assert re.findall(r'<td class="num">([^<]+)</td>', row) == [
        "12.0 h",
        "3.0 h",
        "21.0 h",
        "24.0 h",
    ]
    data = chart(page, "chart-cycle")
    # stacked phases in one unit: hours, as the median of the phase medians (16.5 h) is < 48 h
    assert data["axes"][0]["stacked"] is True and data["unit"] == "hours"
    assert data["labels"][:2] == ["2024-05-01", "2024-06-01"]
    medians = {d["label"]: d["data"][0] for d in data["datasets"] if d["yAxisID"] == "y"}
    assert medians == pytest.approx({"coding (median)": 12, "pickup (median)": 3,
                                     "review (median)": 21, "merge (median)": 24})  # fmt: skip


def test_waiting_prs_and_reviewer_load_count_visible_work_only(client, staff_client, cycle):
    page = client.get(URL).content.decode()
    assert chart(page, "chart-waiting")["datasets"][0]["data"] == [0, 1, 0, 0]  # bob's, pickup
    load = page[page.index('id="load-heading"') : page.index('id="recent-heading"')]
    maintainer = load[load.index(">maintainer</a>") :]
    # one open request (the private PR's is not counted), two reviews of alice's PR
    assert re.findall(r'<td class="num">(\d+)</td>', maintainer)[:3] == ["1", "2", "1"]
    assert client.get("/dashboards/repos/acme/secret/cycle-time/").status_code == 404
    secret = staff_client.get("/dashboards/repos/acme/secret/cycle-time/?start=2024-05-01")
    assert secret.status_code == 200
    assert chart(secret.content.decode(), "chart-waiting")["datasets"][0]["data"] == [0, 0, 1, 0]


def test_the_window_is_shown_as_plotted(client, cycle):
    page = client.get("/dashboards/repos/acme/widgets/cycle-time/?start=2024-06-01&end=2024-06-30")
    text = page.content.decode()
    assert 'value="2024-06-01"' in text and 'value="2024-06-30"' in text
    assert "No pull request was merged in this window." in text
    reversed_ = client.get(
        "/dashboards/repos/acme/widgets/cycle-time/?start=2024-06-30&end=2024-06-01"
    )
    assert "must start before it ends" in reversed_.content.decode()


def test_the_page_stays_within_its_query_budget(client, cycle, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
