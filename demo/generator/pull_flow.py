"""A pull request's life: review requested, review rounds, merged or closed, or left open.

Merged pull requests carry merged_at / merged_by and `merged` + `closed` events; some are closed
unmerged, some stay drafts, dependency bumps from bots are merged quickly or superseded.
"""

from __future__ import annotations

import random
from datetime import datetime
from hashlib import sha1

from community.github.payloads import GitHubPullRequest, GitHubUser
from demo.generator.context import RepoContext, association
from demo.generator.plans import DEPENDENCY, ItemPlan
from demo.generator.releases import milestone_at
from demo.generator.replies import (
    comment_body,
    dependency_pr_text,
    pull_request_text,
)
from demo.generator.thread import Thread
from demo.generator.timing import DAY, HOUR, after, skewed_delay, working_time

_REVIEW_TEXTS = {
    "APPROVED": "approved",
    "CHANGES_REQUESTED": "changes_requested",
    "COMMENTED": "commented",
}
_KIND_LABELS = {
    "fix": "bug",
    "feature": "enhancement",
    "docs": "documentation",
    DEPENDENCY: "dependencies",
}


class PullState:
    def __init__(self) -> None:
        self.state = "open"
        self.closed_at: datetime | None = None
        self.closed_by: GitHubUser | None = None
        self.merged_at: datetime | None = None
        self.merged_by: GitHubUser | None = None
        self.requested: list[GitHubUser] = []
        self.assignees: list[GitHubUser] = []
        self.milestone = None
        self.draft = False
        self.locked = False

    def close(self, thread: Thread, who: GitHubUser, moment: datetime, *, merged: bool) -> None:
        if merged:
            thread.event("merged", who, moment, commit_id=_sha(thread, "merge"))
            self.merged_at, self.merged_by = moment, who
        thread.event("closed", who, moment)
        self.state, self.closed_at, self.closed_by = "closed", moment, who
        self.requested = []


def pull_flow(
    rng: random.Random, ctx: RepoContext, plan: ItemPlan
) -> tuple[GitHubPullRequest, Thread]:
    thread = ctx.thread(rng, plan)
    state = PullState()
    if plan.category == DEPENDENCY:
        text = dependency_pr_text(rng, renovate=plan.author == ctx.cast.renovate)
        thread.label("dependencies", plan.author, plan.created_at)
        _dependency_fate(rng, ctx, plan, thread, state)
    else:
        fixes = ctx.issue_before(rng, plan, category="bug") if plan.category == "fix" else None
        text = pull_request_text(rng, kind=plan.category, component=plan.component[0], fixes=fixes)
        _human_flow(rng, ctx, plan, thread, state)
    return _payload(rng, ctx, plan, thread, state, text.title, text.body), thread


def _human_flow(
    rng: random.Random, ctx: RepoContext, plan: ItemPlan, thread: Thread, state: PullState
) -> None:
    start = plan.created_at
    state.draft = rng.random() < 0.1
    if state.draft:
        ready = after(rng, start, median=3 * DAY, spread=1.2)
        if not thread.happens(ready) or rng.random() < 0.3:
            return  # still a draft
        thread.event("ready_for_review", plan.author, ready)
        state.draft, start = False, ready
    maintainer = ctx.maintainer_at(rng, start, not_person=plan.person)
    state.requested = [maintainer.user]
    thread.event("review_requested", plan.author, start, reviewer=maintainer.user)
    _triage(rng, ctx, plan, thread, state, maintainer.user, start)
    if rng.random() < 0.35:
        checks = start + skewed_delay(rng, median=HOUR / 5, spread=0.5)
        if thread.happens(checks):
            thread.comment(ctx.cast.github_actions, checks, comment_body(rng, "ci"))
    approved = _review_rounds(rng, ctx, plan, thread, state, maintainer.user, start)
    _human_fate(rng, ctx, plan, thread, state, approved)


