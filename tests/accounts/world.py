"""A small world for the accounts tests: one public and one private repository (each with
issues, a pull request, a triage suggestion, a model and a digest), and the five kinds of visitor:
anonymous, a contributor, the public repository's maintainer, the private repository's
maintainer and an admin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import RepositoryRole
from accounts.services import api_token_create
from analytics.digests import digest_generate
from community.models import Actor, Issue, PullRequest, Repository
from models_hub.models import RegisteredModel, TriageResult, TriageSuggestion
from tests.factories import (
    ActorFactory,
    CommentFactory,
    IssueFactory,
    LabelFactory,
    PullRequestFactory,
    TriageResultFactory,
    TriageSuggestionFactory,
)
from tests.models_hub.scenarios.hub import HubScenario, build_hub

PASSWORD = "correct-horse-battery-staple"
VISITORS = ("anonymous", "contributor", "maintainer_public", "maintainer_private", "admin")
DIGEST_START = dt.date(2024, 5, 1)


@dataclass
class Side:
    """One repository and what the world put in it."""

    repository: Repository
    issue: Issue
    pull: PullRequest
    result: TriageResult
    suggestion: TriageSuggestion
    model: RegisteredModel
    author: Actor  # an account seen in this repository only

    @property
    def owner_name(self) -> tuple[str, str]:
        owner, name = self.repository.full_name.split("/")
        return owner, name


@dataclass
class World:
    hub: HubScenario
    public: Side
    private: Side
    users: dict[str, object]  # visitor name → user (None for anonymous)
    token_pk: int  # an API token of the contributor's


def _side(repository: Repository, model: RegisteredModel, login: str) -> Side:
    author = ActorFactory(login=login)
    created = timezone.make_aware(dt.datetime(2024, 5, 6, 12))
    good_first = LabelFactory(repository=repository, name="good first issue", color="7057ff")
    issue = IssueFactory(
        repository=repository, author=author, labels=[good_first], created_at=created
    )
    pull = PullRequestFactory(repository=repository, author=author, created_at=created)
    CommentFactory(issue=issue, author=author)
    result = TriageResultFactory(issue=issue)
    suggestion = TriageSuggestionFactory(result=result, value="bug", score=0.9)
    return Side(repository, issue, pull, result, suggestion, model, author)


def build_world() -> World:
    hub = build_hub(versions=2)
    public = _side(hub.model.repository, hub.model, "ada")
    private = _side(hub.private_model.repository, hub.private_model, "spy")
    now = timezone.make_aware(dt.datetime(2024, 6, 3, 9))
    for side in (public, private):
        digest_generate(repository=side.repository, period="month", start=DIGEST_START, now=now)
    users = make_users(public=public.repository, private=private.repository)
    token = api_token_create(user=users["contributor"], name="script").token
    return World(hub=hub, public=public, private=private, users=users, token_pk=token.pk)


def make_users(*, public: Repository, private: Repository) -> dict[str, object]:
    User = get_user_model()
    contributor = User.objects.create_user("casey", password=PASSWORD)
    maintainer_public = User.objects.create_user("pat", password=PASSWORD)
    maintainer_private = User.objects.create_user("priya", password=PASSWORD)
    admin = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    RepositoryRole.objects.create(user=maintainer_public, repository=public)
    RepositoryRole.objects.create(user=maintainer_private, repository=private)
    return {
        "anonymous": None,
        "contributor": contributor,
        "maintainer_public": maintainer_public,
        "maintainer_private": maintainer_private,
        "admin": admin,
    }
