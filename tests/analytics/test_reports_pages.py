"""The ad-hoc report page and its markdown/CSV exports: filters, visibility, escaping."""

from __future__ import annotations

import csv
import io
import re

import pytest

from community.models import Actor, Issue
from tests.analytics.conftest import at
from tests.factories import (
    CommentFactory,
    IssueEventFactory,
    IssueFactory,
    LabelFactory,
    PullRequestFactory,
)

pytestmark = pytest.mark.django_db
WINDOW = "start=2024-05-01&end=2024-06-30"


def items(page: str) -> list[str]:
    """repository#number of each row of the item table."""
    table = page[page.index('id="items-heading"') :]
    return re.findall(r'">([\w.-]+/[\w.-]+#\d+)</a>', table)


def test_issue_metrics_over_exactly_the_chosen_items(client, community):
    page = client.get(f"/dashboards/reports/?{WINDOW}&repository=acme/widgets&kind=issue")
    text = page.content.decode()
    assert items(text) == ["acme/widgets#1", "acme/widgets#2"]
    summary = text[text.index('id="summary-heading"') : text.index('id="items-heading"')]
    # issue 1: the maintainer answered after 5 h (alice's own and the bot's comments do not
    # count) and closed it after 2 days; issue 2 is open and unanswered.
    assert '<th scope="row">Time to first response</th><td class="num">5 h 0 min</td>' in summary
    assert '<th scope="row">Time to close</th><td class="num">2 d 0 h</td>' in summary
    assert (
        "<dt>Still open</dt><dd>2</dd>" not in summary
        and "<dt>Still open</dt><dd>1</dd>" in summary
    )


def test_pull_requests_first_timers_and_labels(client, community):
    both = client.get(f"/dashboards/reports/?{WINDOW}&kind=both").content.decode()
    assert items(both) == ["acme/widgets#1", "acme/widgets#3", "acme/widgets#2", "acme/widgets#4"]
    firsts = client.get(f"/dashboards/reports/?{WINDOW}&kind=both&author_type=first_time")
    assert items(firsts.content.decode()) == ["acme/widgets#1", "acme/widgets#2"]
    bug = LabelFactory(repository=community.public, name="bug")
    crash = LabelFactory(repository=community.public, name="crash")
    Issue.objects.get(repository=community.public, number=2).labels.set([bug, crash])
    Issue.objects.get(repository=community.public, number=1).labels.set([bug])
    one = client.get(f"/dashboards/reports/?{WINDOW}&labels=Bug, crash").content.decode()
    assert items(one) == ["acme/widgets#2"]
    assert 'value="Bug, crash"' in one  # the filter as applied
    two = client.get(f"/dashboards/reports/?{WINDOW}&labels=bug").content.decode()
    assert items(two) == ["acme/widgets#1", "acme/widgets#2"]


def test_private_items_only_for_those_who_may_see_them(client, staff_client, community):
    assert items(client.get(f"/dashboards/reports/?{WINDOW}").content.decode()) == [
        "acme/widgets#1", "acme/widgets#2"
    ]  # fmt: skip
    staff = staff_client.get(f"/dashboards/reports/?{WINDOW}").content.decode()
    assert "acme/secret#1" in items(staff)
    chosen = client.get(f"/dashboards/reports/?{WINDOW}&repository=acme/secret")
    assert "acme/secret" not in "".join(items(chosen.content.decode()))
    exported = client.get(f"/dashboards/reports/report.csv?{WINDOW}&repository=acme/secret")
    assert "acme/secret" not in exported.content.decode()


@pytest.fixture
def awkward(community):
    IssueFactory(
        repository=community.public, number=5, author=Actor.objects.get(login="bob"),
        title="=HYPERLINK(\"x\") *bold* @here <script>alert(1)</script> | pipe",
        created_at=at("2024-06-10 10:00"),
    )  # fmt: skip
    return community