def _triage(
    rng: random.Random,
    ctx: RepoContext,
    plan: ItemPlan,
    thread: Thread,
    state: PullState,
    maintainer: GitHubUser,
    ready: datetime,
) -> None:
    """A maintainer labels (and sometimes assigns, or thanks the author on) a pull request
    minutes to days after it is ready for review, long-tailed, in working hours.

    The delay comes from a generator of its own, seeded by the repository, the number and the
    opening time (so by the demo's seed): the rest of the community keeps the same data.
    """
    timing = random.Random(f"pr-triage:{ctx.spec.name}:{plan.number}:{plan.created_at}")
    moment = (ready + skewed_delay(timing, median=3 * HOUR, spread=1.6)).replace(microsecond=0)
    if moment.weekday() >= 5 or not 7 <= moment.hour < 22:  # a maintainer at work answers now
        moment = working_time(timing, moment)
    assign, area, thanks = rng.random() < 0.3, rng.random() < 0.5, timing.random() < 0.3
    if not thread.happens(moment):
        return  # nobody has looked at it yet
    if thanks:
        thread.comment(maintainer, moment, comment_body(timing, "pr_ack"), association="MEMBER")
    if assign:
        owner = plan.author if plan.person and plan.person.is_maintainer else maintainer
        state.assignees = [owner]
        thread.event("assigned", maintainer, moment, assignee=owner)
    label = _KIND_LABELS.get(plan.category)
    if label:
        thread.label(label, maintainer, moment)
    if area:
        thread.label(f"area:{plan.component[1]}", maintainer, moment)


def _review_rounds(
    rng: random.Random,
    ctx: RepoContext,
    plan: ItemPlan,
    thread: Thread,
    state: PullState,
    reviewer: GitHubUser,
    moment: datetime,
) -> datetime | None:
    """Up to three rounds; returns when the pull request was approved, if it was."""
    trusted = plan.person is not None and plan.person.is_maintainer
    for round_number in range(3):
        moment = after(rng, moment, median=20 * HOUR, spread=1.5)
        if not thread.happens(moment):
            return None
        verdict = _verdict(rng, lenient=trusted or round_number > 0)
        review_id = thread.review(
            reviewer,
            moment,
            state=verdict,
            body=comment_body(rng, _REVIEW_TEXTS[verdict]),
            commit_id=_sha(thread, f"round-{round_number}"),
        )
        state.requested = []
        if verdict == "APPROVED":
            return moment
        path = _source_path(ctx, plan)
        for _ in range(rng.randint(1, 3)):
            body = comment_body(rng, "review_comment")
            thread.comment(
                reviewer, moment, body, association="MEMBER", review_id=review_id, path=path
            )
        moment = after(rng, moment, median=1.5 * DAY, spread=1.2)
        if not thread.happens(moment) or rng.random() < 0.15:
            return None  # the author went quiet
        assoc = association(plan.person, first_item=False, pull_request=True)
        if rng.random() < 0.5:  # the author answers on the diff too
            reply = comment_body(rng, "review_reply")
            thread.comment(plan.author, moment, reply, association=assoc, path=path)
        thread.comment(plan.author, moment, comment_body(rng, "author_update"), association=assoc)
    return None


def _verdict(rng: random.Random, *, lenient: bool) -> str:
    """Maintainers' own PRs and second rounds mostly pass; a newcomer's first round often not."""
    roll = rng.random()
    if lenient:
        return "APPROVED" if roll < 0.8 else "COMMENTED"
    return "APPROVED" if roll < 0.4 else "CHANGES_REQUESTED" if roll < 0.85 else "COMMENTED"


def _source_path(ctx: RepoContext, plan: ItemPlan) -> str:
    """The file a review comment points at, in the repository's own layout."""
    slug = plan.component[0].lower().replace(" ", "_")
    layouts = {"MDX": f"docs/{slug}.mdx", "HCL": f"terraform/{slug}.tf"}
    package = ctx.spec.name.replace("-", "_")
    return layouts.get(ctx.spec.language, f"src/{package}/{slug}.py")


