"""Contributors: who is active, how much, where, and lately on what — visible repositories only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, Min, QuerySet

from community.models import Actor, Comment, Issue, PullRequest, Repository, Review
from community.selectors.visibility import (
    comments_visible_to,
    issues_visible_to,
    pull_requests_visible_to,
    repositories_visible_to,
    reviews_visible_to,
)

RECENT_ACTIVITY = 15
BOT_FILTERS = ("include", "exclude", "only")
CONTRIBUTION_KINDS = ("issues", "pull_requests", "comments", "reviews")


def _visible_sources(*, user) -> dict[str, tuple[QuerySet, str, str]]:
    """kind → (visible rows, actor field, time field), for each of CONTRIBUTION_KINDS."""
    return {
        "issues": (issues_visible_to(user=user), "author", "created_at"),
        "pull_requests": (pull_requests_visible_to(user=user), "author", "created_at"),
        "comments": (comments_visible_to(user=user), "author", "created_at"),
        "reviews": (reviews_visible_to(user=user), "reviewer", "submitted_at"),
    }


@dataclass
class Contribution:
    """What one actor did in the repositories a user may see."""

    actor_id: int
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CONTRIBUTION_KINDS, 0))
    first_activity: datetime | None = None
    last_activity: datetime | None = None
    actor: Actor | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, kind: str, count: int, first: datetime | None, last: datetime | None) -> None:
        self.counts[kind] += count
        if first and (self.first_activity is None or first < self.first_activity):
            self.first_activity = first
        if last and (self.last_activity is None or last > self.last_activity):
            self.last_activity = last


def contributions_by_actor(
    *, user, bots: str = "include", actor_ids: list[int] | None = None
) -> dict[int, Contribution]:
    """One GROUP BY per kind of contribution over the visible rows (cost grows with rows only)."""
    contributions: dict[int, Contribution] = {}
    for kind, (rows, actor_field, when) in _visible_sources(user=user).items():
        rows = rows.filter(**{f"{actor_field}__isnull": False})
        if bots != "include":
            rows = rows.filter(**{f"{actor_field}__is_bot": bots == "only"})
        if actor_ids is not None:
            rows = rows.filter(**{f"{actor_field}__in": actor_ids})
        grouped = (
            rows.order_by()
            .values(actor_field)
            .annotate(n=Count("pk"), first=Min(when), last=Max(when))
        )
        for row in grouped:
            actor_id = row[actor_field]
            contribution = contributions.setdefault(actor_id, Contribution(actor_id=actor_id))
            contribution.add(kind, row["n"], row["first"], row["last"])
    return contributions


class ContributorRanking(Sequence):
    """Contributors, most active first (then most recently active). Slicing it loads the
    actors of that slice in one query, so a Paginator over it costs one query per page."""

    def __init__(self, contributions: list[Contribution]) -> None:
        self._contributions = contributions

    def __len__(self) -> int:
        return len(self._contributions)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._with_actors(self._contributions[index])
        return self._with_actors([self._contributions[index]])[0]

    @staticmethod
    def _with_actors(chosen: list[Contribution]) -> list[Contribution]:
        actors = Actor.objects.in_bulk([c.actor_id for c in chosen if c.actor is None])
        for contribution in chosen:
            contribution.actor = contribution.actor or actors.get(contribution.actor_id)
        return [c for c in chosen if c.actor is not None]


def contributor_list(*, user, bots: str = "include") -> ContributorRanking:
    """Actors with any visible activity, most active first; `bots`: include, exclude or only."""
    contributions = contributions_by_actor(user=user, bots=bots).values()
    ranked = sorted(
        contributions,
        key=lambda c: (-c.total, -(c.last_activity.timestamp() if c.last_activity else 0)),
    )
    return ContributorRanking(ranked)


@dataclass(frozen=True)
class ActivityItem:
    kind: str
    at: datetime
    repository: Repository
    subject: Issue | PullRequest
    record: Issue | PullRequest | Comment | Review


@dataclass(frozen=True)
class ContributorProfile:
    actor: Actor
    contribution: Contribution
    merged_pull_requests: int
    repositories: list[tuple[Repository, int]]
    recent: list[ActivityItem]


def _repositories_active_in(*, user, actor: Actor) -> list[tuple[Repository, int]]:
    activity: Counter[int] = Counter()
    for rows, actor_field, _ in _visible_sources(user=user).values():
        repository_field = "pull_request__repository" if actor_field == "reviewer" else "repository"
        for row in (
            rows.filter(**{actor_field: actor}).values(repository_field).annotate(n=Count("pk"))
        ):
            activity[row[repository_field]] += row["n"]
    repositories = repositories_visible_to(user=user).in_bulk(list(activity))
    ranked = sorted(activity.items(), key=lambda pair: (-pair[1], repositories[pair[0]].full_name))
    return [(repositories[pk], n) for pk, n in ranked]


# (kind shown, source in _visible_sources, relations the activity row displays)
_RECENT_SOURCES = (
    ("issue", "issues", ("repository",)),
    ("pull", "pull_requests", ("repository",)),
    ("comment", "comments", ("issue__repository", "pull_request__repository")),
    ("review", "reviews", ("pull_request__repository",)),
)


def _activity_item(kind: str, record, when: str) -> ActivityItem | None:
    if kind == "comment":
        subject = record.parent
    elif kind == "review":
        subject = record.pull_request
    else:
        subject = record
    if subject is None:
        return None
    return ActivityItem(kind, getattr(record, when), subject.repository, subject, record)


def _recent_activity(*, user, actor: Actor) -> list[ActivityItem]:
    sources = _visible_sources(user=user)
    recent: list[ActivityItem] = []
    for kind, source, related in _RECENT_SOURCES:
        rows, actor_field, when = sources[source]
        latest = (
            rows.filter(**{actor_field: actor, f"{when}__isnull": False})
            .select_related(*related)
            .order_by(f"-{when}")[:RECENT_ACTIVITY]
        )
        recent += filter(None, (_activity_item(kind, record, when) for record in latest))
    return sorted(recent, key=lambda item: item.at, reverse=True)[:RECENT_ACTIVITY]


def contributor_profile(*, user, login: str) -> ContributorProfile | None:
    """A contributor's visible footprint; None when they have none (or do not exist)."""
    actors = {a.pk: a for a in Actor.objects.filter(login__iexact=login)}
    contributions = contributions_by_actor(user=user, actor_ids=list(actors))
    if not contributions:
        return None
    # A login can be reused after a rename: show the account that did the most.
    contribution = max(contributions.values(), key=lambda c: c.total)
    actor = actors[contribution.actor_id]
    return ContributorProfile(
        actor=actor,
        contribution=contribution,
        merged_pull_requests=pull_requests_visible_to(user=user)
        .filter(author=actor, merged=True)
        .count(),
        repositories=_repositories_active_in(user=user, actor=actor),
        recent=_recent_activity(user=user, actor=actor),
    )
