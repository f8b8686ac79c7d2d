"""A small community to search: a public and a private repository, issues, pull requests,
comments and people, with texts chosen so each test knows what must (and must not) match."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from community.models import Actor, Comment, Issue, PullRequest, Repository
from tests.factories import (
    ActorFactory,
    CommentFactory,
    IssueFactory,
    PullRequestFactory,
    RepositoryFactory,
)


@dataclass
class SearchWorld:
    public: Repository
    other: Repository
    private: Repository
    ada: Actor
    secretive: Actor
    slow_renderer: Issue
    memory_leak: Issue
    closed_crash: Issue
    private_slow: Issue
    cache_pull: PullRequest
    merged_pull: PullRequest
    slow_comment: Comment
    private_comment: Comment


@pytest.fixture
def world(db) -> SearchWorld:
    now = timezone.now()
    acme = ActorFactory(organization=True, login="acme")
    ada = ActorFactory(login="ada", name="Ada Lovelace")
    grace = ActorFactory(login="grace", name="Grace Hopper")
    secretive = ActorFactory(login="secretive", name="Hidden Person")
    public = RepositoryFactory(owner=acme, name="widgets")
    other = RepositoryFactory(owner=acme, name="widgets-cli")
    private = RepositoryFactory(owner=acme, name="vault", is_private=True)

    def days(n: int) -> dt.datetime:
        return now - dt.timedelta(days=n)

    slow_renderer = IssueFactory(
        repository=public,
        number=7,
        title="Renderer becomes very slow when the window is resized",
        body="Resizing the window with a large table makes every frame take seconds.",
        author=ada,
        created_at=days(9),
    )
    memory_leak = IssueFactory(
        repository=public,
        number=8,
        title="Font cache leaks memory",
        body="The font cache grows without bound while themes are switched.",
        author=grace,
        created_at=days(8),
    )
    closed_crash = IssueFactory(
        repository=other,
        number=7,
        title="Crash on startup with an empty config file",
        body="KeyError: 'theme' when the config file is empty.",
        author=grace,
        closed=True,
        created_at=days(7),
    )
    private_slow = IssueFactory(
        repository=private,
        number=9,
        title="Staging renderer slow after the upgrade",
        body="The internal renderer is slow on staging.",
        author=secretive,
        created_at=days(6),
    )
    cache_pull = PullRequestFactory(
        repository=public,
        number=12,
        title="Cache glyph widths in the renderer",
        body="Measuring glyphs once per font makes resizing fast again.",
        author=grace,
        created_at=days(5),
    )
    merged_pull = PullRequestFactory(
        repository=public,
        number=13,
        title="Document the theme loader",
        body="Adds a tutorial page for themes.",
        author=ada,
        is_merged=True,
        created_at=days(4),
    )
    slow_comment = CommentFactory(
        issue=memory_leak,
        body="I see the same thing: after an hour the dashboard is sluggish and slow to redraw.",
        author=ada,
    )
    private_comment = CommentFactory(
        issue=private_slow,
        body="Confidential: the vault renderer is slow because of the audit hook.",
        author=secretive,
    )
    return SearchWorld(
        public=public,
        other=other,
        private=private,
        ada=ada,
        secretive=secretive,
        slow_renderer=slow_renderer,
        memory_leak=memory_leak,
        closed_crash=closed_crash,
        private_slow=private_slow,
        cache_pull=cache_pull,
        merged_pull=merged_pull,
        slow_comment=slow_comment,
        private_comment=private_comment,
    )


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("staffer", password="pw", is_staff=True)


# The model hub's encoder seam: the fake 8-d encoder as the configured model and the worker's.
from tests.models_hub.conftest import (  # noqa: E402
    configured_fake,  # noqa: F401
    fake_encoder,  # noqa: F401
    use_encoder,  # noqa: F401
)


@pytest.fixture(autouse=True)
def encode_in_process(settings):
    """Tests run tasks eagerly with no broker, as embedded mode does; here the fake encoder stands
    in for the embeddings worker, so the query is encoded in-process. Embedded mode's own
    behaviour (no encoding in the web process) is tested with this turned off."""
    settings.STEWARD_SEARCH_ENCODE_IN_PROCESS = True
