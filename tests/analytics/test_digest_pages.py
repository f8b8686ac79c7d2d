"""Digest pages, markdown export and API, as visitors and staff see them."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics.digests import digest_generate
from analytics.models import Digest

pytestmark = pytest.mark.django_db
MAY = dt.date(2024, 5, 1)
PAGES = "/dashboards/repos/acme/widgets/digests/"
API = "/api/repositories/acme/widgets/digests/"


@pytest.fixture
def digests(community):
    made = {
        repository.name: digest_generate(
            repository=repository, period="month", start=MAY, now=community.now
        )
        for repository in (community.public, community.private)
    }
    digest_generate(
        repository=community.public, period="week", start=dt.date(2024, 6, 3), now=community.now
    )
    return made


def test_list_switches_between_weeks_and_months(client, digests):
    weekly = client.get(PAGES).content.decode()
    monthly = client.get(f"{PAGES}?period=month").content.decode()

    assert "Week of 2024-06-03" in weekly and "May 2024" not in weekly
    assert "May 2024" in monthly and f"{PAGES}month/2024-05-01/" in monthly
    assert "Generate now" not in monthly  # staff only


def test_repository_pages_link_to_the_digests(client, digests):
    page = client.get("/repos/acme/widgets/").content.decode()
    assert f'href="{PAGES}"' in page


def test_an_empty_list_explains_where_digests_come_from(client, staff_client, community):
    page = client.get(PAGES).content.decode()
    assert "No weekly digest has been generated" in page
    assert "manage.py digest --repo acme/widgets" in page
    assert "Generate now" in staff_client.get(PAGES).content.decode()


def test_digest_page_shows_every_section(client, digests):
    response = client.get(f"{PAGES}month/2024-05-01/")
    page = response.content.decode()

    assert response.status_code == 200
    for text in (
        "May 2024",
        "Numbers that moved",
        "Merged pull requests (1)",
        "Releases (2)",
        "Newcomers to welcome (2)",
        "Needs attention",
        "Unanswered issues",
        "Themes",
        "themes need at least 4",
    ):
        assert text in page, text
    assert 'id="number-issue_first_response_median"' in page and "5.0 h" in page
    assert "/repos/acme/widgets/pull/3/" in page


@pytest.mark.parametrize(
    "path",
    [
        "month/2024-05-02/",  # not a period start
        "year/2024-01-01/",
        "month/2024-04-01/",  # not generated
        "week/not-a-date/",
    ],
)
def test_unknown_digests_are_404(client, digests, path):
    assert client.get(f"{PAGES}{path}").status_code == 404


def test_markdown_export_and_preview(client, digests):
    response = client.get(f"{PAGES}month/2024-05-01/digest.md")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="acme-widgets-month-2024-05-01.md"'
    )
    text = response.content.decode()
    assert text.startswith("# acme/widgets — May 2024")
    preview = client.get(f"{PAGES}month/2024-05-01/markdown/").content.decode()
    assert "<h2>Numbers that moved</h2>" in preview  # rendered
    assert "## Numbers that moved" in preview  # and the source


def test_private_repository_digests_are_hidden_from_visitors(client, staff_client, digests):
    private = "/dashboards/repos/acme/secret/digests/"
    for path in (
        "",
        "month/2024-05-01/",
        "month/2024-05-01/digest.md",
        "month/2024-05-01/markdown/",
    ):
        assert client.get(f"{private}{path}").status_code == 404
        assert staff_client.get(f"{private}{path}").status_code == 200
    api = "/api/repositories/acme/secret/digests/"
    assert client.get(api).status_code == 404
    assert client.get(f"{api}month/2024-05-01/").status_code == 404
    assert staff_client.get(f"{api}month/2024-05-01/").status_code == 200


def test_staff_generate_now(staff_client, client, community):
    response = staff_client.post(f"{PAGES}generate/", {"period": "month", "day": "2024-05-20"})

    assert response.status_code == 302 and response["Location"] == f"{PAGES}month/2024-05-01/"
    assert Digest.objects.filter(repository=community.public, period="month").count() == 1
    future = staff_client.post(f"{PAGES}generate/", {"period": "month", "day": "2999-01-01"})
    assert future.status_code == 302 and "period=month" in future["Location"]
    assert Digest.objects.count() == 1
    visitor = client.post(f"{PAGES}generate/", {"period": "month", "day": "2024-05-20"})
    assert visitor.status_code == 302 and "/accounts/login/" in visitor["Location"]
    assert staff_client.get(f"{PAGES}generate/").status_code == 405


def test_api_lists_and_returns_digests(client, digests):
    weeks = client.get(API).json()
    months = client.get(API, {"period": "month"}).json()

    assert [row["start"] for row in weeks] == ["2024-06-03"]
    assert months == [
        {
            "period": "month",
            "start": "2024-05-01",
            "end": "2024-06-01",
            "is_final": True,
            "generated_at": months[0]["generated_at"],
            "url": f"http://testserver{API}month/2024-05-01/",
        }
    ]
    body = client.get(months[0]["url"]).json()
    assert body["repository"] == "acme/widgets"
    assert body["content"] == digests["widgets"].content
    assert body["markdown"].startswith("# acme/widgets — May 2024")
    issues_opened = next(n for n in body["content"]["numbers"] if n["key"] == "issues_opened")
    assert issues_opened["current"] == 1 and isinstance(issues_opened["current"], int)
    assert client.get(API, {"period": "year"}).status_code == 400
    assert client.get(f"{API}month/2024-04-01/").status_code == 404


def test_api_schema_documents_the_digest_endpoints(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/repositories/{owner}/{name}/digests/" in schema
    assert "/api/repositories/{owner}/{name}/digests/{period}/{start}/" in schema
    assert "DigestContent" in schema
