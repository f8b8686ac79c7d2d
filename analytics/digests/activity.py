"""What a period delivered and who arrived: merged pull requests, releases, newcomers."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.periods import to_utc
from analytics.selectors.frames import People
from community.models import Actor, Comment, Issue, PullRequest, Release, Repository, Review


def item_url(repository: Repository, kind: str, number: int) -> str:
    path = "issues" if kind == "issue" else "pull"
    return f"https://github.com/{repository.full_name}/{path}/{number}"


def merged_pull_requests(
    *, repository: Repository, people: People, start: dt.datetime, end: dt.datetime
) -> list[dict]:
    """Every pull request merged in [start, end), in merge order (bots' too, flagged)."""
    rows = (
        PullRequest.objects.filter(
            repository=repository, merged_at__gte=start, merged_at__lt=end, deleted_at__isnull=True
        )
        .order_by("merged_at", "number")
        .values_list("number", "title", "author_id", "author__login", "merged_at")
    )
    return [
        {
            "number": number,
            "title": title,
            "author": login or "",
            "author_is_bot": bool(people.is_bot.get(author_id, False)),
            "merged_at": merged_at.isoformat(),
            "url": item_url(repository, "pr", number),
        }
        for number, title, author_id, login, merged_at in rows
    ]


def releases_published(
    *, repository: Repository, start: dt.datetime, end: dt.datetime
) -> list[dict]:
    """Published (non-draft) releases of [start, end), oldest first."""
    rows = Release.objects.filter(
        repository=repository, draft=False, published_at__gte=start, published_at__lt=end
    ).order_by("published_at", "id")
    return [
        {
            "tag": release.tag_name,
            "name": release.name or release.tag_name,
            "published_at": release.published_at.isoformat(),
            "prerelease": release.prerelease,
            "url": f"https://github.com/{repository.full_name}/releases/tag/{release.tag_name}",
        }
        for release in rows
    ]


def _contributions(
    repository: Repository, actor_ids: list[int], start: dt.datetime, end: dt.datetime
) -> pd.DataFrame:
    """actor_id, at, action, item_kind, number, title: these actors' contributions of the window."""
    live = {"deleted_at__isnull": True}
    window = {"created_at__gte": start, "created_at__lt": end}
    # (what they did, rows, actor field, time field, prefix of the item's fields)
    sources = [
        ("opened an issue", Issue.objects.filter(**live), "author_id", "created_at", ""),
        ("opened a pull request", PullRequest.objects.filter(**live), "author_id", "created_at",
         ""),
        ("commented on", Comment.objects.filter(issue__isnull=False), "author_id", "created_at",
         "issue__"),
        ("commented on", Comment.objects.filter(pull_request__isnull=False), "author_id",
         "created_at", "pull_request__"),
        ("reviewed", Review.objects.all(), "reviewer_id", "submitted_at", "pull_request__"),
    ]  # fmt: skip
    parts = []
    for action, rows, actor, at, item in sources:
        repository_field = "pull_request__repository" if rows.model is Review else "repository"
        rows = rows.filter(
            **{repository_field: repository, f"{actor}__in": actor_ids},
            **{key.replace("created_at", at): value for key, value in window.items()},
        )
        kind = "issue" if rows.model is Issue or item == "issue__" else "pr"
        values = rows.values_list(actor, at, f"{item}number", f"{item}title")
        frame = pd.DataFrame.from_records(
            list(values), columns=["actor_id", "at", "number", "title"]
        )
        parts.append(frame.assign(action=action, item_kind=kind))
    frame = pd.concat(parts, ignore_index=True)
    frame["at"] = to_utc(frame["at"])
    return frame


def newcomers_find(
    *,
    repository: Repository,
    history: pd.DataFrame,
    people: People,
    start: dt.datetime,
    end: dt.datetime,
) -> list[dict]:
    """People whose first contribution ever to the repository (an issue, a pull request, a comment
    or a review; bots left out) falls in [start, end), with that first contribution and how many
    they made in the period. A person is a merged identity (`contributor_id`), shown by the login
    of the identity's primary account."""
    mine = history[history["repository_id"] == repository.pk]
    first_at = to_utc(mine["first_at"])
    arrived = mine[
        ~mine["is_bot"].astype(bool)
        & (first_at >= pd.Timestamp(start))
        & (first_at < pd.Timestamp(end))
    ]
    if arrived.empty:
        return []
    people_ids = set(arrived["contributor_id"].astype("int64"))
    accounts = [int(a) for a, c in people.contributor.items() if int(c) in people_ids]
    actor_ids = sorted(people_ids | set(accounts))
    frame = _contributions(repository, actor_ids, start, end)
    frame["contributor_id"] = people.person(frame["actor_id"]).astype("int64")
    frame = frame[frame["contributor_id"].isin(people_ids)]
    frame = frame.sort_values(["at", "action", "number"], kind="stable")
    totals = frame.groupby("contributor_id").size()
    logins = dict(Actor.objects.filter(id__in=people_ids).values_list("id", "login"))
    newcomers = []
    for row in frame.drop_duplicates("contributor_id").itertuples():
        newcomers.append(
            {
                "login": logins.get(row.contributor_id, ""),
                "first_at": row.at.isoformat(),
                "first_action": row.action,
                "item": {
                    "kind": row.item_kind,
                    "number": int(row.number),
                    "title": row.title,
                    "url": item_url(repository, row.item_kind, int(row.number)),
                },
                "contributions": int(totals[row.contributor_id]),
            }
        )
    return newcomers
