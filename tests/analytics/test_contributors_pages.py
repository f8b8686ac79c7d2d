"""The contributor leaderboard page: window, repository, sort, bots, organisations, visibility."""

from __future__ import annotations

import re

import pytest

from analytics.models import ActorEmail, Affiliation
from community.models import Actor, PushedCommit

pytestmark = pytest.mark.django_db
WINDOW = "start=2024-05-01&end=2024-06-30"


@pytest.fixture
def board(community):
    actors = {a.login: a for a in Actor.objects.all()}
    ActorEmail.objects.create(actor=actors["alice"], email="alice@acme.com")
    ActorEmail.objects.create(actor=actors["bob"], email="bob@gmail.com")
    Affiliation.objects.create(
        actor=actors["maintainer"], organisation="globex", source="maintainer"
    )
    return community


def people(page: str) -> list[str]:
    """Logins in the leaderboard's order."""
    table = page[page.index('id="board-heading"') :]
    return re.findall(r'class="actor" href="/people/([^/]+)/"', table)


def row_of(page: str, login: str) -> list[str]:
    table = page[page.index('id="board-heading"') :]
    row = table[table.index(f'href="/people/{login}/"') :]
    row = row[: row.index("</tr>")]
    return re.findall(r'<td class="num">(?:<strong>)?([\d,]+)', row)


def test_the_board_counts_visible_work_in_the_window_bots_apart(client, board):
    page = client.get(f"/dashboards/contributors/?{WINDOW}").content.decode()
    assert people(page) == ["alice", "maintainer", "bob"]  # 3, 3 (alice active last), 2
    # issues, PRs, merged, reviews, comments, total
    assert row_of(page, "alice") == ["1", "1", "1", "0", "1", "3"]
    assert row_of(page, "maintainer") == ["0", "0", "0", "2", "1", "3"]
    assert "[bot]" not in page and "acme/secret" not in page
    assert 'value="2024-05-01"' in page and 'value="2024-06-30"' in page  # the plotted window


def test_staff_see_private_work_and_bots_on_request(staff_client, board):
    page = staff_client.get(f"/dashboards/contributors/?{WINDOW}&bots=on").content.decode()
    assert row_of(page, "alice") == ["2", "1", "1", "0", "1", "4"]  # + the private issue
    assert any(login.endswith("%5Bbot%5D") for login in people(page))  # helperN[bot]
    assert 'name="bots" id="id_bots" value="on" checked' in page


def test_a_private_repository_cannot_be_chosen_by_visitors(client, board):
    page = client.get(f"/dashboards/contributors/?{WINDOW}&repository=acme/secret")
    text = page.content.decode()
    assert row_of(text, "alice")[0] == "1"  # all visible repositories: the public issue only
    assert 'value="acme/secret"' not in text and "all repositories you can see" in text


def test_the_window_and_repository_filter_rows(client, board):
    june = client.get("/dashboards/contributors/?start=2024-06-01&end=2024-06-30")
    assert people(june.content.decode()) == ["bob"]
    widgets = client.get(f"/dashboards/contributors/?{WINDOW}&repository=acme/widgets")
    assert people(widgets.content.decode()) == ["alice", "maintainer", "bob"]
    old = client.get("/dashboards/contributors/?start=2020-01-01&end=2020-12-31")
    assert "No contributions in this window." in old.content.decode()


@pytest.mark.parametrize(
    ("query", "order"),
    [
        ("sort=login&order=asc", ["alice", "bob", "maintainer"]),
        ("sort=login&order=desc", ["maintainer", "bob", "alice"]),
        ("sort=total&order=asc", ["bob", "alice", "maintainer"]),
        ("sort=reviews&order=desc", ["maintainer", "alice", "bob"]),
        ("sort=first_at&order=asc", ["alice", "maintainer", "bob"]),
        ("sort=organisation&order=asc", ["bob", "alice", "maintainer"]),  # "", acme, globex
        ("sort=nonsense", ["alice", "maintainer", "bob"]),
    ],
)
def test_any_column_sorts(client, board, query, order):
    page = client.get(f"/dashboards/contributors/?{WINDOW}&{query}").content.decode()
    assert people(page) == order


def test_organisations_and_the_elephant_factor(client, board):
    page = client.get(f"/dashboards/contributors/?{WINDOW}").content.decode()
    orgs = page[page.index('id="orgs-heading"') : page.index('id="board-heading"')]
    assert "<dt>Elephant factor</dt><dd>1</dd>" in orgs  # acme 3, globex 3: one makes half
    assert "<dt>With a known organisation</dt><dd>75%</dd>" in orgs  # 6 of 8
    assert "acme" in orgs and "globex" in orgs and "50.0%" in orgs
    assert 'data-chart="chart-diversity-data"' in orgs


def test_a_maintainer_corrects_an_affiliation(client, staff_client, board):
    url = "/dashboards/contributors/affiliations/bob/"
    assert client.get(url).status_code == 302  # visitors are sent to sign in
    assert client.post(url, {"organisation": "x", "action": "set"}).status_code == 302
    assert not Affiliation.objects.filter(actor__login="bob").exists()
    assert "gmail.com" in staff_client.get(url).content.decode()
    response = staff_client.post(url, {"organisation": "@Initech", "action": "set"})
    assert response.status_code == 302
    saved = Affiliation.objects.get(actor__login="bob")
    assert (saved.organisation, saved.source, saved.set_by.username) == (
        "initech", "maintainer", "staff"
    )  # fmt: skip
    page = client.get(f"/dashboards/contributors/?{WINDOW}").content.decode()
    assert "<dt>With a known organisation</dt><dd>100%</dd>" in page
    staff_client.post(url, {"action": "clear"})
    assert not Affiliation.objects.filter(actor__login="bob").exists()
    outside = staff_client.post(url, {"action": "clear", "next": "https://evil.example/"})
    assert outside["Location"] == "/dashboards/contributors/"


def test_the_board_stays_within_its_query_budget(client, board, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        assert client.get(f"/dashboards/contributors/?{WINDOW}").status_code == 200


def test_a_profile_company_counts_unless_a_maintainer_said_otherwise(client, staff_client, board):
    Actor.objects.filter(login="bob").update(company="Umbrella Corp.")  # as the sync stores it
    page = client.get(f"/dashboards/contributors/?{WINDOW}").content.decode()
    assert '<span title="from the profile">umbrella</span>' in page
    evidence = staff_client.get("/dashboards/contributors/affiliations/bob/").content.decode()
    assert "GitHub profile company</td><td>umbrella</td><td>Umbrella Corp.</td>" in evidence

    Affiliation.objects.create(
        actor=Actor.objects.get(login="bob"), organisation="initech", source="maintainer"
    )
    page = client.get(f"/dashboards/contributors/?{WINDOW}").content.decode()
    assert "umbrella" not in page and "initech" in page


def test_a_private_repository_s_commit_emails_name_no_one_s_organisation(
    client, staff_client, board
):
    PushedCommit.objects.create(
        repository=board.private, sha="b" * 40, author=Actor.objects.get(login="bob"),
        author_email="bob@initech.com", ref="refs/heads/main",
    )  # fmt: skip
    public = client.get(f"/dashboards/contributors/?{WINDOW}").content.decode()
    assert "initech" not in public
    staff = staff_client.get(f"/dashboards/contributors/?{WINDOW}").content.decode()
    assert '<span title="from the email">initech</span>' in staff