def test_markdown_export_is_escaped_and_mentions_nobody(client, awkward):
    response = client.get(f"/dashboards/reports/report.md?{WINDOW}&repository=acme/widgets")
    assert response["Content-Type"].startswith("text/markdown")
    text = response.content.decode()
    assert text.startswith("# Issue metrics\n")
    assert "| Time to first response | 5 h 0 min | 5 h 0 min | 5 h 0 min | 1 |" in text
    assert "| Total number of items created | 3 |" in text
    assert "\\*bold\\* @\u2060here \\<script\\>alert(1)\\</script\\> \\| pipe" in text
    assert "@here" not in text and "<script>" not in text
    assert "[acme/widgets#1](https://github.com/acme/widgets/issues/1)" in text


def test_csv_export_has_one_row_per_item(client, awkward):
    response = client.get(f"/dashboards/reports/report.csv?{WINDOW}&kind=both")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["repository"], r["number"]) for r in rows] == [
        ("acme/widgets", "1"), ("acme/widgets", "3"), ("acme/widgets", "2"),
        ("acme/widgets", "4"), ("acme/widgets", "5"),
    ]  # fmt: skip
    first = rows[0]
    assert (first["time_to_first_response"], first["time_to_close"]) == ("5.00", "48.00")
    assert first["created_at"] == "2024-05-06T10:00:00+00:00" and first["author"] == "alice"
    assert rows[1]["time_to_merge"] == "48.00" and rows[3]["time_to_merge"] == ""
    assert rows[-1]["title"].startswith("'=HYPERLINK")  # a spreadsheet will not run it
    assert client.get(f"/dashboards/reports/report.xlsx?{WINDOW}").status_code == 404


def test_the_report_stays_within_its_query_budget(client, awkward, django_assert_max_num_queries):
    url = f"/dashboards/reports/?{WINDOW}&kind=both&measure=bug"
    with django_assert_max_num_queries(16) as few:
        assert client.get(url).status_code == 200
    bob = Actor.objects.get(login="bob")
    for number in range(20, 30):
        issue = IssueFactory(repository=awkward.public, number=number, author=bob,
                             created_at=at("2024-06-11 10:00"))  # fmt: skip
        CommentFactory(issue=issue, created_at=at("2024-06-11 12:00"))
    with django_assert_max_num_queries(len(few.captured_queries)):  # not one more per item
        assert client.get(url).status_code == 200


def test_time_in_draft_and_in_a_label_on_the_page_and_in_exports(client, community):
    issue = Issue.objects.get(repository=community.public, number=1)
    IssueEventFactory(issue=issue, event="labeled", label_name="needs-info",
                      created_at=at("2024-05-06 12:00"))  # fmt: skip
    IssueEventFactory(issue=issue, event="unlabeled", label_name="needs-info",
                      created_at=at("2024-05-06 18:00"))  # fmt: skip
    draft = PullRequestFactory(repository=community.public, number=8, author=issue.author,
                               created_at=at("2024-06-05 09:00"))  # fmt: skip
    IssueEventFactory(issue=None, pull_request=draft, event="ready_for_review",
                      created_at=at("2024-06-06 10:30"))  # fmt: skip
    query = f"{WINDOW}&kind=both&measure=needs-info"
    page = client.get(f"/dashboards/reports/?{query}").content.decode()
    assert '<th scope="row">Time in label needs-info</th><td class="num">6 h 0 min</td>' in page
    assert '<th scope="row">Time in draft</th><td class="num">1 d 1 h</td>' in page
    assert 'value="needs-info"' in page
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/dashboards/reports/report.csv?{query}").content.decode()
    )))  # fmt: skip
    by_number = {row["number"]: row for row in rows}
    assert by_number["1"]["time_in_label_needs-info"] == "6.00"
    assert by_number["8"]["time_in_draft"] == "25.50"
    markdown = client.get(f"/dashboards/reports/report.md?{query}").content.decode()
    assert "| Time in label needs-info | 6 h 0 min | 6 h 0 min | 6 h 0 min | 1 |" in markdown
