"""The site pages: every page renders what a visitor expects; lists filter, sort and paginate."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import RepositorySync, SyncStatus
from demo.generator.ids import IdAllocator
from tests.factories import IssueFactory, LabelFactory, PullRequestFactory, RepositoryFactory

pytestmark = pytest.mark.django_db

ROCKET = ("acme", "rocket")


def _url(name: str, *args) -> str:
    return reverse(f"community:{name}", args=[*ROCKET, *args])


def _titles(response) -> list[str]:
    """Item titles in the order the list shows them."""
    rows = re.findall(r'<td class="item-title">\s*<a href="[^"]+">([^<]+)</a>', response.text)
    return rows


def test_home_lists_repositories_with_key_counts(client, site_community):
    response = client.get(reverse("community:home"))

    assert response.status_code == 200
    card = response.text.split("acme/rocket", 1)[1]
    assert "A public rocket" in card
    # 2 open issues, 1 open PR (the draft), 10 stars, 2 contributors (ada, grace: bot excluded).
    counts = re.findall(r"<dd>(?:<a [^>]+>)?(\d+)", card)[:4]
    assert counts == ["2", "1", "10", "2"]
    assert "Last activity <time" in card


def test_repository_page_shows_counts_topics_and_recent_activity(client, site_community):
    response = client.get(_url("repository_detail"))

    assert response.status_code == 200
    html = response.text
    assert "A public rocket" in html
    assert '<li class="topic">space</li>' in html
    numbers = dict(re.findall(r"<dt>([^<]+)</dt><dd>(?:<a [^>]+>)?([\d,]+)", html))
    assert numbers == {
        "Open issues": "2",
        "Closed issues": "1",
        "Open PRs": "1",
        "Merged PRs": "1",
        "Contributors": "2",
        "Stars": "10",
        "Forks": "3",
        "Releases": "1",
    }
    assert "Latest release: <strong>Liftoff</strong>" in html
    assert "Crash on launch" in html and "Fix the launch crash" in html
    assert _url("issue_list") in html and _url("pull_request_list") in html


def test_issue_list_defaults_to_open_newest_first(client, site_community):
    response = client.get(_url("issue_list"))

    assert response.status_code == 200
    assert _titles(response) == ["Add a countdown", "Crash on launch"]
    row = response.text.split("Crash on launch", 1)[1].split("</tr>", 1)[0]
    assert ">bug</a>" in row and "/people/ada/" in row and '<td class="num">5</td>' in row


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "closed"}, ["Old typo"]),
        ({"state": "all"}, ["Add a countdown", "Crash on launch", "Old typo"]),
        ({"state": "all", "label": "bug"}, ["Crash on launch"]),
        ({"state": "all", "author": "GRACE"}, ["Add a countdown"]),
        ({"state": "all", "author": "@ada"}, ["Crash on launch"]),
        ({"q": "countdown"}, ["Add a countdown"]),
        ({"q": "LAUNCH"}, ["Crash on launch"]),  # body text matches too: "**launch**"
        ({"state": "all", "sort": "oldest"}, ["Old typo", "Crash on launch", "Add a countdown"]),
        ({"sort": "comments"}, ["Crash on launch", "Add a countdown"]),
        ({"state": "bogus", "sort": "bogus"}, ["Add a countdown", "Crash on launch"]),
    ],
)
def test_issue_list_filters(client, site_community, query, expected):
    response = client.get(_url("issue_list"), query)
    assert response.status_code == 200
    assert _titles(response) == expected


def test_issue_list_recently_updated_sort(client, site_community):
    site_community.bug_issue.updated_at = timezone.now()
    site_community.bug_issue.save(update_fields=["updated_at"])

    response = client.get(_url("issue_list"), {"sort": "updated"})
    assert _titles(response)[0] == "Crash on launch"


def test_search_matches_body_text(client, site_community):
    response = client.get(_url("issue_list"), {"q": "timer"})
    assert _titles(response) == ["Add a countdown"]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("open", ["WIP countdown"]),
        ("draft", ["WIP countdown"]),
        ("merged", ["Fix the launch crash"]),
        ("closed", ["Fix the launch crash"]),
        ("all", ["Fix the launch crash", "WIP countdown"]),
    ],
)
def test_pull_request_list_states(client, site_community, state, expected):
    response = client.get(_url("pull_request_list"), {"state": state})
    assert response.status_code == 200
    assert _titles(response) == expected


def test_pull_request_list_shows_state_badges(client, site_community):
    html = client.get(_url("pull_request_list"), {"state": "all"}).text
    assert '<span class="state state-draft">Draft</span>' in html
    assert '<span class="state state-merged">Merged</span>' in html


def test_filter_form_controls_are_labelled(client, site_community):
    html = client.get(_url("issue_list")).text
    for field in ("q", "state", "label", "author", "sort"):
        assert f'<label for="id_{field}">' in html
        assert f'id="id_{field}"' in html
    assert '<option value="bug">bug</option>' in html


def test_pagination_keeps_filters(client, site_community):
    repository = site_community.public
    wanted = LabelFactory(repository=repository, name="good first issue")
    start = timezone.now() - dt.timedelta(days=30)
    for n in range(30):
        IssueFactory(
            repository=repository,
            number=100 + n,
            title=f"Starter {n:02d}",
            labels=[wanted],
            created_at=start + dt.timedelta(hours=n),
        )

    first = client.get(_url("issue_list"), {"label": "good first issue", "sort": "oldest"})
    assert len(_titles(first)) == 25
    assert _titles(first)[0] == "Starter 00"
    assert "30 issues" in first.text and "page 1 of 2" in first.text
    next_link = re.search(r'href="(\?[^"]*page=2[^"]*)" rel="next"', first.text).group(1)
    assert "label=good+first+issue" in next_link and "sort=oldest" in next_link

    second = client.get(_url("issue_list") + next_link.replace("&amp;", "&"))
    assert _titles(second) == [f"Starter {n:02d}" for n in range(25, 30)]
    assert 'aria-current="page">2</a>' in second.text


def test_out_of_range_page_shows_last_page(client, site_community):
    response = client.get(_url("issue_list"), {"page": "99"})
    assert response.status_code == 200
    assert _titles(response) == ["Add a countdown", "Crash on launch"]


def test_issue_page_shows_facts_and_one_chronological_conversation(client, site_community):
    response = client.get(_url("issue_detail", 1))

    assert response.status_code == 200
    html = response.text
    assert "<h1>Crash on launch" in html
    assert '<span class="state state-open">Open</span>' in html
    assert "<strong>launch</strong>" in html  # the body is rendered markdown
    assert ">bug</a>" in html and "v1.0" in html  # label and milestone
    assert "/people/grace/" in html.split("Assignees", 1)[1]  # assignee
    conversation = html.split("Conversation", 1)[1]
    labeled = conversation.index("added the label <strong>bug</strong>")
    commented = conversation.index("I can reproduce this.")
    renamed = conversation.index("changed the title <del>crash</del>")
    assert labeled < commented < renamed


def test_pull_request_page_shows_pr_facts_reviews_and_merge(client, site_community):
    response = client.get(_url("pull_request_detail", 4))

    assert response.status_code == 200
    html = response.text
    assert '<span class="state state-merged">Merged</span>' in html
    assert "<code>feature-" in html and "<code>main</code>" in html
    assert '<span class="additions">+42</span>' in html
    assert '<span class="deletions">\u22127</span>' in html and "3 files" in html  # minus sign
    assert "Requested reviewers" in html
    merged = html.split("<dt>Merged</dt>", 1)[1].split("</dd>", 1)[0]
    assert "/people/ada/" in merged
    assert "Changes requested" in html and "Nit here" in html and "src/app.py" in html
    assert "commit <code>aaaaaaa</code>" in html


@pytest.mark.parametrize(
    "url",
    [
        "/repos/acme/nothing/",
        "/repos/acme/nothing/issues/",
        "/repos/acme/rocket/issues/999/",
        "/repos/acme/rocket/pull/999/",
        "/repos/acme/vault/pull/1/",  # the private repository's issue, asked for anonymously
        "/people/nobody/",
    ],
)
def test_unknown_things_are_404(client, site_community, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/repos/acme/rocket/issues/4/", "/repos/acme/rocket/pull/4/"),  # #4 is a pull request
        ("/repos/acme/rocket/pull/1/", "/repos/acme/rocket/issues/1/"),  # #1 an issue
    ],
)
def test_a_number_of_the_other_kind_redirects_like_github(client, site_community, url, target):
    response = client.get(url)

    assert response.status_code == 302 and response["Location"] == target
    assert client.get(target).status_code == 200


def test_a_deleted_pull_request_is_not_redirected_to(client, site_community):
    site_community.merged_pull.deleted_at = timezone.now()
    site_community.merged_pull.save(update_fields=["deleted_at"])

    assert client.get("/repos/acme/rocket/issues/4/").status_code == 404


def test_deleted_items_are_not_shown(client, site_community):
    site_community.feature_issue.deleted_at = timezone.now()
    site_community.feature_issue.save(update_fields=["deleted_at"])

    assert _titles(client.get(_url("issue_list"))) == ["Crash on launch"]
    assert client.get(_url("issue_detail", 2)).status_code == 404


def test_repository_lookup_ignores_case(client, site_community):
    assert client.get("/repos/ACME/Rocket/").status_code == 200


def test_label_swatches_use_the_label_colour_with_readable_text(client, site_community):
    html = client.get(_url("issue_list"), {"state": "all"}).text
    assert 'style="background-color:#d73a4a;color:#000"' in html  # red: black text wins
    PullRequestFactory(
        repository=site_community.public,
        labels=[LabelFactory(repository=site_community.public, name="dark", color="1d1d1d")],
    )
    html = client.get(_url("pull_request_list")).text
    assert 'style="background-color:#1d1d1d;color:#fff"' in html


def test_a_repository_without_sync_state_says_so_without_alarm(client, site_community):
    html = client.get("/repos/acme/rocket/").text
    status = html.split('aria-label="GitHub sync">', 1)[1].split("</div>", 1)[0]

    assert "Not synced from GitHub yet" in status and 'class="muted"' in status
    assert "badge" not in status and "Never synced" not in status


def test_a_demo_repository_says_it_holds_demo_data(client):
    demo = RepositoryFactory(id=IdAllocator(seed=1).next("repository"), name="demo")

    html = client.get(f"/repos/{demo.full_name}/").text

    assert '<span class="muted">Demo data, not synced from GitHub</span>' in html


def test_a_failed_sync_still_shows_its_error(client, site_community):
    RepositorySync.objects.create(
        repository=site_community.public, status=SyncStatus.FAILED, last_error="Bad credentials"
    )

    html = client.get("/repos/acme/rocket/").text

    assert 'class="sync-status sync-failed"' in html and "Bad credentials" in html
