"""Community tables as DataFrames for the metric functions (the only ORM the fills use).

Every frame is read with `values_list(...).iterator(chunk_size=…)` for one repository and one
time window at a time, so a fill holds one window of one community in memory, never the table.
Timestamps come back UTC-aware; actor ids are mapped to people (`contributor_id`) through
confirmed identity merges, and bots are flagged from `Actor.is_bot` plus `STEWARD_BOT_LOGINS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from django.conf import settings
from django.db.models import Count, Max, Min, Q, QuerySet

from analytics.models import IdentityMembership, RepositorySnapshot
from community.models import (
    Actor,
    Comment,
    Issue,
    IssueEvent,
    PullRequest,
    Release,
    Review,
    StarEvent,
)

READ_CHUNK = 20_000
# Timeline events read with the responses: they mark activity on an item (a digest's last
# activity), but they are no response (see analytics.metrics.responsiveness.first_responses).
RESPONSE_EVENTS = ("labeled", "closed")
ITEM_FIELDS = ["id", "repository_id", "number", "title", "author_id", "created_at",
               "updated_at", "closed_at"]  # fmt: skip


def frame_from(queryset: QuerySet, columns: Sequence[str], fields: Sequence[str] | None = None):
    """A DataFrame from `values_list(fields)` read in chunks, with `columns` as names."""
    rows = queryset.order_by().values_list(*(fields or columns)).iterator(chunk_size=READ_CHUNK)
    return pd.DataFrame.from_records(list(rows), columns=list(columns))


def _utc(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for column in columns:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


@dataclass(frozen=True)
class People:
    """actor id → (is_bot, contributor_id): who is a bot and which accounts are one person."""

    is_bot: pd.Series
    contributor: pd.Series

    def flag(self, frame: pd.DataFrame, actor: str, prefix: str) -> pd.DataFrame:
        frame[f"{prefix}_is_bot"] = frame[actor].map(self.is_bot).fillna(False).astype(bool)
        return frame

    def person(self, actors: pd.Series) -> pd.Series:
        mapped = actors.map(self.contributor)
        merged = mapped.notna()
        if not merged.any():
            return actors.copy()
        out = actors.astype("float64")
        out[merged] = mapped[merged]
        return out


def people_load() -> People:
    actors = frame_from(Actor.objects.all(), ["id", "login", "is_bot"])
    extra = {login.lower() for login in settings.STEWARD_BOT_LOGINS}
    bots = actors["is_bot"].astype(bool) | actors["login"].str.lower().isin(extra)
    members = frame_from(
        IdentityMembership.objects.all(),
        ["actor_id", "contributor_id"],
        ["actor_id", "identity__primary_actor_id"],
    )
    return People(
        is_bot=pd.Series(bots.to_numpy(), index=actors["id"].to_numpy()),
        contributor=pd.Series(
            members["contributor_id"].to_numpy(), index=members["actor_id"].to_numpy()
        ),
    )


def _window(prefix: str, start: datetime, end: datetime) -> Q:
    return Q(**{f"{prefix}__gte": start, f"{prefix}__lt": end})


def item_selection(
    *, repository_ids: Sequence[int], start: datetime, end: datetime, open_only: bool = False
) -> dict[str, QuerySet]:
    """kind → the issues / PRs opened, closed or merged in [start, end) (or all open ones).

    The other frames of a window select their rows with these querysets as subqueries, so a
    window is a handful of queries whatever its size.
    """
    selection = {}
    for kind, model in (("issue", Issue), ("pr", PullRequest)):
        rows = model.objects.filter(repository_id__in=repository_ids, deleted_at__isnull=True)
        if open_only:
            rows = rows.filter(closed_at__isnull=True)
        else:
            touched = _window("created_at", start, end) | _window("closed_at", start, end)
            if model is PullRequest:
                touched |= _window("merged_at", start, end)
            rows = rows.filter(touched)
        selection[kind] = rows
    return selection


def items_frame(*, selection: dict[str, QuerySet], people: People) -> pd.DataFrame:
    """The selected issues and PRs (see `analytics.metrics.responsiveness` for the columns)."""
    frames = []
    for kind, rows in selection.items():
        extra = ["merged_at", "draft"] if kind == "pr" else []
        frame = frame_from(rows, [*ITEM_FIELDS, *extra])
        frames.append(frame.assign(kind=kind))
    items = pd.concat(frames, ignore_index=True)
    items["merged_at"] = items.get("merged_at")
    items["draft"] = items["draft"].fillna(False).astype(bool)
    items = _utc(items, "created_at", "updated_at", "closed_at", "merged_at")
    items["contributor_id"] = people.person(items["author_id"])
    return people.flag(items, "author_id", "author")


def responses_frame(*, selection: dict[str, QuerySet], people: People) -> pd.DataFrame:
    """Comments, submitted reviews, labels and closes on the selected items."""
    parts = []
    for kind, field in (("issue", "issue_id"), ("pr", "pull_request_id")):
        where = {f"{field}__in": selection[kind].values("id")}
        sources = [
            (Comment.objects.filter(**where), [field, "author_id", "created_at"], "comment"),
            (
                IssueEvent.objects.filter(event__in=RESPONSE_EVENTS, **where),
                [field, "actor_id", "created_at"],
                "event",
            ),
        ]
        if kind == "pr":
            reviews = Review.objects.filter(**where, submitted_at__isnull=False)
            fields = ["pull_request_id", "reviewer_id", "submitted_at"]
            sources.append((reviews.exclude(state="PENDING"), fields, "review"))
        for rows, fields, source in sources:
            frame = frame_from(rows, ["item_id", "actor_id", "at"], fields)
            parts.append(frame.assign(kind=kind, source=source))
    frame = pd.concat(parts, ignore_index=True)
    return people.flag(_utc(frame, "at"), "actor_id", "actor")


def reviews_frame(*, selection: dict[str, QuerySet], people: People) -> pd.DataFrame:
    """Reviews of the selected PRs: item_id, reviewer_id, reviewer_is_bot, state, submitted_at."""
    rows = Review.objects.filter(
        pull_request_id__in=selection["pr"].values("id"), submitted_at__isnull=False
    )
    frame = frame_from(
        rows,
        ["item_id", "reviewer_id", "state", "submitted_at"],
        ["pull_request_id", "reviewer_id", "state", "submitted_at"],
    )
    return people.flag(_utc(frame, "submitted_at"), "reviewer_id", "reviewer")


def labels_frame(*, selection: dict[str, QuerySet]) -> pd.DataFrame:
    """kind, item_id, label: the labels of the selected items."""
    parts = []
    for kind, model, owner in (("issue", Issue, "issue_id"), ("pr", PullRequest, "pullrequest_id")):
        through = model.labels.through
        rows = through.objects.filter(**{f"{owner}__in": selection[kind].values("id")})
        frame = frame_from(rows, ["item_id", "label"], [owner, "label__name"])
        parts.append(frame.assign(kind=kind))
    return pd.concat(parts, ignore_index=True)


def contributions_frame(
    *, repository_ids: Sequence[int], start: datetime, end: datetime, people: People
) -> pd.DataFrame:
    """Every contribution to the repositories in [start, end): issues, PRs, comments, reviews."""
    live = {"deleted_at__isnull": True}
    sources = [
        ("issue", Issue.objects.filter(**live), "author_id", "created_at", "repository_id"),
        ("pr", PullRequest.objects.filter(**live), "author_id", "created_at", "repository_id"),
        ("comment", Comment.objects.all(), "author_id", "created_at", "repository_id"),
        (
            "review",
            Review.objects.all(),
            "reviewer_id",
            "submitted_at",
            "pull_request__repository_id",
        ),
    ]
    parts = []
    for kind, rows, actor, at, repository in sources:
        rows = rows.filter(
            _window(at, start, end),
            **{f"{repository}__in": repository_ids, f"{actor}__isnull": False},
        )
        columns = ["actor_id", "repository_id", "at"]
        parts.append(frame_from(rows, columns, [actor, repository, at]).assign(kind=kind))
    frame = _utc(pd.concat(parts, ignore_index=True), "at")
    frame["contributor_id"] = people.person(frame["actor_id"])
    return people.flag(frame, "actor_id", "actor").rename(columns={"actor_is_bot": "is_bot"})


def history_frame(*, repository_ids: Sequence[int], people: People) -> pd.DataFrame:
    """Each person's first and last contribution, and first PR, per repository (whole history)."""
    sources = [
        (Issue.objects.filter(deleted_at__isnull=True), "author_id", "created_at", "repository_id"),
        (
            PullRequest.objects.filter(deleted_at__isnull=True),
            "author_id",
            "created_at",
            "repository_id",
        ),
        (Comment.objects.all(), "author_id", "created_at", "repository_id"),
        (Review.objects.all(), "reviewer_id", "submitted_at", "pull_request__repository_id"),
    ]
    parts = []
    for rows, actor, at, repository in sources:
        grouped = (
            rows.filter(**{f"{repository}__in": repository_ids, f"{actor}__isnull": False})
            .values(actor, repository)
            .annotate(first=Min(at), last=Max(at))
        )
        frame = frame_from(grouped, ["actor_id", "repository_id", "first_at", "last_at"],
                           [actor, repository, "first", "last"])  # fmt: skip
        parts.append(frame.assign(pr=rows.model is PullRequest))
    frame = _utc(pd.concat(parts, ignore_index=True), "first_at", "last_at")
    frame["first_pr_at"] = frame["first_at"].where(frame["pr"])
    frame["contributor_id"] = people.person(frame["actor_id"])
    frame = people.flag(frame, "actor_id", "actor")
    grouped = frame.groupby(["contributor_id", "repository_id"]).agg(
        first_at=("first_at", "min"),
        last_at=("last_at", "max"),
        first_pr_at=("first_pr_at", "min"),
        is_bot=("actor_is_bot", "max"),
    )
    return grouped.reset_index()


