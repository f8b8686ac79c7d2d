"""Roles: who sees and who acts on which repository (accounts.permissions, through the
visibility selectors every page uses), and maintainer roles mapped from GitHub permissions."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from github import GithubException

from accounts import permissions
from accounts.github_roles import github_roles_sync
from accounts.models import RepositoryRole
from community.selectors.visibility import (
    issues_visible_to,
    repositories_maintained_by,
    repositories_visible_to,
    user_sees_private,
)
from tests.factories import ActorFactory, IssueFactory, RepositoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def repos():
    owner = ActorFactory(login="acme", organization=True)
    return {
        "open": RepositoryFactory(owner=owner, name="open"),
        "secret": RepositoryFactory(owner=owner, name="secret", private=True),
        "vault": RepositoryFactory(owner=owner, name="vault", private=True),
    }


def names(queryset) -> set[str]:
    return {repository.name for repository in queryset}


def test_anonymous_and_contributors_see_public_repositories_only(repos, django_user_model):
    contributor = django_user_model.objects.create_user("casey")
    from django.contrib.auth.models import AnonymousUser

    for user in (None, AnonymousUser(), contributor):
        assert names(repositories_visible_to(user=user)) == {"open"}
        assert names(repositories_maintained_by(user=user)) == set()
        assert not permissions.may_see_repository(user, repos["secret"])
        assert not permissions.may_maintain(user, repos["open"])


def test_a_maintainer_sees_and_acts_on_their_repositories_only(repos, django_user_model):
    priya = django_user_model.objects.create_user("priya")
    RepositoryRole.objects.create(user=priya, repository=repos["secret"])
    IssueFactory(repository=repos["secret"], title="in the secret one")
    IssueFactory(repository=repos["vault"], title="in the vault")

    assert names(repositories_visible_to(user=priya)) == {"open", "secret"}
    assert names(repositories_maintained_by(user=priya)) == {"secret"}
    assert permissions.may_maintain(priya, repos["secret"])
    assert not permissions.may_maintain(priya, repos["open"])  # sees it, does not act on it
    assert not permissions.may_see_repository(priya, repos["vault"])
    assert [i.title for i in issues_visible_to(user=priya)] == ["in the secret one"]
    # Aggregates over every repository would include the vault's numbers: admins only.
    assert user_sees_private(user=priya) is False


def test_admins_see_and_act_on_everything(repos, django_user_model):
    admin = django_user_model.objects.create_user("root", is_staff=True)

    assert names(repositories_visible_to(user=admin)) == set(repos)
    assert names(repositories_maintained_by(user=admin)) == set(repos)
    assert user_sees_private(user=admin) is True


def test_an_inactive_user_or_an_untracked_repository_has_no_role(repos, django_user_model):
    gone = django_user_model.objects.create_user("gone", is_active=False, is_staff=True)
    RepositoryRole.objects.create(user=gone, repository=repos["secret"])
    keeper = django_user_model.objects.create_user("keeper")
    RepositoryRole.objects.create(user=keeper, repository=repos["vault"])
    repos["vault"].tracked = False
    repos["vault"].save()

    assert names(repositories_visible_to(user=gone)) == {"open"}
    assert not permissions.may_maintain(keeper, repos["vault"])
    assert not permissions.maintains_any(keeper)


# --- GitHub permissions → maintainer roles ----------------------------------------------------


@dataclass
class FakePermissions:
    admin: bool = False
    maintain: bool = False
    push: bool = False
    triage: bool = False
    pull: bool = True


@dataclass
class FakeRepo:
    permissions: FakePermissions | None


@dataclass
class FakeGitHub:
    """What PyGithub's `Github.get_repo` answers for the signed-in user's token."""

    repos: dict[str, FakePermissions | int] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)

    def get_repo(self, full_name: str) -> FakeRepo:
        self.asked.append(full_name)
        answer = self.repos.get(full_name, 404)
        if isinstance(answer, int):
            raise GithubException(answer, {"message": "Not Found"}, None)
        return FakeRepo(permissions=answer)


@pytest.mark.parametrize(
    ("github", "maintainer"),
    [
        (FakePermissions(admin=True), True),
        (FakePermissions(maintain=True), True),
        (FakePermissions(push=True), True),
        (FakePermissions(triage=True), False),
        (FakePermissions(), False),  # read only
    ],
)
def test_push_maintain_and_admin_make_a_maintainer(repos, django_user_model, github, maintainer):
    user = django_user_model.objects.create_user("octo")
    client = FakeGitHub({"acme/open": github})

    mapped = github_roles_sync(user=user, client=client)

    assert (repos["open"].pk in mapped) is maintainer
    assert permissions.may_maintain(user, repos["open"]) is maintainer
    assert sorted(client.asked) == ["acme/open", "acme/secret", "acme/vault"]  # tracked ones


def test_a_new_sign_in_replaces_github_roles_and_keeps_an_admins_grant(repos, django_user_model):
    user = django_user_model.objects.create_user("octo")
    RepositoryRole.objects.create(user=user, repository=repos["vault"])  # granted by an admin
    github_roles_sync(
        user=user,
        client=FakeGitHub({"acme/open": FakePermissions(push=True), "acme/secret": 403}),
    )
    assert names(repositories_maintained_by(user=user)) == {"open", "vault"}

    # Push access moved from open to secret on GitHub; the vault grant is the admin's.
    github_roles_sync(
        user=user,
        client=FakeGitHub(
            {"acme/open": FakePermissions(), "acme/secret": FakePermissions(maintain=True)}
        ),
    )

    assert names(repositories_maintained_by(user=user)) == {"secret", "vault"}
    sources = dict(
        RepositoryRole.objects.filter(user=user).values_list("repository__name", "source")
    )
    assert sources == {"secret": "github", "vault": "admin"}


def test_a_repository_github_does_not_answer_for_maps_to_no_role(repos, django_user_model):
    user = django_user_model.objects.create_user("octo")

    mapped = github_roles_sync(user=user, client=FakeGitHub({"acme/open": 500}))

    assert mapped == set()
    assert not RepositoryRole.objects.filter(user=user).exists()


def test_signing_in_with_github_records_the_login_and_maps_roles(
    repos, django_user_model, monkeypatch, rf
):
    from allauth.account.signals import user_logged_in
    from allauth.socialaccount.models import SocialAccount, SocialLogin, SocialToken

    from accounts import signals
    from accounts.selectors import github_login_of

    user = django_user_model.objects.create_user("octo-steward")
    tokens: list[str] = []
    fake = FakeGitHub({"acme/secret": FakePermissions(push=True)})

    def client_for(token: str) -> FakeGitHub:
        tokens.append(token)
        return fake

    monkeypatch.setattr(signals, "github_client_for_token", client_for)
    account = SocialAccount(user=user, provider="github", uid="42", extra_data={"login": "octo"})
    token = SocialToken(token="gho_user_token", account=account)
    login = SocialLogin(user=user, account=account, token=token)

    user_logged_in.send(sender=type(user), request=rf.get("/"), user=user, sociallogin=login)

    assert tokens == ["gho_user_token"]  # the user's own token, used at sign-in
    assert names(repositories_maintained_by(user=user)) == {"secret"}
    assert github_login_of(user=user) == "octo"


def test_a_local_sign_in_asks_github_nothing(repos, django_user_model, monkeypatch, rf):
    from allauth.account.signals import user_logged_in

    from accounts import signals

    monkeypatch.setattr(signals, "github_client_for_token", pytest.fail)
    user = django_user_model.objects.create_user("local")

    user_logged_in.send(sender=type(user), request=rf.get("/"), user=user)

    assert not RepositoryRole.objects.filter(user=user).exists()
