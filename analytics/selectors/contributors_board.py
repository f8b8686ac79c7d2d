"""The contributor leaderboard and the organisations behind it, over what a user may see.

Every row comes from the visibility querysets (`community.selectors.visibility`), so a private
repository's work is never counted for someone who may not see it. Accounts merged into one
person count as the person's primary account; bots are flagged as the rollups flag them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from django.db.models import Q

from analytics.metrics.contributors_board import (
    affiliation_resolve,
    elephant_factor,
    email_organisation,
    leaderboard,
    organisation_normalise,
    organisational_diversity,
)
from analytics.models import ActorEmail, Affiliation, AffiliationSource
from analytics.selectors.frames import People, frame_from, people_load
from community.models import Actor, PushedCommit, Repository
from community.selectors.visibility import (
    comments_visible_to,
    issues_visible_to,
    pull_requests_visible_to,
    repositories_visible_to,
    reviews_visible_to,
)


@dataclass
class Board:
    rows: pd.DataFrame  # leaderboard() plus organisation, organisation_source
    diversity: pd.DataFrame
    elephant_factor: int
    contributions: int  # in the window, by the people on the board
    affiliated_share: float  # of those contributions, by people with a known organisation


def window_q(field: str, start: datetime | None, end: datetime) -> Q:
    """`field` in [start, end); no lower bound when start is None (all time)."""
    where = Q(**{f"{field}__lt": end})
    return where & Q(**{f"{field}__gte": start}) if start else where


def contributions_visible(
    *, user, repositories: Sequence[Repository] | None, start: datetime | None, end: datetime,
    people: People,
) -> pd.DataFrame:  # fmt: skip
    """contributor_id, actor_id, kind, at, is_bot: what people did in the window, visible only.

    `repositories` narrows the visible rows to some repositories (None: all visible ones).
    """
    sources = [
        ("issue", issues_visible_to(user=user), "author_id", "created_at", "repository"),
        ("pr", pull_requests_visible_to(user=user), "author_id", "created_at", "repository"),
        ("merged", pull_requests_visible_to(user=user), "author_id", "merged_at", "repository"),
        ("comment", comments_visible_to(user=user), "author_id", "created_at", "repository"),
        ("review", reviews_visible_to(user=user).exclude(state="PENDING"), "reviewer_id",
         "submitted_at", "pull_request__repository"),
    ]  # fmt: skip
    parts = []
    for kind, rows, actor, at, repository in sources:
        rows = rows.filter(window_q(at, start, end), **{f"{actor}__isnull": False})
        if repositories is not None:
            rows = rows.filter(**{f"{repository}__in": [r.pk for r in repositories]})
        parts.append(frame_from(rows, ["actor_id", "at"], [actor, at]).assign(kind=kind))
    frame = pd.concat(parts, ignore_index=True)
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    frame["contributor_id"] = people.person(frame["actor_id"]).astype("int64")
    frame = people.flag(frame, "actor_id", "actor").rename(columns={"actor_is_bot": "is_bot"})
    return frame


def affiliations_frame(*, user, people: People) -> pd.DataFrame:
    """contributor_id, organisation, source: maintainers' corrections, the company of each
    GitHub profile the sync read (public on GitHub), and the organisation of every email Steward
    knows for an account (its own list, and the commits it pushed to repositories `user` may
    see: a private repository's commits say nothing to others)."""
    stored = frame_from(Affiliation.objects.all(), ["actor_id", "organisation", "source"])
    profiles = frame_from(
        Actor.objects.exclude(company=""), ["actor_id", "company"], ["pk", "company"]
    )
    profiles = profiles.assign(
        organisation=profiles["company"].map(organisation_normalise),
        source=AffiliationSource.PROFILE.value,
    )[["actor_id", "organisation", "source"]]
    emails = pd.concat(
        [
            frame_from(ActorEmail.objects.all(), ["actor_id", "email"]),
            frame_from(
                PushedCommit.objects.filter(
                    author__isnull=False, repository__in=repositories_visible_to(user=user)
                )
                .exclude(author_email="")
                .distinct(),
                ["actor_id", "email"],
                ["author_id", "author_email"],
            ),
        ],
        ignore_index=True,
    )
    emails["email"] = emails["email"].str.lower()
    emails = emails.drop_duplicates()
    derived = emails.assign(organisation=emails["email"].map(email_organisation), source="email")[
        ["actor_id", "organisation", "source"]
    ]
    frame = pd.concat([stored, profiles, derived], ignore_index=True)
    frame["contributor_id"] = people.person(frame["actor_id"]).astype("int64")
    return frame


def board_build(
    *, user, repositories: Sequence[Repository] | None, start: datetime | None, end: datetime,
    include_bots: bool = False,
) -> Board:  # fmt: skip
    """The leaderboard, organisational diversity and elephant factor for one window."""
    people = people_load()
    contributions = contributions_visible(
        user=user, repositories=repositories, start=start, end=end, people=people
    )
    rows = leaderboard(contributions, include_bots=include_bots)
    resolved = affiliation_resolve(affiliations_frame(user=user, people=people))
    rows = rows.merge(resolved, on="contributor_id", how="left")
    rows = rows.rename(columns={"source": "organisation_source"})
    rows[["organisation", "organisation_source"]] = rows[
        ["organisation", "organisation_source"]
    ].fillna("")
    diversity = organisational_diversity(rows, resolved)
    total = int(rows["total"].sum()) if len(rows) else 0
    known = int(rows.loc[rows["organisation"] != "", "total"].sum()) if len(rows) else 0
    return Board(
        rows=rows,
        diversity=diversity,
        elephant_factor=elephant_factor(diversity),
        contributions=total,
        affiliated_share=known / total if total else 0.0,
    )


def board_sorted(rows: pd.DataFrame, *, column: str, descending: bool) -> pd.DataFrame:
    """Rows sorted by any column (e.g. "login"). The sort is stable: ties keep the board's
    own order (most contributions, then most recently active)."""
    if rows.empty:
        return rows
    key = column if column in rows else "total"
    ordered = rows.sort_values(key, ascending=not descending, na_position="last", kind="mergesort")
    return ordered.reset_index(drop=True)


def logins_add(rows: pd.DataFrame) -> pd.DataFrame:
    """rows with a `login` column, lower-case, so the board sorts by it (one query, no long
    IN list: the actors table is read whole, as `people_load` reads it)."""
    logins = dict(Actor.objects.order_by().values_list("pk", "login").iterator(chunk_size=20_000))
    return rows.assign(login=rows["contributor_id"].map(logins).fillna("").astype(str).str.lower())


def actors_by_id(ids: Sequence[int]) -> dict[int, Actor]:
    return Actor.objects.in_bulk([int(pk) for pk in ids])


def affiliations_of(*, actor: Actor) -> list[dict]:
    """What Steward knows of an account's organisation: a maintainer's correction, the GitHub
    profile's company and each email's domain, with the organisation each one names."""
    known = [
        {"source": row.source, "organisation": row.organisation, "detail": row.set_by or ""}
        for row in Affiliation.objects.filter(actor=actor).select_related("set_by")
    ]
    if actor.company:
        known.append(
            {
                "source": AffiliationSource.PROFILE.value,
                "organisation": organisation_normalise(actor.company),
                "detail": actor.company,
            }
        )
    emails = set(ActorEmail.objects.filter(actor=actor).values_list("email", flat=True))
    emails |= set(
        PushedCommit.objects.filter(author=actor).exclude(author_email="")
        .values_list("author_email", flat=True).distinct()
    )  # fmt: skip
    for email in sorted({e.lower() for e in emails}):
        domain = email.rpartition("@")[2]
        known.append(
            {"source": "email", "organisation": email_organisation(email), "detail": domain}
        )
    return known
