"""Digests of the demo community, checked against counts computed straight from the ORM."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db.models import Q

from analytics.digests import digest_generate
from analytics.models import AttentionSnapshot, Digest, IdentityMembership
from analytics.services.attention import attention_refresh
from analytics.services.rollups import tracked_repositories
from analytics.services.windows import run_context_load
from community.models import (
    Actor,
    Comment,
    Issue,
    PullRequest,
    Release,
    Repository,
    Review,
    StarEvent,
)
from demo.generator import demo_community_create

pytestmark = pytest.mark.django_db

UNTIL = dt.date(2026, 6, 1)
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)  # the demo's last instant: a Monday, a 1st
PERIODS = {"week": dt.date(2026, 5, 18), "month": dt.date(2026, 5, 1)}


@dataclass
class Demo:
    repository: Repository
    digests: dict[str, Digest]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The small demo (one seed, a tenth of the size) and a week's and a month's digests of
    acme/widgets, built once for the module and flushed afterwards."""
    with django_db_blocker.unblock():
        demo_community_create(seed=3, scale=0.1, until=UNTIL)
        repository = Repository.objects.get(full_name="acme/widgets")
        digests = {
            period: digest_generate(repository=repository, period=period, start=start, now=NOW)
            for period, start in PERIODS.items()
        }
        yield Demo(repository=repository, digests=digests)
        call_command("flush", interactive=False, verbosity=0)


def _bounds(digest: Digest) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(digest.start, dt.time(), tzinfo=dt.UTC)
    return start, dt.datetime.combine(digest.end, dt.time(), tzinfo=dt.UTC)


def _numbers(digest: Digest) -> dict[str, dict]:
    return {number["key"]: number for number in digest.content["numbers"]}


def _human_opened(model, repository, start, end):
    return model.objects.filter(
        repository=repository, created_at__gte=start, created_at__lt=end, deleted_at__isnull=True
    ).exclude(author__is_bot=True)


def _counts(repository, start, end) -> dict[str, int]:
    live = {"repository": repository, "deleted_at__isnull": True}
    open_at_end = Q(closed_at__isnull=True) | Q(closed_at__gte=end)
    return {
        "issues_opened": _human_opened(Issue, repository, start, end).count(),
        "issues_closed": Issue.objects.filter(closed_at__gte=start, closed_at__lt=end, **live)
        .exclude(author__is_bot=True)
        .count(),
        "open_issues": Issue.objects.filter(open_at_end, created_at__lt=end, **live).count(),
        "prs_opened": _human_opened(PullRequest, repository, start, end).count(),
        "prs_merged": PullRequest.objects.filter(
            merged_at__gte=start, merged_at__lt=end, **live
        ).count(),
        "stars_new": StarEvent.objects.filter(
            repository=repository, starred_at__gte=start, starred_at__lt=end
        ).count(),
        "releases": Release.objects.filter(
            repository=repository, draft=False, published_at__gte=start, published_at__lt=end
        ).count(),
    }


@pytest.mark.parametrize("period", list(PERIODS))
def test_numbers_equal_orm_counts_for_this_and_the_previous_period(demo, period):
    digest = demo.digests[period]
    numbers = _numbers(digest)
    start, end = _bounds(digest)
    previous_start = dt.datetime.fromisoformat(digest.content["previous_start"]).replace(
        tzinfo=dt.UTC
    )
    now, before = (
        _counts(demo.repository, start, end),
        _counts(demo.repository, previous_start, start),
    )

    assert {key: numbers[key]["current"] for key in now} == now
    assert {key: numbers[key]["previous"] for key in before} == before
    for key in now:
        assert numbers[key]["delta"] == now[key] - before[key]
    assert numbers["issues_opened"]["current"] > 0 and numbers["prs_merged"]["current"] > 0
    assert numbers["contributors_new"]["current"] == len(digest.content["newcomers"])


def _first_response_hours(issue: Issue, until: dt.datetime | None = None) -> float | None:
    """Hours to the first comment by a person other than the author (labels and closes are
    no answer)."""
    by_others = ~Q(author=issue.author) & Q(author__is_bot=False)
    comments = issue.comments.filter(by_others).values_list("created_at", flat=True)
    times = [t for t in comments if until is None or t < until]
    return (min(times) - issue.created_at).total_seconds() / 3600 if times else None


def test_time_to_first_response_median_matches_the_orm(demo):
    digest = demo.digests["month"]
    start, end = _bounds(digest)
    issues = _human_opened(Issue, demo.repository, start, end).select_related("author")
    hours = [h for h in map(_first_response_hours, issues) if h is not None]

    median = _numbers(digest)["issue_first_response_median"]["current"]

    assert median == pytest.approx(statistics.median(hours), abs=0.051)


