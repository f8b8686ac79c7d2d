"""Release cadence (semver tags, release candidates), milestones that follow it, release notes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from community.github.payloads import GitHubMilestone, GitHubRelease, GitHubUser
from demo.generator.ids import IdAllocator
from demo.generator.repos import RepoSpec
from demo.generator.timing import DAY, skewed_delay, working_time


@dataclass(frozen=True, slots=True)
class PlannedRelease:
    version: str
    at: datetime
    prerelease: bool

    @property
    def tag(self) -> str:
        return f"v{self.version}"

    @property
    def series(self) -> str:
        """The minor series ("v2.3") the release belongs to; its milestone has that title."""
        major, minor, _ = self.version.split("-")[0].split(".")
        return f"v{major}.{minor}"


@dataclass(frozen=True, slots=True)
class MergedPullRequest:
    number: int
    title: str
    author: GitHubUser | None
    merged_at: datetime


def release_schedule(
    rng: random.Random, *, spec: RepoSpec, start: datetime, until: datetime
) -> list[PlannedRelease]:
    """Patch releases every few weeks, minor ones now and then, often after a release candidate."""
    if spec.first_version is None:
        return []
    major, minor, patch = (int(part) for part in spec.first_version.split("."))
    moment = working_time(rng, start + rng.randint(3, 20) * DAY)
    releases = [PlannedRelease(f"{major}.{minor}.{patch}", moment, False)]
    cadence = timedelta(days=spec.release_every_days)
    while True:
        moment = working_time(rng, moment + skewed_delay(rng, median=cadence, spread=0.35))
        if moment > until:
            return releases
        if rng.random() < 0.35:
            minor, patch = minor + 1, 0
            for candidate in range(1, 1 + rng.choice((0, 1, 1, 2))):
                ahead = timedelta(days=3 * (3 - candidate))
                version = f"{major}.{minor}.0-rc.{candidate}"
                releases.append(PlannedRelease(version, moment - ahead, True))
        else:
            patch += 1
        releases.append(PlannedRelease(f"{major}.{minor}.{patch}", moment, False))


def version_at(releases: list[PlannedRelease], moment: datetime, *, default: str) -> str:
    """The latest final version published before `moment` (what a reporter has installed)."""
    version = default
    for release in releases:
        if release.at <= moment and not release.prerelease:
            version = release.version
    return version


def milestones_build(
    ids: IdAllocator, *, releases: list[PlannedRelease], start: datetime, until: datetime
) -> list[GitHubMilestone]:
    """One milestone per minor series (closed when x.y.0 ships) and one open for the next."""
    finals = [r for r in releases if not r.prerelease and r.version.endswith(".0")]
    milestones, opened = [], start - 30 * DAY
    for number, release in enumerate(finals, start=1):
        milestones.append(
            GitHubMilestone(
                id=ids.next("milestone"),
                number=number,
                title=release.series,
                description=f"Everything that ships in {release.tag}.",
                state="closed",
                due_on=release.at.replace(hour=0, minute=0, second=0),
                created_at=opened,
                updated_at=release.at,
                closed_at=release.at,
            )
        )
        opened = release.at
    if finals:
        major, minor = (int(p) for p in finals[-1].series[1:].split("."))
        milestones.append(
            GitHubMilestone(
                id=ids.next("milestone"),
                number=len(milestones) + 1,
                title=f"v{major}.{minor + 1}",
                description="The next minor release.",
                due_on=(until + 30 * DAY).replace(hour=0, minute=0, second=0),
                created_at=opened,
                updated_at=opened,
            )
        )
    backlog = GitHubMilestone(
        id=ids.next("milestone"),
        number=len(milestones) + 1,
        title="Backlog",
        description="Accepted, not scheduled.",
        created_at=start - 60 * DAY,
        updated_at=start - 60 * DAY,
    )
    return [*milestones, backlog]


def milestone_at(milestones: list[GitHubMilestone], moment: datetime) -> GitHubMilestone:
    """The milestone being worked on at `moment` (the backlog when no release is planned)."""
    for milestone in milestones:
        started = milestone.due_on and milestone.created_at and milestone.created_at <= moment
        if started and (milestone.closed_at is None or moment <= milestone.closed_at):
            return milestone
    return milestones[-1]


def releases_build(
    rng: random.Random,
    ids: IdAllocator,
    *,
    full_name: str,
    planned: list[PlannedRelease],
    merged: list[MergedPullRequest],
    authors: list[GitHubUser],
) -> list[GitHubRelease]:
    """Published releases whose notes list the pull requests merged since the previous one."""
    merged = sorted(merged, key=lambda pr: pr.merged_at)
    seen_authors: set[int] = set()
    payloads, previous_at, previous_tag = [], None, None
    for release in planned:
        shipped = [
            pr
            for pr in merged
            if pr.merged_at <= release.at and (previous_at is None or pr.merged_at > previous_at)
        ]
        body = _notes(full_name, shipped, seen_authors, previous_tag, release.tag)
        payloads.append(
            GitHubRelease(
                id=ids.next("release"),
                tag_name=release.tag,
                name=release.tag,
                body=body,
                prerelease=release.prerelease,
                author=rng.choice(authors),
                created_at=release.at - timedelta(minutes=rng.randint(5, 90)),
                published_at=release.at,
            )
        )
        if not release.prerelease:
            previous_at, previous_tag = release.at, release.tag
    return payloads


def _notes(
    full_name: str,
    shipped: list[MergedPullRequest],
    seen_authors: set[int],
    previous_tag: str | None,
    tag: str,
) -> str:
    lines = ["## What's Changed"]
    newcomers = []
    for pr in shipped:
        login = pr.author.login if pr.author else "ghost"
        lines.append(f"* {pr.title} by @{login} in #{pr.number}")
        if pr.author and pr.author.id not in seen_authors:
            seen_authors.add(pr.author.id)
            newcomers.append(f"* @{login} made their first contribution in #{pr.number}")
    if not shipped:
        lines.append("* Maintenance release.")
    if newcomers:
        lines += ["", "## New Contributors", *newcomers]
    if previous_tag:
        url = f"https://github.com/{full_name}/compare/{previous_tag}...{tag}"
        lines += ["", f"**Full Changelog**: {url}"]
    return "\n".join(lines)
