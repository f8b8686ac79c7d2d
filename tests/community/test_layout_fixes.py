"""Fixes from a review of the demo: error pages in the site layout, tables that fit their cards,
a compact header, timeline events that name their object, and small repository-page defects."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from community.models import Comment
from tests.factories import (
    ActorFactory,
    CommentFactory,
    IssueEventFactory,
    PullRequestFactory,
    ReleaseFactory,
)

pytestmark = pytest.mark.django_db


def _in_layout(html: str) -> bool:
    return all(
        part in html
        for part in ('<link rel="stylesheet" href="/static/css/steward.css">', '<main id="main"')
    )


@pytest.mark.parametrize("path", ["/ops/webhooks/", "/repos/add/", "/dashboards/identities/"])
def test_a_signed_in_user_without_the_role_gets_a_403_in_the_site_layout(
    client, site_community, path
):
    user = get_user_model().objects.create_user("plain", password="pw-12345678")
    client.force_login(user)

    response = client.get(path)

    assert response.status_code == 403
    html = response.text
    assert _in_layout(html) and '<h1 id="error-title">Not allowed</h1>' in html
    assert "This page is for" in html  # the guard's reason is shown
    assert 'href="/"' in html  # a way back


def test_a_csrf_failure_is_explained_in_the_site_layout(site_community):
    user = get_user_model().objects.create_user("plain", password="pw-12345678")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post("/accounts/logout/")

    assert response.status_code == 403
    html = response.text
    assert _in_layout(html) and "The form could not be sent" in html


# Per attention table: the widest right edge of its cells against the card's right edge.
ATTENTION_OVERFLOW = """[...document.querySelectorAll('.attention')]
.filter(c => c.querySelector('td')).map(c => {
  const card = c.getBoundingClientRect().right;
  const cells = [...c.querySelectorAll('th, td')].map(x => x.getBoundingClientRect().right);
  return {id: c.id, over: Math.max(...cells) - card};
})"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_attention_tables_keep_every_column_inside_their_card(
    monkeypatch, live_server, site_community, width
):
    from analytics.services.rollups import rollups_fill
    from tests.browser import ARTIFACTS, launched_chromium, needs_chromium

    if needs_chromium.args[0]:
        pytest.fail("chromium is required for this layout check")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    PullRequestFactory(
        repository=site_community.public,
        title="A long pull request title naming a_long_identifier_without_any_breaks_in_it",
        state="open",
        draft=False,
    )
    rollups_fill()
    with launched_chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{live_server.url}/dashboards/")
        tables = page.evaluate(ATTENTION_OVERFLOW)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"attention-{width}.png"), full_page=True)
    assert tables, "no attention table has rows"
    assert [t for t in tables if t["over"] > 0.5] == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "tallest"), [(1280, 60), (390, 110)])
def test_the_staff_header_stays_compact(
    monkeypatch, live_server, site_community, django_user_model, width, tallest
):
    """All seven sections, the search box and the account menu: one row at 1280 px, two on a
    phone (the sections scroll sideways there); the menu opens on its own."""
    from tests.browser import launched_chromium, needs_chromium

    if needs_chromium.args[0]:
        pytest.fail("chromium is required for this layout check")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    django_user_model.objects.create_superuser("boss", password="header-pw")
    with launched_chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(f"{live_server.url}/admin/login/?next=/")
        page.get_by_label("Username").fill("boss")
        page.get_by_label("Password").fill("header-pw")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{live_server.url}/")
        assert page.locator(".nav-links a").count() == 7
        height = page.evaluate("document.querySelector('.site-header').offsetHeight")
        width_used = page.evaluate("document.documentElement.scrollWidth")
        assert not page.get_by_role("button", name="Sign out").is_visible()
        page.locator(".account-menu summary").click()
        assert page.get_by_role("button", name="Sign out").is_visible()
        assert page.get_by_role("link", name="Admin").is_visible()
    assert height <= tallest and width_used <= width


def test_the_deliveries_page_uses_the_site_table_and_marks_the_current_filter(admin_client):
    html = admin_client.get("/ops/webhooks/").text

    assert '<div class="table-wrap">' in html and '<table class="data-table deliveries">' in html
    assert '<a href="?" aria-current="page">all</a>' in html
    failed = admin_client.get("/ops/webhooks/?status=failed").text
    assert '<a href="?">all</a>' in failed
    assert '<a href="?status=failed" aria-current="page">failed (0)</a>' in failed


