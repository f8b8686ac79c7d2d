"""Digest generation: idempotent upserts, finality, the beat task and the command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from analytics.digests import (
    digest_generate,
    digest_markdown,
    digests_backfill,
    digests_refresh,
)
from analytics.models import Digest
from analytics.tasks import digests_generate
from tests.analytics.conftest import at
from tests.factories import IssueFactory, PullRequestFactory, RepositoryFactory

pytestmark = pytest.mark.django_db
MAY = dt.date(2024, 5, 1)
JUNE_WEEK = dt.date(2024, 6, 10)  # the week under way at the community's NOW (2024-06-15)


def test_generating_twice_keeps_one_row_with_the_same_content(community):
    first = digest_generate(
        repository=community.public, period="month", start=MAY, now=community.now
    )
    second = digest_generate(
        repository=community.public, period="month", start=MAY, now=community.now
    )

    assert Digest.objects.count() == 1
    assert second.pk == first.pk and second.content == first.content
    assert (first.start, first.end, first.is_final) == (MAY, dt.date(2024, 6, 1), True)


def test_hand_checked_month(community):
    digest = digest_generate(
        repository=community.public, period="month", start=MAY, now=community.now
    )
    content = digest.content
    numbers = {n["key"]: n for n in content["numbers"]}

    assert numbers["issues_opened"]["current"] == 1 and numbers["issues_closed"]["current"] == 1
    assert numbers["prs_merged"]["current"] == 1
    assert numbers["issue_first_response_median"]["current"] == 5.0  # the maintainer, after 5 h
    assert numbers["stars_new"]["current"] == 2 and numbers["releases"]["current"] == 2
    assert [pr["number"] for pr in content["merged_pull_requests"]] == [3]
    assert [p["login"] for p in content["newcomers"]] == ["alice", "maintainer"]
    alice = content["newcomers"][0]
    assert (alice["first_action"], alice["item"]["number"]) == ("opened an issue", 1)
    assert alice["contributions"] == 3  # issue #1, her comment on it, PR #3
    assert content["themes"]["reason"] and content["themes"]["themes"] == []


def test_a_period_under_way_is_refreshed_until_it_ends_then_final(community):
    during = community.now
    digest = digest_generate(
        repository=community.public, period="week", start=JUNE_WEEK, now=during
    )
    assert not digest.is_final
    assert digest.content["attention"]["as_of"] == during.isoformat()

    IssueFactory(repository=community.public, number=5, created_at=at("2024-06-15 13:00"))
    later = dt.datetime(2024, 6, 15, 14, tzinfo=dt.UTC)
    refreshed = digest_generate(
        repository=community.public, period="week", start=JUNE_WEEK, now=later
    )
    assert not refreshed.is_final and refreshed.generated_at == later
    opened = {n["key"]: n["current"] for n in refreshed.content["numbers"]}["issues_opened"]
    assert opened == 1

    after_end = dt.datetime(2024, 6, 17, 0, 30, tzinfo=dt.UTC)
    final = digest_generate(
        repository=community.public, period="week", start=JUNE_WEEK, now=after_end
    )
    assert final.is_final
    assert final.content["attention"]["as_of"] == "2024-06-17T00:00:00+00:00"


def test_a_final_digest_is_not_regenerated_unless_forced(community):
    final = digest_generate(
        repository=community.public, period="month", start=MAY, now=community.now
    )
    PullRequestFactory(
        repository=community.public, number=9, is_merged=True, created_at=at("2024-05-20 10:00")
    )

    kept = digest_generate(repository=community.public, period="month", start=MAY)
    assert kept.generated_at == final.generated_at
    assert [pr["number"] for pr in kept.content["merged_pull_requests"]] == [3]

    forced = digest_generate(repository=community.public, period="month", start=MAY, force=True)
    assert [pr["number"] for pr in forced.content["merged_pull_requests"]] == [3, 9]


@pytest.mark.parametrize(
    ("period", "start", "message"),
    [
        ("week", dt.date(2024, 6, 12), "does not start a week"),
        ("month", dt.date(2024, 6, 2), "does not start a month"),
        ("month", dt.date(2024, 7, 1), "has not begun"),
    ],
)
def test_bad_periods_are_refused(community, period, start, message):
    with pytest.raises(ValueError, match=message):
        digest_generate(repository=community.public, period=period, start=start, now=community.now)


def test_refresh_writes_the_current_and_the_just_ended_periods(community):
    digests = digests_refresh(repository=community.public, now=community.now)

    assert {(d.period, d.start.isoformat(), d.is_final) for d in digests} == {
        ("week", "2024-06-03", True),
        ("week", "2024-06-10", False),
        ("month", "2024-05-01", True),
        ("month", "2024-06-01", False),
    }


def test_beat_task_generates_digests_for_every_tracked_repository(community):
    untracked = RepositoryFactory(tracked=False)

    queued = digests_generate.delay().get()

    per_repository = {
        repository_id: set(
            Digest.objects.filter(repository_id=repository_id).values_list("period", flat=True)
        )
        for repository_id in (community.public.pk, community.private.pk)
    }
    assert queued == 2
    assert per_repository == {pk: {"week", "month"} for pk in per_repository}
    assert Digest.objects.filter(repository=community.public).count() == 4
    assert not Digest.objects.filter(repository=untracked).exists()


def test_command_generates_one_period_and_refuses_unknown_repositories(community):
    out = StringIO()
    call_command(
        "digest", "--repo", "acme/widgets", "--period", "month", "--start", "2024-05-17", stdout=out
    )

    digest = Digest.objects.get()
    assert (digest.period, digest.start) == ("month", MAY)
    assert "acme/widgets month 2024-05-01 (final)" in out.getvalue()
    with pytest.raises(CommandError, match="No tracked repository"):
        call_command("digest", "--repo", "acme/nope")


def test_markdown_escapes_titles_and_lists_every_section(community):
    IssueFactory(
        repository=community.public,
        number=7,
        title="Crash with *stars* and [brackets] <b>",
        created_at=at("2024-05-25 10:00"),
    )
    digest = digest_generate(
        repository=community.public, period="month", start=MAY, now=community.now
    )

    text = digest_markdown(digest)

    assert text.startswith("# acme/widgets — May 2024\n")
    assert r"Crash with \*stars\* and \[brackets\] \<b\>" in text
    for heading in (
        "## Numbers that moved",
        "## Merged pull requests (1)",
        "## Releases (2)",
        "## Newcomers to welcome (3)",
        "## Needs attention",
        "## Themes",
    ):
        assert heading in text
    assert "| Issues opened | 2 | 0 | +2 |" in text
    assert "[#3](https://github.com/acme/widgets/pull/3)" in text


def test_a_backfill_computes_the_same_numbers_as_one_digest_at_a_time(community):
    batch = digests_backfill(repository=community.public, weeks=4, months=2, now=community.now)
    assert [(d.period, d.start.isoformat()) for d in batch] == [
        ("week", "2024-05-20"),
        ("week", "2024-05-27"),
        ("week", "2024-06-03"),
        ("week", "2024-06-10"),
        ("month", "2024-05-01"),
        ("month", "2024-06-01"),
    ]

    for digest in batch:
        alone = digest_generate(
            repository=community.public,
            period=digest.period,
            start=digest.start,
            now=community.now,
            force=True,
        )
        assert alone.content["numbers"] == digest.content["numbers"], digest.start
