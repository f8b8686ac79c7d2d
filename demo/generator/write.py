"""Write the demo community through the upsert services, exactly as sync and webhooks do."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import transaction
from django.db.models import Count
from tqdm import tqdm

from community.github.payloads import GitHubInstallation, GitHubPushedCommit, GitHubUser
from community.models import Actor, Issue, PullRequest, Repository
from community.services import upserts
from demo.generator.build import DemoWorld, RepositoryData
from demo.generator.ids import IdAllocator

# One statement writes at most this many payloads: a sync page is 100, webhooks send one.
PAGE = 500
T = TypeVar("T")
Step = Callable[[Repository, RepositoryData], object]


def demo_world_write(*, world: DemoWorld, progress: bool = False) -> None:
    """Upsert every object of `world`, one transaction per repository."""
    demo_previous_clear(world=world)
    steps = _steps(world)
    total = 1 + len(world.repositories) * (len(steps) + 1)
    with tqdm(total=total, desc="demo", unit="step", disable=not progress) as bar:
        with transaction.atomic():
            upserts.actors_bulk_upsert(payloads=world.actors)
            _installation_write(world)
        bar.update()
        for data in world.repositories:
            bar.set_postfix_str(data.payload.full_name)
            with transaction.atomic():
                repository = upserts.repository_upsert(payload=data.payload)
                bar.update()
                for step in steps:
                    step(repository, data)
                    bar.update()


def demo_previous_clear(*, world: DemoWorld) -> bool:
    """Remove this seed's demo data when it was generated for another end date or scale.

    The same ids would then name different objects, and the upserts' stale-payload rule would
    keep some old rows; so the seed's repositories (with everything in them) and accounts go
    first. Only ids in this seed's synthetic ranges are touched. Returns True when it cleared.
    """
    ids = IdAllocator(seed=world.seed)
    updated = dict(
        Repository.objects.filter(pk__range=_closed(ids.span("repository"))).values_list(
            "pk", "updated_at"
        )
    )
    sizes: Counter[int] = Counter()
    for model in (Issue, PullRequest):
        per_repository = model.objects.filter(repository__in=updated).values("repository")
        sizes.update(dict(per_repository.annotate(n=Count("pk")).values_list("repository", "n")))
    stored = {pk: (updated_at, sizes[pk]) for pk, updated_at in updated.items()}
    expected = {
        data.payload.id: (data.payload.updated_at, len(data.issues) + len(data.pull_requests))
        for data in world.repositories
    }
    if not stored or all(expected.get(pk) == state for pk, state in stored.items()):
        return False
    with transaction.atomic():
        Repository.objects.filter(pk__in=stored).delete()
        Actor.objects.filter(pk__range=_closed(ids.span("actor"))).delete()
    return True


def _closed(span: tuple[int, int]) -> tuple[int, int]:
    return span[0], span[1] - 1


def _steps(world: DemoWorld) -> list[Step]:
    maintainers = world.maintainers
    return [
        lambda repo, data: upserts.labels_bulk_upsert(repository=repo, payloads=data.labels),
        lambda repo, data: upserts.milestones_bulk_upsert(
            repository=repo, payloads=data.milestones
        ),
        lambda repo, data: _paged(data.issues, repo, upserts.issues_bulk_upsert),
        lambda repo, data: _paged(data.pull_requests, repo, upserts.pull_requests_bulk_upsert),
        lambda repo, data: upserts.pull_request_reviews_bulk_upsert(
            repository=repo, reviews_by_number=data.reviews
        ),
        lambda repo, data: _paged(data.comments, repo, upserts.comments_bulk_upsert),
        lambda repo, data: _paged(data.events, repo, upserts.issue_events_bulk_upsert),
        lambda repo, data: upserts.releases_bulk_upsert(repository=repo, payloads=data.releases),
        lambda repo, data: _paged(data.stars, repo, upserts.star_events_bulk_upsert),
        lambda repo, data: _members_write(repo, maintainers),
        lambda repo, data: _pushes_write(repo, data, world.commit_emails),
    ]


def _paged(payloads: Sequence[T], repository: Repository, upsert: Callable[..., object]) -> None:
    for start in range(0, len(payloads), PAGE):
        upsert(repository=repository, payloads=payloads[start : start + PAGE])


def _members_write(repository: Repository, maintainers: list[GitHubUser]) -> None:
    """The maintainers are the collaborators; the first one administers every repository."""
    for rank, user in enumerate(maintainers):
        upserts.member_upsert(
            repository=repository, user=user, permission="admin" if rank == 0 else "maintain"
        )


def _pushes_write(repository: Repository, data: RepositoryData, emails: dict[int, str]) -> None:
    """Every merge lands on the default branch as one commit by the pull request's author, with
    the author's commit email (a work address says where they work: organisational diversity)."""

    def email(user: GitHubUser) -> str:
        return emails.get(user.id) or f"{user.login}@users.noreply.github.com"

    commits = [
        GitHubPushedCommit(
            sha=pull.merge_commit_sha,
            author_name=(pull.user.name or pull.user.login) if pull.user else "",
            author_email=email(pull.user) if pull.user else "",
            author_login=pull.user.login if pull.user else "",
            timestamp=pull.merged_at,
        )
        for pull in data.pull_requests
        if pull.merged_at is not None
    ]
    for start in range(0, len(commits), PAGE):
        upserts.pushed_commits_bulk_upsert(
            repository=repository,
            ref=f"refs/heads/{data.payload.default_branch}",
            payloads=commits[start : start + PAGE],
        )


def _installation_write(world: DemoWorld) -> None:
    """The organization installed Steward's GitHub App on all its repositories."""
    upserts.installation_upsert(
        payload=GitHubInstallation(
            id=world.installation_id,
            account=world.org,
            target_type="Organization",
            repository_selection="all",
            created_at=world.start,
            updated_at=world.start,
        ),
        status="active",
    )
