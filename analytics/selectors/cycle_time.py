"""One repository's pull requests in cycle-time phases, its reviewers' load, what waits where.

The repository is one the user may see (the view checks it with `repository_get_visible`), and
its PRs and reviews are read through the visibility querysets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from django.db.models import Q
from django.utils import timezone

from analytics.metrics.cycle_time import (
    cycle_time_by_period,
    pr_phases,
    reviewer_load,
    waiting_by_phase,
)
from analytics.periods import period_starts
from analytics.selectors.contributors_board import window_q
from analytics.selectors.frames import frame_from, people_load
from community.models import Actor, PullRequest, PushedCommit, Repository
from community.selectors.visibility import pull_requests_visible_to, reviews_visible_to

PR_FIELDS = ["id", "repository_id", "number", "title", "author_id", "draft", "created_at",
             "closed_at", "merged_at", "head_ref"]  # fmt: skip


@dataclass
class CycleTime:
    phases: pd.DataFrame  # pr_phases() of PRs merged in the window and of open PRs
    by_month: pd.DataFrame
    months: list[pd.Timestamp]
    waiting: pd.DataFrame
    load: pd.DataFrame
    logins: dict[int, str]
    commits_known: int  # merged PRs in the window whose coding phase is known


def _branch_commits(repository: Repository, prs: pd.DataFrame) -> pd.DataFrame:
    """item_id, committed_at: commits pushed to a PR's head branch up to its merge or close
    (the same branch name reused later is not the same PR's work)."""
    refs = PushedCommit.objects.filter(
        repository=repository, ref__startswith="refs/heads/", committed_at__isnull=False
    ).exclude(ref=f"refs/heads/{repository.default_branch}")
    commits = frame_from(refs, ["ref", "committed_at"])
    if commits.empty or prs.empty:
        return pd.DataFrame({"item_id": [], "committed_at": pd.Series(dtype="datetime64[ns, UTC]")})
    commits["committed_at"] = pd.to_datetime(commits["committed_at"], utc=True)
    keyed = prs[["id", "head_ref", "created_at", "closed_at"]].assign(
        ref="refs/heads/" + prs["head_ref"].astype(str)
    )
    joined = keyed.merge(commits, on="ref", how="inner")
    ended = joined["closed_at"].isna() | (joined["committed_at"] <= joined["closed_at"])
    return joined[ended].rename(columns={"id": "item_id"})[["item_id", "committed_at"]]


def cycle_time_build(
    *, user, repository: Repository, start: datetime | None, end: datetime
) -> CycleTime:
    """Phases of the PRs merged in [start, end) and of every open PR; reviewer load in the
    window (reviews submitted) and now (open review requests)."""
    people = people_load()
    visible = pull_requests_visible_to(user=user).filter(repository=repository)
    chosen = visible.filter(window_q("merged_at", start, end) | Q(closed_at__isnull=True))
    prs = frame_from(chosen, PR_FIELDS)
    for column in ("created_at", "closed_at", "merged_at"):
        prs[column] = pd.to_datetime(prs[column], utc=True)
    prs = people.flag(prs, "author_id", "author")
    reviews = frame_from(
        reviews_visible_to(user=user).filter(pull_request__in=chosen),
        ["item_id", "reviewer_id", "state", "submitted_at"],
        ["pull_request_id", "reviewer_id", "state", "submitted_at"],
    )
    reviews = people.flag(reviews, "reviewer_id", "reviewer")
    phases = pr_phases(prs, reviews, _branch_commits(repository, prs))

    requested = PullRequest.requested_reviewers.through.objects.filter(
        pullrequest__in=visible.filter(closed_at__isnull=True)
    )
    requests = frame_from(requested, ["item_id", "reviewer_id"], ["pullrequest_id", "actor_id"])
    requests = people.flag(requests, "reviewer_id", "reviewer")
    done = reviews_visible_to(user=user).filter(
        window_q("submitted_at", start, end), pull_request__repository=repository
    )
    window_reviews = frame_from(
        done,
        ["item_id", "reviewer_id", "state", "submitted_at", "author_id"],
        ["pull_request_id", "reviewer_id", "state", "submitted_at", "pull_request__author_id"],
    )
    load = reviewer_load(requests, people.flag(window_reviews, "reviewer_id", "reviewer"))

    merged = phases[phases["merged_at"].notna()]
    first = start or (merged["merged_at"].min() if len(merged) else end)
    months = period_starts(
        pd.Timestamp(first), pd.Timestamp(end) - pd.Timedelta(seconds=1), "month"
    )
    ids = {*phases["author_id"].dropna(), *load["reviewer_id"]}
    return CycleTime(
        phases=phases,
        by_month=cycle_time_by_period(phases, period="month"),
        months=months,
        waiting=waiting_by_phase(phases, now=pd.Timestamp(timezone.now())),
        load=load,
        logins=dict(Actor.objects.filter(pk__in=[int(i) for i in ids]).values_list("pk", "login")),
        commits_known=int(merged["coding_hours"].notna().sum()),
    )
