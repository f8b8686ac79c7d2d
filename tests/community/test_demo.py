"""`manage.py demo`: a generated community, written through the upserts, repeatable to the row."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Q
from django.db.models.fields import AutoFieldMixin

from community.models import (
    Actor,
    Comment,
    Issue,
    IssueEvent,
    Milestone,
    PullRequest,
    Release,
    Repository,
    Review,
    StarEvent,
)
from demo.generator import (
    MAINTAINER_PASSWORD,
    MAINTAINER_USERNAME,
    demo_community_create,
)
from demo.generator.build import demo_world_build
from demo.generator.ids import DEMO_ID_BASE

pytestmark = pytest.mark.django_db

UNTIL = date(2026, 6, 1)
END = datetime(2026, 6, 1, tzinfo=UTC)
# Operational state, not GitHub data: webhook deliveries and sync bookkeeping. The demo neither
# receives webhooks nor syncs, so it has nothing honest to put there.
NOT_GITHUB_DATA = {"community.Delivery", "community.RepositorySync", "community.SyncCursor"}
# Columns the database fills with "now" on each write, not data from GitHub.
WRITE_TIMES = {"first_seen_at", "refreshed_at", "added_at"}


@pytest.fixture
def small_demo():
    return demo_community_create(seed=3, scale=0.1, until=UNTIL)


def snapshot() -> dict[str, list[tuple]]:
    """Every community row (many-to-many links included) without write-time columns or the
    database's own serial keys (GitHub ids are kept)."""
    rows = {}
    for model in apps.get_app_config("community").get_models(include_auto_created=True):
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname not in WRITE_TIMES and not isinstance(f, AutoFieldMixin)
        ]
        rows[model._meta.label] = sorted(
            model._default_manager.values_list(*fields), key=lambda row: tuple(map(str, row))
        )
    return rows


def test_every_community_model_gets_rows(small_demo):
    empty = [
        label
        for label, count in small_demo.counts.items()
        if count == 0 and label not in NOT_GITHUB_DATA
    ]

    assert empty == []
    assert small_demo.counts["community.Issue_labels"] > 0
    assert small_demo.counts["community.PullRequest_requested_reviewers"] > 0


def test_three_public_repositories_and_a_private_one(small_demo):
    repos = dict(Repository.objects.values_list("full_name", "private"))

    assert repos == {
        "acme/widgets": False,
        "acme/widgets-cli": False,
        "acme/widgets-docs": False,
        "acme/infra": True,
    }
    infra = Repository.objects.get(full_name="acme/infra")
    assert infra.issues.exists() and infra.pullrequests.exists()
    assert Repository.objects.get(full_name="acme/widgets").stargazers_count == (
        StarEvent.objects.filter(repository__name="widgets").count()
    )


def test_bots_are_flagged_and_active(small_demo):
    bots = {a.login: a for a in Actor.objects.filter(is_bot=True)}

    assert {"dependabot[bot]", "github-actions[bot]", "renovate-bot"} <= set(bots)
    assert bots["dependabot[bot]"].type == "Bot" and bots["github-actions[bot]"].type == "Bot"
    assert bots["renovate-bot"].type == "User"  # a bot GitHub does not mark as one
    assert PullRequest.objects.filter(author__login="dependabot[bot]").exists()
    assert PullRequest.objects.filter(author__login="renovate-bot").exists()
    assert Comment.objects.filter(author__login="github-actions[bot]", issue__isnull=False).exists()
    assert not Actor.objects.filter(is_bot=True).exclude(login__in=bots).exists()


def test_closed_issues_have_a_close_time_a_closer_and_a_closed_event(small_demo):
    closed = Issue.objects.filter(state="closed")
    reasons = Counter(closed.values_list("state_reason", flat=True))

    assert not closed.filter(Q(closed_at__isnull=True) | Q(closed_by__isnull=True)).exists()
    assert not closed.exclude(events__event="closed").exists()
    assert not Issue.objects.filter(state="open", closed_at__isnull=False).exists()
    assert {"completed", "not_planned", "duplicate"} <= set(reasons)
    assert not Issue.objects.filter(state_reason="duplicate").exclude(labels__name="duplicate")
    for issue in closed.prefetch_related("events"):
        last_close = max(e.created_at for e in issue.events.all() if e.event == "closed")
        assert last_close == issue.closed_at