def open_counts_at(*, repository_ids: Sequence[int], at: datetime) -> pd.DataFrame:
    """kind, repository_id, open: items open at `at` (opened before, not closed by then)."""
    parts = []
    for kind, model in (("issue", Issue), ("pr", PullRequest)):
        rows = (
            model.objects.filter(
                Q(closed_at__isnull=True) | Q(closed_at__gte=at),
                repository_id__in=repository_ids,
                created_at__lt=at,
                deleted_at__isnull=True,
            )
            .values("repository_id")
            .annotate(open=Count("id"))
        )
        parts.append(frame_from(rows, ["repository_id", "open"]).assign(kind=kind))
    return pd.concat(parts, ignore_index=True)


def stars_frame(*, repository_ids: Sequence[int], start: datetime, end: datetime) -> pd.DataFrame:
    rows = StarEvent.objects.filter(
        _window("starred_at", start, end), repository_id__in=repository_ids
    )
    return _utc(frame_from(rows, ["repository_id", "starred_at"]), "starred_at")


def star_totals_at(*, repository_ids: Sequence[int], at: datetime) -> pd.DataFrame:
    rows = (
        StarEvent.objects.filter(repository_id__in=repository_ids, starred_at__lt=at)
        .values("repository_id")
        .annotate(total=Count("id"))
    )
    return frame_from(rows, ["repository_id", "total"])


def releases_frame(*, repository_ids: Sequence[int]) -> pd.DataFrame:
    """Published, non-draft releases (a small table: read whole)."""
    rows = Release.objects.filter(
        repository_id__in=repository_ids, draft=False, published_at__isnull=False
    )
    return _utc(frame_from(rows, ["repository_id", "published_at"]), "published_at")


def snapshots_frame(*, repository_ids: Sequence[int]) -> pd.DataFrame:
    rows = RepositorySnapshot.objects.filter(repository_id__in=repository_ids)
    frame = frame_from(rows, ["repository_id", "taken_on", "forks", "stars"])
    frame["taken_on"] = pd.to_datetime(frame["taken_on"])
    return frame