@pytest.mark.parametrize("period", list(PERIODS))
def test_merged_pull_requests_are_exactly_those_merged_in_the_period(demo, period):
    digest = demo.digests[period]
    start, end = _bounds(digest)
    merged = PullRequest.objects.filter(
        repository=demo.repository, merged_at__gte=start, merged_at__lt=end
    )

    listed = [pr["number"] for pr in digest.content["merged_pull_requests"]]

    assert sorted(listed) == sorted(merged.values_list("number", flat=True))
    assert listed, "the demo merges pull requests every week"
    assert len(listed) == len(set(listed))


def _first_activity(repository) -> dict[int, dt.datetime]:
    """actor id → first issue, PR, comment or review in the repository (straight from the ORM)."""
    first: dict[int, dt.datetime] = {}
    sources = [
        Issue.objects.filter(repository=repository, deleted_at__isnull=True).values_list(
            "author_id", "created_at"
        ),
        PullRequest.objects.filter(repository=repository, deleted_at__isnull=True).values_list(
            "author_id", "created_at"
        ),
        Comment.objects.filter(repository=repository).values_list("author_id", "created_at"),
        Review.objects.filter(
            pull_request__repository=repository, submitted_at__isnull=False
        ).values_list("reviewer_id", "submitted_at"),
    ]
    for rows in sources:
        for actor_id, at in rows:
            if actor_id is not None and (actor_id not in first or at < first[actor_id]):
                first[actor_id] = at
    return first


@pytest.mark.parametrize("period", list(PERIODS))
def test_newcomers_are_exactly_the_people_whose_first_activity_is_in_the_period(demo, period):
    assert not IdentityMembership.objects.exists()  # one account is one person here
    digest = demo.digests[period]
    start, end = _bounds(digest)
    first = _first_activity(demo.repository)
    humans = dict(Actor.objects.filter(is_bot=False).values_list("id", "login"))
    expected = {humans[a]: at for a, at in first.items() if a in humans and start <= at < end}

    newcomers = {p["login"]: p for p in digest.content["newcomers"]}

    assert set(newcomers) == set(expected)
    assert newcomers, "the demo brings newcomers every month"
    for login, person in newcomers.items():
        assert dt.datetime.fromisoformat(person["first_at"]) == expected[login]
        assert person["contributions"] >= 1
        assert person["first_action"] in {
            "opened an issue", "opened a pull request", "commented on", "reviewed"
        }  # fmt: skip


def test_attention_at_the_end_equals_the_dashboards_attention(demo):
    """The month ends at NOW: its attention lists are the dashboards' (same rules, same rows)."""
    attention_refresh(context=run_context_load(repositories=tracked_repositories()), now=NOW)
    stored = AttentionSnapshot.objects.get(repository=demo.repository).lists

    attention = demo.digests["month"].content["attention"]

    assert attention["lists"] == stored
    assert attention["as_of"] == NOW.isoformat()
    assert sum(attention["totals"].values()) > 0
    assert attention["totals"]["unanswered_issues"] >= len(stored["unanswered_issues"])


def test_attention_of_an_ended_week_is_taken_as_of_its_end(demo):
    digest = demo.digests["week"]
    _, end = _bounds(digest)
    open_then = (
        Issue.objects.filter(
            repository=demo.repository, created_at__lt=end, deleted_at__isnull=True
        )
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        .exclude(author__is_bot=True)
        .select_related("author")
    )
    unanswered = {i.number for i in open_then if _first_response_hours(i, until=end) is None}

    attention = digest.content["attention"]
    listed = {row["number"] for row in attention["lists"]["unanswered_issues"]}

    assert attention["as_of"] == end.isoformat()
    assert attention["totals"]["unanswered_issues"] == len(unanswered) > 0
    assert listed <= unanswered
    for row in attention["lists"]["unanswered_issues"]:
        issue = Issue.objects.get(repository=demo.repository, number=row["number"])
        assert row["waiting_days"] == pytest.approx((end - issue.created_at).days, abs=1)


def test_demo_digests_are_final_and_render(demo, client):
    for digest in demo.digests.values():
        assert digest.is_final
        page = client.get(
            f"/dashboards/repos/acme/widgets/digests/{digest.period}/{digest.start}/"
        ).content.decode()
        for pr in digest.content["merged_pull_requests"]:
            assert f"#{pr['number']}</a>" in page
        for person in digest.content["newcomers"]:
            assert person["login"] in page