def test_reopened_issues_have_a_reopened_event_after_a_close(small_demo):
    reopened = Issue.objects.filter(events__event="reopened").distinct()

    assert reopened.exists()
    for issue in reopened.prefetch_related("events"):
        events = sorted(issue.events.all(), key=lambda e: (e.created_at, e.id))
        kinds = [e.event for e in events if e.event in ("closed", "reopened")]
        assert kinds[0] == "closed"
        assert kinds[-1] == ("closed" if issue.state == "closed" else "reopened")


def test_pull_request_states_are_consistent(small_demo):
    merged = PullRequest.objects.filter(merged=True)

    assert merged.exists()
    assert not merged.filter(
        Q(merged_at__isnull=True) | Q(merged_by__isnull=True) | ~Q(state="closed")
    ).exists()
    assert not merged.exclude(events__event="merged").exists()
    assert not merged.exclude(closed_at=F("merged_at")).exists()
    assert not PullRequest.objects.filter(merged=False, merged_at__isnull=False).exists()
    assert PullRequest.objects.filter(state="closed", merged=False).exists()
    assert PullRequest.objects.filter(state="open", draft=True).exists()
    assert not PullRequest.objects.filter(state="open", closed_at__isnull=False).exists()


def test_nobody_says_the_same_thing_twice_on_one_issue(small_demo):
    repeated = (
        Comment.objects.filter(issue__isnull=False)
        .values("issue_id", "author_id", "body")
        .annotate(times=Count("id"))
        .filter(times__gt=1)
    )

    assert Comment.objects.filter(issue__isnull=False).count() > 100
    assert not repeated.exists()


def test_timeline_has_every_kind_of_event_and_nothing_happens_after_the_end(small_demo):
    kinds = set(IssueEvent.objects.values_list("event", flat=True))
    required = {"labeled", "unlabeled", "assigned", "closed", "reopened", "merged", "renamed"}
    required |= {"review_requested", "milestoned", "locked"}

    assert required <= kinds
    # Who was asked for a review and which milestone: every such event names them.
    asked = IssueEvent.objects.filter(event="review_requested")
    assert not asked.filter(reviewer__isnull=True, reviewer_team="").exists()
    assert not IssueEvent.objects.filter(event="milestoned", milestone_title="").exists()
    for model, field in (
        (IssueEvent, "created_at"),
        (Comment, "created_at"),
        (Issue, "updated_at"),
        (PullRequest, "updated_at"),
        (Review, "submitted_at"),
        (StarEvent, "starred_at"),
        (Release, "published_at"),
    ):
        assert not model.objects.filter(**{f"{field}__gt": END}).exists(), model
    assert not IssueEvent.objects.filter(issue__created_at__gt=F("created_at")).exists()
    assert not Comment.objects.filter(pull_request__created_at__gt=F("created_at")).exists()
    locked = [
        *Issue.objects.filter(locked=True).values_list("active_lock_reason", flat=True),
        *PullRequest.objects.filter(locked=True).values_list("active_lock_reason", flat=True),
    ]
    assert locked and all(locked)
    assert not IssueEvent.objects.filter(event="locked", issue__locked=False).exists()


def test_reviews_come_in_rounds_from_a_few_maintainers(small_demo):
    states = Counter(Review.objects.values_list("state", flat=True))
    rounds = Counter(Review.objects.values_list("pull_request_id", flat=True))

    assert {"APPROVED", "CHANGES_REQUESTED", "COMMENTED"} <= set(states)
    assert max(rounds.values()) >= 2
    assert Comment.objects.filter(kind="review", review__isnull=False).exclude(path="").exists()
    author_replies = Comment.objects.filter(kind="review", author=F("pull_request__author"))
    assert author_replies.exclude(path="").exists()
    reviewers = Counter(Review.objects.values_list("reviewer_id", flat=True))
    assert len(reviewers) <= 5


