"""The demo community as GitHub-shaped payloads, computed without touching the database.

Same seed, scale and end date ⇒ the same payloads, ids included: every random choice comes from
a generator seeded with the seed and a fixed name, and ids are handed out in a fixed order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from community.github.payloads import (
    GitHubComment,
    GitHubIssue,
    GitHubIssueEvent,
    GitHubLabel,
    GitHubMilestone,
    GitHubPullRequest,
    GitHubRelease,
    GitHubRepository,
    GitHubReview,
    GitHubStar,
    GitHubUser,
)
from demo.generator.context import RepoContext
from demo.generator.ids import IdAllocator
from demo.generator.issue_flow import issue_flow
from demo.generator.people import (
    Cast,
    cast_build,
    commit_emails_build,
    profile_companies_build,
    stargazers_build,
)
from demo.generator.plans import ItemPlan, plans_build
from demo.generator.pull_flow import pull_flow
from demo.generator.releases import (
    MergedPullRequest,
    milestones_build,
    release_schedule,
    releases_build,
)
from demo.generator.repos import REPOSITORIES, RepoSpec, labels_build
from demo.generator.stars import stars_build

SPAN = timedelta(days=730)
ORG = "acme"
# At scale 1: ~300 people opening ~3,200 issues and pull requests, ~150 of them dependency bumps.
PEOPLE, ITEMS, DEPENDENCY_PRS = 300, 3200, 150


@dataclass
class RepositoryData:
    payload: GitHubRepository
    labels: list[GitHubLabel]
    milestones: list[GitHubMilestone]
    issues: list[GitHubIssue]
    pull_requests: list[GitHubPullRequest]
    reviews: dict[int, list[GitHubReview]]  # by pull request number
    comments: list[GitHubComment]
    events: list[GitHubIssueEvent]
    releases: list[GitHubRelease]
    stars: list[GitHubStar]


@dataclass
class DemoWorld:
    start: datetime
    until: datetime
    seed: int
    org: GitHubUser
    maintainers: list[GitHubUser]
    installation_id: int
    actors: list[GitHubUser]
    repositories: list[RepositoryData]
    commit_emails: dict[int, str] = field(default_factory=dict)  # by account id


def demo_world_build(*, seed: int, scale: float, until: datetime) -> DemoWorld:
    """Generate the whole community: people, four repositories and two years of activity."""
    start = until - SPAN
    ids = IdAllocator(seed=seed)
    humans = max(12, round(PEOPLE * scale))
    dependency_prs = max(3, round(DEPENDENCY_PRS * scale))
    items = max(humans, round(ITEMS * scale) - dependency_prs)
    cast = cast_build(
        _rng(seed, "people"), ids, start=start, until=until, humans=humans, human_items=items
    )
    plans = plans_build(
        _rng(seed, "plans"),
        cast=cast,
        specs=REPOSITORIES,
        dependency_prs=dependency_prs,
        start=start,
        until=until,
    )
    passers_by = stargazers_build(
        _rng(seed, "stargazers"),
        ids,
        cast=cast,
        count=round(max(s.stars for s in REPOSITORIES) * scale),
    )
    repositories = [
        _repository_data(
            _rng(seed, spec.name),
            ids,
            spec,
            cast=cast,
            plans=plans[spec.name],
            passers_by=passers_by,
            scale=scale,
            until=until,
        )
        for spec in REPOSITORIES
    ]
    emails = commit_emails_build(_rng(seed, "commit-emails"), cast=cast)
    companies = profile_companies_build(_rng(seed, "profiles"), cast=cast, emails=emails)
    people = [
        replace(p.user, company=companies[p.user.id]) if p.user.id in companies else p.user
        for p in cast.people
    ]
    return DemoWorld(
        start=start,
        until=until,
        seed=seed,
        org=cast.org,
        maintainers=[p.user for p in cast.maintainers],
        installation_id=ids.next("installation"),
        actors=[cast.org, *people, *cast.bots, *passers_by],
        repositories=repositories,
        commit_emails=emails,
    )


def _rng(seed: int, stream: str) -> random.Random:
    """An independent generator per part, so changing one part leaves the others' data alone."""
    return random.Random(f"steward-demo:{seed}:{stream}")


