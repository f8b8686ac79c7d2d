"""A fake GitHub on loopback, a client pointed at it, and a small but complete repository."""

from __future__ import annotations

import pytest
from github import Auth

from community.github.auth import Credential
from community.github.client import GitHubClient
from community.models import Repository
from community.services.sync import repository_fetch
from tests.fakes.github_server import FakeGitHub

TOKEN = "ghp_test_token_1"


@pytest.fixture
def github():
    with FakeGitHub(tokens=[TOKEN]) as fake:
        yield fake


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_client(github, sleeps):
    def make(*tokens: str, per_page: int = 100, reserve: int = 0) -> GitHubClient:
        credentials = [Credential(f"token {t}", Auth.Token(t)) for t in tokens or (TOKEN,)]
        return GitHubClient(
            credentials=credentials,
            base_url=github.base_url,
            per_page=per_page,
            reserve=reserve,
            backoff=0.01,
            seconds_between_requests=0,
            sleep=sleeps.append,
        )

    return make


@pytest.fixture
def api(make_client) -> GitHubClient:
    return make_client()


@pytest.fixture
def github_settings(settings, github):
    """Settings that make the product's own client (tasks, command, views) use the fake."""
    settings.GITHUB_API_URL = github.base_url
    settings.GITHUB_TOKENS = [TOKEN]
    settings.GITHUB_RATE_LIMIT_RESERVE = 0
    settings.GITHUB_SECONDS_BETWEEN_REQUESTS = 0
    settings.GITHUB_APP_ID = ""
    return settings


@pytest.fixture
def fake_repo(github):
    """octo/demo: labels, a milestone, issues and PRs with reviews, comments, events, releases,
    stars — one of everything the sync reads."""
    repo = github.add_repo("octo/demo", description="Demo project")
    bug = github.add_label(repo, "bug")
    github.add_label(repo, "docs", color="0075ca")
    github.add_milestone(repo, "v1.0")
    crash = github.add_issue(repo, title="Crash on start", labels=[bug], assignees=["erin"])
    github.add_issue(repo, title="Typo in README", state="closed")
    merged = github.add_pull(
        repo, title="Fix crash", merged=True, additions=42, deletions=7, reviewers=["dave"]
    )
    draft = github.add_pull(repo, title="WIP: docs", draft=True)
    review = github.add_review(repo, merged, state="CHANGES_REQUESTED")
    github.add_review(repo, merged, state="APPROVED")
    github.add_review_comment(repo, merged, review_id=review, body="Please add a test")
    github.add_comment(repo, crash, body="I see this too")
    github.add_comment(repo, merged, body="LGTM")
    github.add_event(repo, crash, "labeled", label="bug")
    github.add_event(repo, crash, "assigned", assignee="erin")
    github.add_event(repo, merged, "merged", actor="octo", commit_id="c" * 40)
    github.add_event(repo, merged, "closed", actor="octo")
    github.add_release(repo, "v1.0.0")
    for login in ("fan1", "fan2", "fan3"):
        github.add_star(repo, login)
    repo.sample = {"crash": crash, "merged": merged, "draft": draft}
    return repo


@pytest.fixture
def repository(api, fake_repo) -> Repository:
    return repository_fetch(client=api, full_name="octo/demo")