def test_timeline_events_say_what_happened_and_a_merge_is_not_also_a_close(client, site_community):
    pull = PullRequestFactory(repository=site_community.public, is_merged=True)
    chidi, grace = ActorFactory(login="chidi"), site_community.grace
    for event, actor, assignee in [
        ("review_requested", grace, None),  # stored before reviewers were kept: no name
        ("milestoned", chidi, None),
        ("assigned", chidi, chidi),
        ("assigned", chidi, grace),
        ("ready_for_review", grace, None),
    ]:
        IssueEventFactory(
            issue=None, pull_request=pull, event=event, actor=actor, assignee=assignee
        )
    named = [
        {"event": "review_requested", "actor": grace, "reviewer": chidi},
        {"event": "review_requested", "actor": chidi, "reviewer": chidi},
        {"event": "review_requested", "actor": grace, "reviewer_team": "Core <Team>"},
        {"event": "review_request_removed", "actor": grace, "reviewer": chidi},
        {"event": "milestoned", "actor": chidi, "milestone_title": "v2.0 <beta>"},
        {"event": "demilestoned", "actor": chidi, "milestone_title": "Backlog"},
    ]
    for fields in named:
        IssueEventFactory(issue=None, pull_request=pull, **fields)
    for event in ("merged", "closed"):
        IssueEventFactory(
            issue=None, pull_request=pull, event=event, actor=chidi, created_at=pull.merged_at
        )

    html = client.get(f"/repos/acme/rocket/pull/{pull.number}/").text

    for words in (
        "requested a review",
        "added this to a milestone",
        "self-assigned this",
        "marked this pull request as ready for review",
    ):
        assert words in html
    assert "review requested" not in html and "milestoned" not in html
    assert html.count("assigned <") == 1  # chidi assigned grace; the other is self-assigned
    chidi_link = 'href="/people/chidi/"'
    assert f'requested a review from <a class="actor" {chidi_link}' in html
    assert "self-requested a review" in html
    assert "requested a review from the team <strong>Core &lt;Team&gt;</strong>" in html
    assert f'removed the review request for <a class="actor" {chidi_link}' in html
    assert "added this to the <strong>v2.0 &lt;beta&gt;</strong> milestone" in html
    assert "removed this from the <strong>Backlog</strong> milestone" in html
    assert ">Merged</span>" in html and ">Closed</span> this" not in html


def test_a_release_named_as_its_tag_is_printed_once(client, site_community):
    ReleaseFactory(repository=site_community.public, tag_name="v2.7.6", name="v2.7.6")

    html = client.get("/repos/acme/rocket/").text

    assert "<strong>v2.7.6</strong>," in html and "(v2.7.6)" not in html
    assert "v2.7.6 ·" not in html


def test_a_release_with_its_own_name_shows_its_tag_beside_it(client, site_community):
    ReleaseFactory(repository=site_community.public, tag_name="v3.0.0", name="Liftoff")

    html = client.get("/repos/acme/rocket/").text

    assert "<strong>Liftoff</strong> (v3.0.0)," in html and "v3.0.0 ·" in html


def test_the_contributor_dashboard_groups_thousands(client, site_community):
    issue = site_community.bug_issue
    Comment.objects.bulk_create(
        CommentFactory.build_batch(1000, issue=issue, author=site_community.grace)
    )

    html = client.get("/dashboards/people/grace/").text

    assert "<dt>Contributions</dt><dd>1,0" in html
    assert '<dd class="stat-date">' in html
    assert '<td class="num">1,0' in html


def test_a_digests_boxes_keep_their_own_height(client, site_community):
    from analytics.digests import digest_generate

    month = site_community.bug_issue.created_at.date().replace(day=1)
    digest_generate(repository=site_community.public, period="month", start=month)

    response = client.get(f"/dashboards/repos/acme/rocket/digests/month/{month:%Y-%m-%d}/")
    html = response.text

    assert response.status_code == 200
    assert '<div class="columns digest-columns">' in html