def test_some_issues_are_never_answered_and_authors_reply_on_their_own(small_demo):
    answered, bot_only_unanswered = 0, 0
    issues = Issue.objects.prefetch_related("comments__author")
    for issue in issues:
        others = [c.author for c in issue.comments.all() if c.author_id != issue.author_id]
        if any(not author.is_bot for author in others):
            answered += 1
        elif others:
            bot_only_unanswered += 1  # only the stale bot spoke: still unanswered

    assert 0.05 < 1 - answered / len(issues) < 0.4
    assert bot_only_unanswered > 0
    assert Comment.objects.filter(issue__author=F("author")).exists()
    assert Issue.objects.filter(labels__name="stale", state="open").exists()


def test_labels_follow_the_text_with_some_noise(small_demo):
    markers = {
        "bug": "### Steps to reproduce",
        "enhancement": "### Motivation",
        "question": "Is there a supported way",
    }
    for label, marker in markers.items():
        labelled = Issue.objects.filter(labels__name=label)
        matching = labelled.filter(body__contains=marker).count()
        assert 0.75 <= matching / labelled.count() <= 1.0, label
    assert Issue.objects.filter(labels__isnull=True).exists()


def test_releases_use_semver_tags_and_list_merged_pull_requests(small_demo):
    releases = Release.objects.filter(repository__name="widgets").order_by("published_at")
    tags = list(releases.values_list("tag_name", flat=True))

    assert all(re.fullmatch(r"v\d+\.\d+\.\d+(-rc\.\d+)?", tag) for tag in tags)
    assert releases.filter(prerelease=True).exists() and releases.filter(prerelease=False).exists()
    assert releases.filter(body__regex=r"\* .+ by @\S+ in #\d+").exists()
    assert Milestone.objects.filter(state="closed").exists()
    assert Milestone.objects.filter(state="open").exists()


def test_stars_accelerate(small_demo):
    starred = list(
        StarEvent.objects.filter(repository__name="widgets").values_list("starred_at", flat=True)
    )
    midpoint = END - timedelta(days=365)

    assert sum(1 for s in starred if s > midpoint) > 1.5 * sum(1 for s in starred if s <= midpoint)


def test_people_mostly_act_in_working_hours_on_weekdays(small_demo):
    moments = Comment.objects.filter(author__is_bot=False).values_list("created_at", flat=True)
    daytime = sum(1 for m in moments if 6 <= m.hour < 22)
    weekdays = sum(1 for m in moments if m.weekday() < 5)

    assert daytime / len(moments) > 0.8
    assert weekdays / len(moments) > 0.8


def test_ids_are_synthetic(small_demo):
    for model in (Actor, Repository, Issue, PullRequest, Comment, IssueEvent, Review, Release):
        assert not model.objects.filter(pk__lt=DEMO_ID_BASE).exists(), model


def test_running_again_changes_nothing(small_demo):
    before = snapshot()

    again = demo_community_create(seed=3, scale=0.1, until=UNTIL)

    assert again.counts == small_demo.counts
    assert snapshot() == before
    assert not again.maintainer_created


def test_same_seed_gives_the_same_data_from_scratch(small_demo):
    first = snapshot()
    Repository.objects.all().delete()
    Actor.objects.all().delete()

    demo_community_create(seed=3, scale=0.1, until=UNTIL)

    assert snapshot() == first


def test_another_end_date_replaces_the_previous_demo_without_leftovers(small_demo):
    later = UNTIL + timedelta(days=10)

    demo_community_create(seed=3, scale=0.1, until=later)

    moved = snapshot()
    Repository.objects.all().delete()
    Actor.objects.all().delete()
    demo_community_create(seed=3, scale=0.1, until=later)
    assert snapshot() == moved


def test_the_seed_and_the_end_date_drive_the_data():
    world = demo_world_build(seed=3, scale=0.05, until=END)

    assert demo_world_build(seed=3, scale=0.05, until=END) == world
    other = demo_world_build(seed=4, scale=0.05, until=END)
    assert other.repositories[0].issues != world.repositories[0].issues
    assert {a.id for a in other.actors}.isdisjoint({a.id for a in world.actors})
    later = demo_world_build(seed=3, scale=0.05, until=END + timedelta(days=30))
    assert later.until == END + timedelta(days=30)