def _human_fate(
    rng: random.Random,
    ctx: RepoContext,
    plan: ItemPlan,
    thread: Thread,
    state: PullState,
    approved: datetime | None,
) -> None:
    if approved is not None:
        merging = after(rng, approved, median=3 * HOUR, spread=1.2)
        if thread.happens(merging) and rng.random() < 0.93:
            merger = plan.author if plan.person and plan.person.is_maintainer else None
            merger = merger or ctx.maintainer_at(rng, merging).user
            if ctx.releases and rng.random() < 0.4:
                state.milestone = milestone_at(ctx.milestones, merging)
                thread.event("milestoned", merger, merging, milestone_title=state.milestone.title)
            state.close(thread, merger, merging, merged=True)
            _maybe_lock(rng, thread, state, merger)
        return
    last = thread.last or plan.created_at
    closing = after(rng, last, median=40 * DAY, spread=0.9)
    if rng.random() < 0.55 and thread.happens(closing):
        closer = ctx.maintainer_at(rng, closing).user
        thread.comment(closer, closing, comment_body(rng, "wontfix"), association="MEMBER")
        state.close(thread, closer, closing, merged=False)


def _dependency_fate(
    rng: random.Random, ctx: RepoContext, plan: ItemPlan, thread: Thread, state: PullState
) -> None:
    roll = rng.random()
    if roll < 0.7:
        reviewer = ctx.maintainer_at(rng, plan.created_at)
        approved = after(rng, plan.created_at, median=10 * HOUR, spread=1.2)
        if thread.happens(approved):
            thread.review(
                reviewer.user, approved, state="APPROVED", body="", commit_id=_sha(thread, "bump")
            )
            state.close(thread, reviewer.user, approved + 2 * HOUR, merged=True)
    elif roll < 0.9:
        superseded = plan.created_at + 7 * DAY
        if thread.happens(superseded):
            thread.comment(plan.author, superseded, comment_body(rng, "superseded"))
            state.close(thread, plan.author, superseded, merged=False)


def _maybe_lock(rng: random.Random, thread: Thread, state: PullState, who: GitHubUser) -> None:
    locked = (state.closed_at or thread.created_at) + 30 * DAY
    if rng.random() < 0.02 and thread.happens(locked):
        thread.event("locked", who, locked)
        state.locked = True


def _payload(
    rng: random.Random,
    ctx: RepoContext,
    plan: ItemPlan,
    thread: Thread,
    state: PullState,
    title: str,
    body: str,
) -> GitHubPullRequest:
    login = plan.author.login.replace("[bot]", "")
    additions = max(1, int(skewed_delay(rng, median=HOUR, spread=1.3).total_seconds() / 40))
    return GitHubPullRequest(
        id=ctx.ids.next("pull_request"),
        number=plan.number,
        title=title,
        body=body,
        state=state.state,
        user=plan.author,
        created_at=plan.created_at,
        updated_at=thread.last or plan.created_at,
        author_association=association(
            plan.person, first_item=plan.first_of_author, pull_request=True
        ),
        assignees=state.assignees,
        labels=thread.payload_labels(),
        milestone=state.milestone,
        locked=state.locked,
        active_lock_reason="resolved" if state.locked else "",
        closed_at=state.closed_at,
        closed_by=state.closed_by,
        draft=state.draft,
        merged_at=state.merged_at,
        merge_commit_sha=_sha(thread, "merge") if state.merged_at else "",
        base_ref="main",
        head_ref=f"{login}/{plan.category}-{plan.number}",
        head_sha=_sha(thread, "head"),
        requested_reviewers=state.requested,
        merged=state.merged_at is not None,
        merged_by=state.merged_by,
        comments=thread.issue_comments,
        additions=additions,
        deletions=additions // rng.randint(2, 6),
        changed_files=rng.randint(1, 12),
        commits=rng.randint(1, 8),
        review_comments=thread.review_comments,
    )


def _sha(thread: Thread, salt: str) -> str:
    """A stable fake commit sha, distinct per item and purpose."""
    seed = f"{thread.created_at.isoformat()}:{thread.number}:{salt}"
    return sha1(seed.encode(), usedforsecurity=False).hexdigest()
