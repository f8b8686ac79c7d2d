"""A contributor's own page: the person behind the account and what they did, where visible."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analytics.chart_payload import chart_periods, period_text
from analytics.metrics import contribution_counts
from analytics.models import IdentityMembership
from analytics.selectors.frames import frame_from
from community.models import Actor, Comment, Issue, PullRequest, Review
from community.selectors import repositories_visible_to

KIND_LABELS = {"issue": "issues", "pr": "pull requests", "comment": "comments", "review": "reviews"}
KIND_POINTS = {
    "issue": "Issues opened",
    "pr": "Pull requests opened",
    "comment": "Comments written",
    "review": "Reviews submitted",
}


@dataclass
class ContributorActivity:
    actor: Actor
    accounts: list[Actor]
    chart: dict
    repositories: list[dict] = field(default_factory=list)
    first_at: pd.Timestamp | None = None
    last_at: pd.Timestamp | None = None
    total: int = 0


def _accounts(actor: Actor) -> list[Actor]:
    membership = IdentityMembership.objects.filter(actor=actor).first()
    if membership is None:
        return [actor]
    members = IdentityMembership.objects.filter(identity_id=membership.identity_id)
    return list(Actor.objects.filter(id__in=members.values("actor_id")).order_by("login"))


def _contributions(actor_ids: list[int], repository_ids) -> pd.DataFrame:
    live = {"deleted_at__isnull": True}
    sources = [
        ("issue", Issue.objects.filter(**live), "author_id", "created_at", "repository"),
        ("pr", PullRequest.objects.filter(**live), "author_id", "created_at", "repository"),
        ("comment", Comment.objects.all(), "author_id", "created_at", "repository"),
        ("review", Review.objects.all(), "reviewer_id", "submitted_at", "pull_request__repository"),
    ]
    parts = []
    for kind, rows, actor, at, repository in sources:
        rows = rows.filter(**{f"{actor}__in": actor_ids, f"{repository}__in": repository_ids})
        rows = rows.exclude(**{f"{at}__isnull": True})
        frame = frame_from(
            rows, ["repository", "at", "actor"], [f"{repository}__full_name", at, actor]
        )
        parts.append(frame.assign(kind=kind))
    frame = pd.concat(parts, ignore_index=True)
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    return frame


def contributor_activity(*, user, login: str, period: str = "month") -> ContributorActivity | None:
    """The person's accounts and contributions to repositories `user` may see. None when the
    login is unknown or has no contribution there: an account seen only in private repositories
    the user may not see is not shown, nor is it listed among a merged person's accounts."""
    actor = Actor.objects.filter(login__iexact=login).first()
    if actor is None:
        return None
    accounts = _accounts(actor)
    visible = repositories_visible_to(user=user).values_list("id", flat=True)
    frame = _contributions([a.pk for a in accounts], list(visible))
    seen = set(frame["actor"].astype("int64")) if not frame.empty else set()
    if actor.pk not in seen:
        return None
    accounts = [account for account in accounts if account.pk in seen]
    counts = contribution_counts(frame, period=period)
    stored = {"": [{"period_start": s.date().isoformat()} for s in counts["period_start"]]}
    labels = chart_periods(stored, period)  # a period without contributions is a zero
    table = {
        (row.period_start.date().isoformat(), row.kind): row.count for row in counts.itertuples()
    }
    chart = {
        "type": "bar",
        "unit": "",
        "labels": labels,
        "axes": [{"id": "y", "title": f"contributions per {period}", "position": "left"}],
        "datasets": [
            {
                "label": text,
                "data": [int(table.get((label, kind), 0)) for label in labels],
                "points": [
                    f"{KIND_POINTS[kind]} by {actor.login} in {period_text(label, period)}: "
                    f"{int(table.get((label, kind), 0))}"
                    for label in labels
                ],
                "yAxisID": "y",
            }
            for kind, text in KIND_LABELS.items()
        ],
    }
    activity = ContributorActivity(actor=actor, accounts=accounts, chart=chart, total=len(frame))
    if not frame.empty:
        per_repo = frame.groupby("repository").size().sort_values(ascending=False)
        activity.repositories = [
            {
                "full_name": k,
                "owner": k.split("/", 1)[0],
                "name": k.split("/", 1)[1],
                "count": int(v),
            }
            for k, v in per_repo.items()
        ]
        activity.first_at, activity.last_at = frame["at"].min(), frame["at"].max()
    return activity