def test_a_maintainer_account_is_created_only_on_an_empty_user_table(small_demo):
    user = get_user_model().objects.get(username=MAINTAINER_USERNAME)

    assert small_demo.maintainer_created
    assert user.is_superuser and user.check_password(MAINTAINER_PASSWORD)


def test_no_maintainer_account_when_users_exist():
    get_user_model().objects.create_user(username="someone", password="x")

    result = demo_community_create(seed=5, scale=0.05, until=UNTIL)

    assert not result.maintainer_created
    assert not get_user_model().objects.filter(username=MAINTAINER_USERNAME).exists()


def test_command_prints_the_summary_and_the_credentials():
    out = StringIO()

    call_command(
        "demo",
        "--seed",
        "2",
        "--scale",
        "0.05",
        "--until",
        "2026-06-01",
        "--no-triage",  # the triage step: tests/models_hub/triage/test_triage_demo.py
        "--no-rollups",  # and so has this one (tests/analytics/test_dashboards_demo.py)
        verbosity=0,
        stdout=out,
    )

    text = out.getvalue()
    assert "from 2024-06-01 to 2026-06-01" in text
    assert re.search(r"community\.Issue\s+[\d,]+", text)
    assert f"'{MAINTAINER_USERNAME}' with password '{MAINTAINER_PASSWORD}'" in text


def test_command_rejects_a_bad_scale():
    with pytest.raises(CommandError):
        call_command("demo", "--scale", "0", stdout=StringIO())


def test_default_scale_is_a_two_year_community_of_about_300_people():
    result = demo_community_create(seed=7, until=UNTIL)

    public = Repository.objects.filter(private=False)
    assert public.count() >= 3
    assert Repository.objects.filter(private=True).exists()
    items = result.counts["community.Issue"] + result.counts["community.PullRequest"]
    assert items >= 3000
    people = set(Actor.objects.filter(is_bot=False, type="User").values_list("pk", flat=True))
    active = {
        *Issue.objects.values_list("author_id", flat=True),
        *PullRequest.objects.values_list("author_id", flat=True),
        *Comment.objects.values_list("author_id", flat=True),
        *Review.objects.values_list("reviewer_id", flat=True),
    }
    contributors = people & active
    assert 250 <= len(contributors) <= 350
    created = [
        *Issue.objects.values_list("created_at", flat=True),
        *PullRequest.objects.values_list("created_at", flat=True),
    ]
    assert END - timedelta(days=730) <= min(created) <= END - timedelta(days=700)
    assert END - timedelta(days=7) <= max(created) <= END
    # Long tail: most people open one or two items, a few maintainers merge most pull requests.
    opened = Counter(
        [
            *Issue.objects.values_list("author_id", flat=True),
            *PullRequest.objects.values_list("author_id", flat=True),
        ]
    )
    assert sum(1 for n in opened.values() if n <= 2) / len(opened) > 0.5
    # Newcomers keep arriving; some regulars stop contributing.
    spans: dict[int, list[datetime]] = {}
    for model in (Issue, PullRequest):
        for author, created in model.objects.filter(author__is_bot=False).values_list(
            "author_id", "created_at"
        ):
            spans.setdefault(author, []).append(created)
    second_year = END - timedelta(days=365)
    assert sum(1 for times in spans.values() if min(times) > second_year) / len(spans) > 0.3
    assert any(len(times) >= 5 and max(times) < second_year for times in spans.values())
    mergers = Counter(PullRequest.objects.filter(merged=True).values_list("merged_by", flat=True))
    top_three = sum(n for _, n in mergers.most_common(3))
    assert top_three / sum(mergers.values()) > 0.6


