"""What gets opened, where, when and by whom: one plan per issue or pull request.

Plans are made person by person (each opens `Person.items` items inside their active window),
plus the bots' dependency updates; then each repository's plans are numbered in time order, issues
and pull requests sharing one sequence as on GitHub.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from community.github.payloads import GitHubUser
from demo.generator.people import ROLE_MAINTAINER, ROLE_REGULAR, Cast, Person
from demo.generator.repos import RepoSpec
from demo.generator.timing import growing_moment, working_time

PR_KINDS = {"fix": 0.45, "feature": 0.25, "docs": 0.15, "chore": 0.15}
DEPENDENCY = "dependency"
_PR_SHARE = {ROLE_MAINTAINER: 0.62, ROLE_REGULAR: 0.55}
_CASUAL_PR_SHARE = 0.38


@dataclass(slots=True)
class ItemPlan:
    spec: RepoSpec
    author: GitHubUser
    person: Person | None  # None for bots
    created_at: datetime
    is_pull_request: bool
    category: str  # issue category, PR kind or "dependency"
    component: tuple[str, str]
    first_of_author: bool
    number: int = 0


def plans_build(
    rng: random.Random,
    *,
    cast: Cast,
    specs: tuple[RepoSpec, ...],
    dependency_prs: int,
    start: datetime,
    until: datetime,
) -> dict[str, list[ItemPlan]]:
    plans = [plan for person in cast.people for plan in _person_plans(rng, person, specs, until)]
    plans += _dependency_plans(
        rng, cast=cast, specs=specs, count=dependency_prs, start=start, until=until
    )
    by_repo: dict[str, list[ItemPlan]] = {spec.name: [] for spec in specs}
    for plan in plans:
        by_repo[plan.spec.name].append(plan)
    for repo_plans in by_repo.values():
        repo_plans.sort(key=lambda p: (p.created_at, p.author.id))
        for number, plan in enumerate(repo_plans, start=1):
            plan.number = number
    return by_repo


def _person_plans(
    rng: random.Random, person: Person, specs: tuple[RepoSpec, ...], until: datetime
) -> list[ItemPlan]:
    allowed = [s for s in specs if person.is_maintainer or not s.private]
    weights = [s.item_share * (2.0 if s.private else 1.0) for s in allowed]
    moments = sorted(_human_moment(rng, person, until) for _ in range(person.items))
    plans = []
    for index, moment in enumerate(moments):
        spec = rng.choices(allowed, weights)[0]
        is_pr = rng.random() < _PR_SHARE.get(person.role, _CASUAL_PR_SHARE) + (
            0.2 if spec.name.endswith("docs") else 0.0
        )
        kinds = PR_KINDS if is_pr else spec.categories
        category = rng.choices(list(kinds), list(kinds.values()))[0]
        component = rng.choice(spec.components)
        plans.append(
            ItemPlan(spec, person.user, person, moment, is_pr, category, component, index == 0)
        )
    return plans


def _human_moment(rng: random.Random, person: Person, until: datetime) -> datetime:
    moment = growing_moment(rng, start=person.arrival, end=person.departure, growth=0.5)
    shifted = working_time(rng, moment)
    return shifted if shifted <= until else moment


def _dependency_plans(
    rng: random.Random,
    *,
    cast: Cast,
    specs: tuple[RepoSpec, ...],
    count: int,
    start: datetime,
    until: datetime,
) -> list[ItemPlan]:
    """Dependabot on the public repositories, Renovate on the private one; early on Mondays."""
    plans = []
    for index in range(count):
        renovate = index % 3 == 0
        candidates = [s for s in specs if s.private == renovate] or list(specs)
        spec = rng.choice(candidates)
        moment = growing_moment(rng, start=start, end=until, growth=0.3)
        monday = moment - timedelta(days=moment.weekday())
        moment = monday.replace(hour=4, minute=rng.randint(0, 59), second=rng.randint(0, 59))
        if moment < start:
            moment += timedelta(days=7)
        if moment > until:
            moment -= timedelta(days=7)
        bot = cast.renovate if renovate else cast.dependabot
        component = rng.choice(spec.components)
        plans.append(ItemPlan(spec, bot, None, moment, True, DEPENDENCY, component, False))
    return plans
