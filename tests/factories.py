"""factory_boy factories for the core community models, shared by every test area.

Primary keys are GitHub ids, so every factory draws its `id` from one sequence. Related objects
follow their parent: a Label, an Issue or a Comment lands in the repository of what it hangs on.
Many-to-many relations (labels, assignees, requested reviewers) are post-generation hooks:
`IssueFactory(labels=[bug])`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from community.models import (
    Actor,
    ActorType,
    Comment,
    CommentKind,
    Issue,
    IssueEvent,
    IssueState,
    Label,
    Milestone,
    PullRequest,
    Release,
    Repository,
    Review,
    StarEvent,
)
from models_hub.models import (
    ModelKind,
    ModelVersion,
    RegisteredModel,
    SuggestionKind,
    TriageResult,
    TriageSuggestion,
)

# GitHub ids are large; starting high keeps factory ids apart from fixture payload ids.
_github_ids = factory.Sequence(lambda n: 9_000_000_000 + n)


def _ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _set_m2m(manager_name: str):
    """Post-generation hook: `Factory(<manager_name>=[...])` fills that many-to-many relation."""

    def hook(obj, create: bool, extracted: Iterable | None, **kwargs) -> None:
        if create and extracted:
            getattr(obj, manager_name).set(extracted)

    return factory.PostGeneration(hook)


class ActorFactory(DjangoModelFactory[Actor]):
    class Meta:
        model = Actor

    id = _github_ids
    login = factory.Sequence(lambda n: f"user{n}")
    type = ActorType.USER
    is_bot = False
    name = factory.Faker("name")
    avatar_url = factory.LazyAttribute(lambda o: f"https://avatars.example.com/u/{o.id}")

    class Params:
        bot = factory.Trait(
            type=ActorType.BOT,
            is_bot=True,
            login=factory.Sequence(lambda n: f"helper{n}[bot]"),
            name="",
        )
        organization = factory.Trait(
            type=ActorType.ORGANIZATION, login=factory.Sequence(lambda n: f"org{n}")
        )


class RepositoryFactory(DjangoModelFactory[Repository]):
    class Meta:
        model = Repository

    id = _github_ids
    owner = factory.SubFactory(ActorFactory, organization=True)
    name = factory.Sequence(lambda n: f"project{n}")
    full_name = factory.LazyAttribute(lambda o: f"{o.owner.login}/{o.name}")
    private = False
    description = factory.Faker("sentence")
    language = "Python"
    topics = factory.LazyFunction(lambda: ["community", "python"])
    stargazers_count = 10
    forks_count = 3
    watchers_count = 4
    created_at = factory.LazyFunction(lambda: _ago(400))
    updated_at = factory.LazyFunction(lambda: _ago(1))
    pushed_at = factory.LazyFunction(lambda: _ago(1))
    tracked = True

    class Params:
        is_private = factory.Trait(private=True)


class LabelFactory(DjangoModelFactory[Label]):
    class Meta:
        model = Label

    id = _github_ids
    repository = factory.SubFactory(RepositoryFactory)
    name = factory.Sequence(lambda n: f"label-{n}")
    color = "d73a4a"
    description = ""


class MilestoneFactory(DjangoModelFactory[Milestone]):
    class Meta:
        model = Milestone

    id = _github_ids
    repository = factory.SubFactory(RepositoryFactory)
    number = factory.Sequence(lambda n: 10_000 + n)
    title = factory.Sequence(lambda n: f"v{n}.0")
    state = "open"
    due_on = factory.LazyFunction(lambda: _ago(-30))
    created_at = factory.LazyFunction(lambda: _ago(60))
    updated_at = factory.LazyFunction(lambda: _ago(2))


class _IssueBaseFactory(DjangoModelFactory):
    id = _github_ids
    repository = factory.SubFactory(RepositoryFactory)
    # High numbers, so that tests may give small ones (#1, #2…) explicitly without collisions.
    number = factory.Sequence(lambda n: 10_000 + n)
    title = factory.Faker("sentence", nb_words=6)
    body = factory.Faker("paragraph")
    state = IssueState.OPEN
    author = factory.SubFactory(ActorFactory)
    author_association = "CONTRIBUTOR"
    comments_count = 0
    created_at = factory.LazyFunction(lambda: _ago(10))
    updated_at = factory.LazyAttribute(lambda o: o.created_at + dt.timedelta(hours=1))

    labels = _set_m2m("labels")
    assignees = _set_m2m("assignees")

    class Params:
        closed = factory.Trait(
            state=IssueState.CLOSED,
            state_reason="completed",
            closed_at=factory.LazyAttribute(lambda o: o.created_at + dt.timedelta(days=2)),
            updated_at=factory.LazyAttribute(lambda o: o.created_at + dt.timedelta(days=2)),
        )


class IssueFactory(_IssueBaseFactory):
    class Meta:
        model = Issue
        skip_postgeneration_save = True


class PullRequestFactory(_IssueBaseFactory):
    class Meta:
        model = PullRequest
        skip_postgeneration_save = True

    issue_id = factory.LazyAttribute(lambda o: o.id + 500_000_000)
    base_ref = "main"
    head_ref = factory.Sequence(lambda n: f"feature-{n}")
    head_sha = factory.Faker("sha1")
    additions = 12
    deletions = 3
    changed_files = 2
    commits_count = 1

    requested_reviewers = _set_m2m("requested_reviewers")

    class Params:
        is_merged = factory.Trait(
            state=IssueState.CLOSED,
            merged=True,
            merged_at=factory.LazyAttribute(lambda o: o.created_at + dt.timedelta(days=1)),
            closed_at=factory.LazyAttribute(lambda o: o.created_at + dt.timedelta(days=1)),
            updated_at=factory.LazyAttribute(lambda o: o.created_at + dt.timedelta(days=1)),
            merged_by=factory.SubFactory(ActorFactory),
            merge_commit_sha=factory.Faker("sha1"),
        )
        is_draft = factory.Trait(draft=True)


class ReviewFactory(DjangoModelFactory[Review]):
    class Meta:
        model = Review

    id = _github_ids
    pull_request = factory.SubFactory(PullRequestFactory)
    reviewer = factory.SubFactory(ActorFactory)
    state = Review.State.APPROVED
    body = ""
    author_association = "MEMBER"
    submitted_at = factory.LazyAttribute(
        lambda o: o.pull_request.created_at + dt.timedelta(hours=5)
    )


class CommentFactory(DjangoModelFactory[Comment]):
    """A conversation comment on `issue` (default) or on `pull_request` (pass `issue=None`)."""

    class Meta:
        model = Comment

    id = _github_ids
    kind = CommentKind.ISSUE
    issue = factory.SubFactory(IssueFactory)
    pull_request = None
    repository = factory.LazyAttribute(lambda o: (o.issue or o.pull_request).repository)
    author = factory.SubFactory(ActorFactory)
    author_association = "CONTRIBUTOR"
    body = factory.Faker("paragraph")
    created_at = factory.LazyAttribute(
        lambda o: (o.issue or o.pull_request).created_at + dt.timedelta(hours=2)
    )
    updated_at = factory.LazyAttribute(lambda o: o.created_at)

    class Params:
        on_pull_request = factory.Trait(
            issue=None, pull_request=factory.SubFactory(PullRequestFactory)
        )
        review_comment = factory.Trait(
            kind=CommentKind.REVIEW,
            issue=None,
            pull_request=factory.SubFactory(PullRequestFactory),
            path="src/app.py",
        )


class ReleaseFactory(DjangoModelFactory[Release]):
    class Meta:
        model = Release

    id = _github_ids
    repository = factory.SubFactory(RepositoryFactory)
    tag_name = factory.Sequence(lambda n: f"v1.{n}.0")
    name = factory.LazyAttribute(lambda o: f"Release {o.tag_name}")
    body = "Bug fixes and improvements."
    author = factory.SubFactory(ActorFactory)
    created_at = factory.LazyFunction(lambda: _ago(5))
    published_at = factory.LazyAttribute(lambda o: o.created_at)


class StarEventFactory(DjangoModelFactory[StarEvent]):
    class Meta:
        model = StarEvent

    repository = factory.SubFactory(RepositoryFactory)
    actor = factory.SubFactory(ActorFactory)
    starred_at = factory.LazyFunction(lambda: _ago(3))


class IssueEventFactory(DjangoModelFactory[IssueEvent]):
    """A timeline event on `issue` (default) or on `pull_request` (pass `issue=None`)."""

    class Meta:
        model = IssueEvent

    id = _github_ids
    issue = factory.SubFactory(IssueFactory)
    pull_request = None
    repository = factory.LazyAttribute(lambda o: (o.issue or o.pull_request).repository)
    event = "labeled"
    actor = factory.SubFactory(ActorFactory)
    created_at = factory.LazyAttribute(
        lambda o: (o.issue or o.pull_request).created_at + dt.timedelta(hours=1)
    )
    label_name = factory.LazyAttribute(
        lambda o: "bug" if o.event in ("labeled", "unlabeled") else ""
    )


# --- model hub: registry and triage -------------------------------------------------------------


class RegisteredModelFactory(DjangoModelFactory[RegisteredModel]):
    class Meta:
        model = RegisteredModel

    kind = ModelKind.LABEL_CLASSIFIER
    repository = factory.SubFactory(RepositoryFactory)
    name = factory.LazyAttribute(
        lambda o: (
            (o.repository.full_name.replace("/", "-") if o.repository else "global") + f"-{o.kind}"
        )
    )
    description = "Suggests labels for new issues."
    tags = factory.LazyFunction(lambda: ["steward", "triage"])


class ModelVersionFactory(DjangoModelFactory[ModelVersion]):
    """A registry row only: tests that load the weights register real files with the services.

    `repository=` picks (or creates) that repository's label classifier model; `is_active=True`
    points its champion alias at the version, as the alias service would.
    """

    class Meta:
        model = ModelVersion
        skip_postgeneration_save = True

    class Params:
        repository = factory.SubFactory(RepositoryFactory)

    model = factory.LazyAttribute(
        lambda o: (
            RegisteredModel.objects.filter(
                kind=ModelKind.LABEL_CLASSIFIER, repository=o.repository
            ).first()
            or RegisteredModelFactory(repository=o.repository)
        )
    )
    version = factory.Sequence(lambda n: n + 1)
    sha256 = factory.Faker("sha256")
    base_model_id = "sentence-transformers/all-MiniLM-L6-v2"
    trained_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def is_active(self, create: bool, extracted: bool | None, **kwargs) -> None:
        if create and extracted:
            from models_hub.registry.aliases import alias_move

            alias_move(version=self, actor_label="test")


class TriageResultFactory(DjangoModelFactory[TriageResult]):
    class Meta:
        model = TriageResult

    issue = factory.SubFactory(IssueFactory)
    repository = factory.LazyAttribute(lambda o: o.issue.repository)
    text_hash = factory.Faker("sha256")
    embedding_model_id = "sentence-transformers/all-MiniLM-L6-v2"


class TriageSuggestionFactory(DjangoModelFactory[TriageSuggestion]):
    class Meta:
        model = TriageSuggestion

    result = factory.SubFactory(TriageResultFactory)
    kind = SuggestionKind.LABEL
    value = "bug"
    score = 0.9