def test_maintainers_answer_pull_requests_minutes_to_days_after_they_open():
    """A pull request's first response (a comment or review by another person, not a bot) comes
    a long-tailed while after it opens, never the second it opens; labels and assignments too."""
    world = demo_world_build(seed=3, scale=0.1, until=END)
    bots = {a.login for a in world.actors if a.type == "Bot" or a.login == "renovate-bot"}
    delays, triage_delays, monthly = [], [], {}
    for repo in world.repositories:
        answers: dict[int, list[tuple[datetime, str]]] = {}
        for comment in repo.comments:
            answers.setdefault(comment.parent_number, []).append(
                (comment.created_at, comment.user.login)
            )
        for number, reviews in repo.reviews.items():
            answers.setdefault(number, []).extend((r.submitted_at, r.user.login) for r in reviews)
        opened = {pr.number: pr for pr in repo.pull_requests if pr.user.login not in bots}
        for event in repo.events:
            pr = opened.get(event.issue_number)
            if pr and event.event in ("labeled", "assigned") and event.actor.login != pr.user.login:
                triage_delays.append((event.created_at - pr.created_at).total_seconds())
        for number, pr in opened.items():
            times = [at for at, login in answers.get(number, ())
                     if login != pr.user.login and login not in bots]  # fmt: skip
            if times:
                hours = (min(times) - pr.created_at).total_seconds() / 3600
                delays.append(hours)
                monthly.setdefault(pr.created_at.strftime("%Y-%m"), []).append(hours)

    assert delays and min(delays) > 0 and min(triage_delays) > 0
    assert min(delays) < 1 and max(delays) > 72  # minutes to days
    assert 1 < statistics.median(delays) < 72
    medians = [statistics.median(hours) for hours in monthly.values() if len(hours) >= 3]
    assert len(medians) >= 6 and len({round(m, 1) for m in medians}) > len(medians) / 2
    again = demo_world_build(seed=3, scale=0.1, until=END)
    assert [r.events for r in again.repositories] == [r.events for r in world.repositories]


def test_people_work_somewhere_as_their_commit_emails_say():
    """Organisational diversity has something to show: most maintainers and some regulars
    commit with a work address (a few companies), the rest with personal or noreply ones."""
    from analytics.metrics.contributors_board import email_organisation

    world = demo_world_build(seed=3, scale=0.1, until=END)
    maintainers = [world.commit_emails[user.id] for user in world.maintainers]
    assert [email.rpartition("@")[2] for email in maintainers[:3]] == [
        "acme.com",
        "acme.com",
        "globex.com",
    ]
    people = [a for a in world.actors if a.id in world.commit_emails]
    organisations = Counter(email_organisation(world.commit_emails[a.id]) for a in people)
    assert len([org for org in organisations if org]) >= 3  # a few companies
    assert organisations[""] >= len(people) / 3  # independents: personal or noreply addresses
    assert organisations["acme"] < sum(n for org, n in organisations.items() if org)
    again = demo_world_build(seed=3, scale=0.1, until=END)
    assert again.commit_emails == world.commit_emails
    assert demo_world_build(seed=4, scale=0.1, until=END).commit_emails != world.commit_emails


def test_some_profiles_name_a_company_as_people_write_it(small_demo):
    """About half of those with a work email state their employer on their profile, written
    their own way (a few with personal addresses do too: the full demo has about twenty)."""
    from analytics.metrics.contributors_board import email_organisation, organisation_normalise
    from community.models import Actor

    world = demo_world_build(seed=3, scale=0.1, until=END)
    stated = {a.id: a.company for a in world.actors if a.company}
    assert len(stated) >= 5 and len(set(stated.values())) >= 3
    assert any(c.startswith("@") or c.endswith(" Inc.") for c in stated.values())
    work = {i for i, email in world.commit_emails.items() if email_organisation(email)}
    agree = [organisation_normalise(stated[i]) == email_organisation(world.commit_emails[i])
             for i in stated if i in work]  # fmt: skip
    assert agree and all(agree)
    # The demo writes them as the sync stores a profile.
    assert Actor.objects.exclude(company="").count() > 0


def test_merge_commits_carry_their_authors_commit_emails(small_demo):
    from community.models import PushedCommit

    domains = Counter(
        email.rpartition("@")[2]
        for email in PushedCommit.objects.values_list("author_email", flat=True)
    )
    assert domains["acme.com"] > 0 and domains["globex.com"] > 0
    assert all(domain for domain in domains)


def test_no_app_imports_the_demo_app():
    """The demo app sits above the others (it fills them all); none of them depends on it."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    importers = []
    for app in ("config", "accounts", "community", "analytics", "models_hub"):
        for path in (root / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module or ""]
                if any(name == "demo" or name.startswith("demo.") for name in names):
                    importers.append(str(path.relative_to(root)))
    assert importers == []
