"""Everything a repository's issue and pull request flows need to know about their world."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import datetime

from community.github.payloads import GitHubLabel, GitHubMilestone
from demo.generator.ids import IdAllocator
from demo.generator.people import Cast, Person
from demo.generator.plans import ItemPlan
from demo.generator.releases import PlannedRelease, version_at
from demo.generator.repos import RepoSpec
from demo.generator.thread import Thread


@dataclass
class RepoContext:
    spec: RepoSpec
    cast: Cast
    ids: IdAllocator
    labels: dict[str, GitHubLabel]
    milestones: list[GitHubMilestone]
    releases: list[PlannedRelease]
    plans: list[ItemPlan]
    until: datetime
    _people_weights: list[float] = field(init=False)
    _pr_moments: list[datetime] = field(init=False)
    _pr_numbers: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self._people_weights = [float(p.items) for p in self.cast.people]
        prs = [p for p in self.plans if p.is_pull_request]
        self._pr_moments = [p.created_at for p in prs]
        self._pr_numbers = [p.number for p in prs]

    def thread(self, rng: random.Random, plan: ItemPlan) -> Thread:
        return Thread(plan.number, plan.created_at, self.until, self.ids, rng, self.labels)

    def version_at(self, moment: datetime) -> str:
        return version_at(self.releases, moment, default=self.spec.first_version or "1.0.0")

    def maintainer_at(
        self, rng: random.Random, moment: datetime, *, not_person: Person | None = None
    ) -> Person:
        """A maintainer active at `moment`; the first maintainers do most of the work."""
        active = [
            p
            for p in self.cast.maintainers
            if p.arrival <= moment <= p.departure and p is not not_person
        ] or [p for p in self.cast.maintainers if p is not not_person]
        return rng.choices(active, [p.items for p in active])[0]

    def bystander_at(
        self, rng: random.Random, moment: datetime, *, not_person: Person | None
    ) -> Person:
        """Someone from the community, active at `moment`, who chimes in."""
        for _ in range(12):
            person = rng.choices(self.cast.people, self._people_weights)[0]
            if person is not not_person and person.arrival <= moment <= person.departure:
                return person
        return self.maintainer_at(rng, moment, not_person=not_person)

    def pull_request_before(self, rng: random.Random, moment: datetime) -> int | None:
        """The number of some pull request opened recently before `moment`, if any."""
        index = bisect.bisect_right(self._pr_moments, moment)
        if index == 0:
            return None
        return self._pr_numbers[rng.randint(max(0, index - 20), index - 1)]

    def issue_before(
        self, rng: random.Random, plan: ItemPlan, *, category: str | None = None
    ) -> int | None:
        """A recent earlier issue of `category` (default: the plan's): a duplicate's original,
        or the bug a fix refers to."""
        wanted = category or plan.category
        candidates = [
            p.number
            for p in self.plans[: plan.number - 1]
            if not p.is_pull_request and p.category == wanted
        ]
        return rng.choice(candidates[-50:]) if candidates else None


def association(person: Person | None, *, first_item: bool, pull_request: bool) -> str:
    """GitHub's author_association for the author of an item."""
    if person is None:
        return "NONE"
    if person.is_maintainer:
        return "MEMBER"
    if first_item:
        return "FIRST_TIME_CONTRIBUTOR" if pull_request else "NONE"
    return "CONTRIBUTOR"
