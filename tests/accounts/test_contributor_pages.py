"""The contributor's pages: "my pull requests waiting for review" (by the GitHub login linked to
the account: a GitHub sign-in, or one the user sets) and good first issues across the
repositories the user may see."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount

from accounts.models import Profile
from community.models import IssueState
from tests.accounts.world import build_world
from tests.factories import IssueFactory, LabelFactory, PullRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_my_pull_requests_follow_the_login_i_set(client, world):
    casey = world.users["contributor"]
    ada = world.public.author
    waiting = world.public.pull
    PullRequestFactory(repository=world.public.repository, author=ada, draft=True, title="WIP x")
    PullRequestFactory(
        repository=world.public.repository, author=ada, state=IssueState.CLOSED, title="Closed x"
    )
    client.force_login(casey)

    before = client.get("/accounts/me/pulls/")
    saved = client.post("/accounts/me/", {"github_login": "@Ada"})
    after = client.get("/accounts/me/pulls/")

    assert "does not know your GitHub login" in before.text
    assert saved.status_code == 302 and Profile.objects.get(user=casey).github_login == "Ada"
    assert waiting.title in after.text
    assert "WIP x" not in after.text and "Closed x" not in after.text
    # ada's pull request in the private repository is not this user's to see.
    assert world.private.pull.title not in after.text


def test_a_github_sign_in_links_the_login(client, world):
    priya = world.users["maintainer_private"]
    SocialAccount.objects.create(
        user=priya, provider="github", uid="7", extra_data={"login": world.private.author.login}
    )
    client.force_login(priya)

    page = client.get("/accounts/me/pulls/").text

    assert world.private.pull.title in page  # she maintains the private repository
    assert "Linked through your GitHub sign-in" in client.get("/accounts/me/").text


def test_a_github_login_must_look_like_one(client, world):
    client.force_login(world.users["contributor"])

    response = client.post("/accounts/me/", {"github_login": "not a login/../x"})

    assert response.status_code == 200 and "letters, digits and single hyphens" in response.text
    assert not Profile.objects.filter(github_login__contains="/").exists()


def test_good_first_issues_across_the_repositories_i_may_see(client, world):
    public = world.public.repository
    help_wanted = LabelFactory(repository=public, name="Help Wanted")
    IssueFactory(repository=public, labels=[help_wanted], title="Docs need an example")
    IssueFactory(repository=public, title="Not for newcomers")
    IssueFactory(
        repository=public,
        labels=[help_wanted],
        title="Already done",
        state=IssueState.CLOSED,
    )

    client.force_login(world.users["contributor"])
    contributor_view = client.get("/accounts/me/good-first-issues/").text
    client.force_login(world.users["maintainer_private"])
    maintainer_view = client.get("/accounts/me/good-first-issues/").text

    assert world.public.issue.title in contributor_view
    assert "Docs need an example" in contributor_view
    assert "Not for newcomers" not in contributor_view and "Already done" not in contributor_view
    assert world.private.issue.title not in contributor_view
    assert world.private.issue.title in maintainer_view


def test_the_account_page_says_which_repositories_i_maintain(client, world):
    client.force_login(world.users["maintainer_private"])

    page = client.get("/accounts/me/").text

    assert "Maintainer of 1 repository" in page and "acme/secret" in page
    nav = client.get("/").text
    assert ">Triage<" in nav and ">Your work<" in nav


@pytest.mark.parametrize(
    ("path", "tab"),
    [
        ("/accounts/me/", "Account"),
        ("/accounts/me/pulls/", "My pull requests"),
        ("/accounts/me/good-first-issues/", "Good first issues"),
        ("/accounts/me/tokens/", "API tokens"),
    ],
)
def test_the_account_pages_tabs_mark_the_page_shown(client, world, path, tab):
    client.force_login(world.users["contributor"])

    page = client.get(path).text

    assert f'<a href="{path}" aria-current="page">{tab}</a>' in page
    assert page.count('aria-current="page"') == 2  # this tab, and "Your work" in the site's bar