def _repository_data(
    rng: random.Random,
    ids: IdAllocator,
    spec: RepoSpec,
    *,
    cast: Cast,
    plans: list[ItemPlan],
    passers_by: list[GitHubUser],
    scale: float,
    until: datetime,
) -> RepositoryData:
    start = until - SPAN
    repository_id = ids.next("repository")
    labels = labels_build(ids, spec)
    planned = release_schedule(rng, spec=spec, start=start, until=until)
    milestones = milestones_build(ids, releases=planned, start=start, until=until)
    ctx = RepoContext(spec, cast, ids, labels, milestones, planned, plans, until)
    activity, merged = _activity(rng, ctx)
    publishers = [p.user for p in cast.maintainers] + [cast.github_actions]
    activity.releases = releases_build(
        rng,
        ids,
        full_name=f"{ORG}/{spec.name}",
        planned=planned,
        merged=merged,
        authors=publishers,
    )
    activity.stars = stars_build(
        rng,
        count=round(spec.stars * scale),
        cast=cast,
        private=spec.private,
        passers_by=passers_by,
        since=start - timedelta(days=spec.age_days) / 3,
        until=until,
    )
    return RepositoryData(
        payload=_repository_payload(repository_id, spec, cast.org, activity, start, until),
        labels=list(labels.values()),
        milestones=milestones,
        **vars(activity),
    )


@dataclass
class _Activity:
    issues: list[GitHubIssue] = field(default_factory=list)
    pull_requests: list[GitHubPullRequest] = field(default_factory=list)
    reviews: dict[int, list[GitHubReview]] = field(default_factory=dict)
    comments: list[GitHubComment] = field(default_factory=list)
    events: list[GitHubIssueEvent] = field(default_factory=list)
    releases: list[GitHubRelease] = field(default_factory=list)
    stars: list[GitHubStar] = field(default_factory=list)


def _activity(rng: random.Random, ctx: RepoContext) -> tuple[_Activity, list[MergedPullRequest]]:
    """Run every plan's flow, in number order; also list the merged pull requests."""
    activity, merged = _Activity(), []
    for plan in ctx.plans:
        if plan.is_pull_request:
            pull, thread = pull_flow(rng, ctx, plan)
            activity.pull_requests.append(pull)
            activity.reviews[pull.number] = thread.reviews
            if pull.merged_at is not None:
                merged.append(MergedPullRequest(pull.number, pull.title, pull.user, pull.merged_at))
        else:
            issue, thread = issue_flow(rng, ctx, plan)
            activity.issues.append(issue)
        activity.comments += thread.comments
        activity.events += thread.events
    return activity, merged


def _repository_payload(
    repository_id: int,
    spec: RepoSpec,
    owner: GitHubUser,
    activity: _Activity,
    start: datetime,
    until: datetime,
) -> GitHubRepository:
    items = [*activity.issues, *activity.pull_requests]
    merges = [p.merged_at for p in activity.pull_requests if p.merged_at]
    stars = len(activity.stars)
    return GitHubRepository(
        id=repository_id,
        owner=owner,
        name=spec.name,
        full_name=f"{ORG}/{spec.name}",
        private=spec.private,
        description=spec.description,
        homepage="" if spec.private else f"https://{ORG}.example.org/{spec.name}",
        language=spec.language,
        topics=list(spec.topics),
        stargazers_count=stars,
        forks_count=round(stars * 0.13),
        watchers_count=max(1, stars // 12),
        open_issues_count=sum(1 for item in items if item.state == "open"),
        created_at=start - timedelta(days=spec.age_days),
        updated_at=until,
        pushed_at=max(merges, default=start),
    )
