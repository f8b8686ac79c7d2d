"""An issue's life: opened (often from a template), triaged, discussed, closed, sometimes reopened.

Closed issues always end with a `closed` event and a `closed_at`; duplicates and declined ideas
are closed as `duplicate` / `not_planned`; a share of issues never gets an answer and goes stale.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

from community.github.payloads import GitHubIssue, GitHubUser
from demo.generator.context import RepoContext, association
from demo.generator.people import Person
from demo.generator.plans import ItemPlan
from demo.generator.releases import milestone_at
from demo.generator.replies import comment_body
from demo.generator.repos import BUG, CATEGORY_LABELS, DOCS, FEATURE, QUESTION
from demo.generator.texts import issue_text
from demo.generator.thread import Thread
from demo.generator.timing import DAY, HOUR, after

# (completed, not_planned, duplicate) chances by category; the rest stays open.
_FATES = {
    BUG: (0.68, 0.06, 0.08),
    FEATURE: (0.4, 0.22, 0.07),
    QUESTION: (0.8, 0.05, 0.05),
    DOCS: (0.75, 0.05, 0.04),
}
_CLOSE_MEDIAN = {BUG: 9 * DAY, FEATURE: 35 * DAY, QUESTION: 2 * DAY, DOCS: 6 * DAY}
STALE_AFTER = timedelta(days=60)


class IssueState:
    """The mutable state an issue accumulates while its flow runs."""

    def __init__(self) -> None:
        self.state, self.reason = "open", ""
        self.closed_at: datetime | None = None
        self.closed_by: GitHubUser | None = None
        self.assignees: list[GitHubUser] = []
        self.milestone = None
        self.locked, self.lock_reason = False, ""

    def close(self, thread: Thread, who: GitHubUser, moment: datetime, reason: str) -> None:
        thread.event("closed", who, moment)
        self.state, self.reason, self.closed_at, self.closed_by = "closed", reason, moment, who


def issue_flow(rng: random.Random, ctx: RepoContext, plan: ItemPlan) -> tuple[GitHubIssue, Thread]:
    thread = ctx.thread(rng, plan)
    text = issue_text(
        rng,
        category=plan.category,
        component=plan.component[0],
        version=ctx.version_at(plan.created_at),
    )
    state = IssueState()
    title = text.title
    from_template = plan.person is not None and not plan.person.is_maintainer
    if from_template and rng.random() < 0.75:
        thread.label("needs-triage", plan.author, plan.created_at)
    unanswered = rng.random() < (0.05 if not from_template else 0.16)
    if unanswered:
        _go_stale(rng, ctx, thread, state, plan.created_at)
    else:
        title = _triage_and_discuss(rng, ctx, plan, thread, state, text.title)
    reactions = _reactions(rng, plan.category)
    issue = GitHubIssue(
        id=ctx.ids.next("issue"),
        number=plan.number,
        title=title,
        body=text.body,
        state=state.state,
        user=plan.author,
        created_at=plan.created_at,
        updated_at=thread.last or plan.created_at,
        state_reason=state.reason,
        author_association=association(
            plan.person, first_item=plan.first_of_author, pull_request=False
        ),
        assignees=state.assignees,
        labels=thread.payload_labels(),
        milestone=state.milestone,
        comments=thread.issue_comments,
        reactions=reactions,
        reactions_total=sum(reactions.values()),
        locked=state.locked,
        active_lock_reason=state.lock_reason,
        closed_at=state.closed_at,
        closed_by=state.closed_by,
    )
    return issue, thread


def _triage_and_discuss(
    rng: random.Random,
    ctx: RepoContext,
    plan: ItemPlan,
    thread: Thread,
    state: IssueState,
    title: str,
) -> str:
    """The maintainers' answer, labels, the conversation and the issue's fate; returns its title."""
    responder = ctx.maintainer_at(rng, plan.created_at, not_person=plan.person)
    answered = after(rng, plan.created_at, median=7 * HOUR, spread=1.8)
    if not thread.happens(answered):
        return title
    kind = {QUESTION: "answer", BUG: rng.choice(("ack", "ask_info"))}.get(plan.category, "ack")
    thread.comment(
        responder.user,
        answered,
        comment_body(rng, kind, component=plan.component[0]),
        association="MEMBER",
    )
    title = _triage(rng, ctx, plan, thread, state, responder.user, answered, title)
    moment = _conversation(rng, ctx, plan, thread, answered)
    _decide(rng, ctx, plan, thread, state, moment)
    quiet = state.state == "open" and (thread.last or answered) + STALE_AFTER < ctx.until
    if quiet and rng.random() < 0.5:
        _go_stale(rng, ctx, thread, state, thread.last or answered)
    return title


def _triage(
    rng: random.Random,
    ctx: RepoContext,
    plan: ItemPlan,
    thread: Thread,
    state: IssueState,
    who: GitHubUser,
    moment: datetime,
    title: str,
) -> str:
    """Labels that follow the text (with some noise), an assignee, a clearer title."""
    thread.unlabel("needs-triage", who, moment)
    roll = rng.random()
    if roll < 0.08:  # mislabelled: the triage model must cope with noisy labels
        thread.label(rng.choice(list(CATEGORY_LABELS.values())), who, moment)
    elif roll < 0.9:
        thread.label(CATEGORY_LABELS[plan.category], who, moment)
    if rng.random() < 0.6:
        thread.label(f"area:{plan.component[1]}", who, moment)
    if plan.category in (BUG, DOCS) and rng.random() < 0.1:
        thread.label("good first issue", who, moment)
    if plan.category in (BUG, FEATURE) and rng.random() < 0.3:
        assignee = ctx.maintainer_at(rng, moment).user
        state.assignees = [assignee]
        thread.event("assigned", who, moment, assignee=assignee)
    if plan.category == FEATURE and rng.random() < 0.15:
        state.milestone = ctx.milestones[-1]  # the backlog: accepted, not scheduled
        thread.event("milestoned", who, moment, milestone_title=state.milestone.title)
    if rng.random() < 0.07:
        clearer = f"{plan.component[0].capitalize()}: {title}"
        thread.event("renamed", who, moment, rename_from=title, rename_to=clearer)
        return clearer
    return title


def _conversation(
    rng: random.Random, ctx: RepoContext, plan: ItemPlan, thread: Thread, moment: datetime
) -> datetime:
    """A few more comments: the author replying on their own issue, bystanders, maintainers.
    Nobody says the very same thing twice on one issue (they say the next thing instead)."""
    said: dict[int, set[str]] = defaultdict(set)  # person -> what they said on this issue
    for earlier in thread.comments:
        if earlier.user:
            said[earlier.user.id].add(earlier.body)
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 5))):
        roll = rng.random()
        if roll < 0.45:
            who, kind, assoc = (
                plan.author,
                "author_reply",
                association(plan.person, first_item=False, pull_request=False),
            )
        elif roll < 0.75:
            person = ctx.bystander_at(rng, moment, not_person=plan.person)
            who, kind, assoc = person.user, "community", _assoc(person)
        else:
            who, kind, assoc = ctx.maintainer_at(rng, moment).user, "ack", "MEMBER"
        moment = after(rng, moment, median=20 * HOUR, spread=1.5)
        if not thread.happens(moment):
            break
        body = comment_body(rng, kind, avoid=said[who.id], component=plan.component[0])
        if body is None:
            thread.touch(moment)  # nothing new to say; the issue's timing stays as it was
            continue
        said[who.id].add(body)
        thread.comment(who, moment, body, association=assoc)
    return moment


def _decide(
    rng: random.Random,
    ctx: RepoContext,
    plan: ItemPlan,
    thread: Thread,
    state: IssueState,
    moment: datetime,
) -> None:
    completed, not_planned, duplicate = _FATES[plan.category]
    roll = rng.random()
    if roll >= completed + not_planned + duplicate:
        return
    closing = after(rng, moment, median=_CLOSE_MEDIAN[plan.category], spread=1.3)
    if not thread.happens(closing):
        return
    closer = ctx.maintainer_at(rng, closing).user
    if roll < completed:
        _close_completed(rng, ctx, plan, thread, state, closer, closing)
    elif roll < completed + not_planned:
        thread.comment(closer, closing, comment_body(rng, "wontfix"), association="MEMBER")
        thread.label("wontfix", closer, closing)
        state.close(thread, closer, closing, "not_planned")
    else:
        other = ctx.issue_before(rng, plan) or max(1, plan.number - 1)
        thread.comment(
            closer, closing, comment_body(rng, "duplicate", other=other), association="MEMBER"
        )
        thread.label("duplicate", closer, closing)
        state.close(thread, closer, closing, "duplicate")
    _maybe_reopen_or_lock(rng, ctx, plan, thread, state)


def _close_completed(
    rng: random.Random,
    ctx: RepoContext,
    plan: ItemPlan,
    thread: Thread,
    state: IssueState,
    closer: GitHubUser,
    closing: datetime,
) -> None:
    fixing_pr = ctx.pull_request_before(rng, closing) if plan.category != QUESTION else None
    kind = "fixed" if fixing_pr else "answered"
    thread.comment(
        closer, closing, comment_body(rng, kind, other=fixing_pr or 0), association="MEMBER"
    )
    if plan.category in (BUG, FEATURE) and ctx.releases and rng.random() < 0.5:
        state.milestone = milestone_at(ctx.milestones, closing)
        thread.event("milestoned", closer, closing, milestone_title=state.milestone.title)
    state.close(thread, closer, closing, "completed")


def _maybe_reopen_or_lock(
    rng: random.Random, ctx: RepoContext, plan: ItemPlan, thread: Thread, state: IssueState
) -> None:
    assert state.closed_at is not None
    if state.reason == "completed" and rng.random() < 0.07:
        reopened = after(rng, state.closed_at, median=5 * DAY, spread=1.0)
        if thread.happens(reopened):
            thread.comment(plan.author, reopened, comment_body(rng, "reopen"))
            thread.event("reopened", plan.author, reopened)
            state.state, state.reason, state.closed_at, state.closed_by = (
                "open",
                "reopened",
                None,
                None,
            )
            again = after(rng, reopened, median=7 * DAY, spread=1.0)
            if rng.random() < 0.6 and thread.happens(again):
                state.close(thread, ctx.maintainer_at(rng, again).user, again, "completed")
        return
    locked = state.closed_at + timedelta(days=30)
    if rng.random() < 0.06 and thread.happens(locked):
        thread.event("locked", ctx.maintainer_at(rng, locked).user, locked)
        state.locked, state.lock_reason = True, rng.choice(("resolved", "too heated"))


def _go_stale(
    rng: random.Random, ctx: RepoContext, thread: Thread, state: IssueState, since: datetime
) -> None:
    """github-actions marks items untouched for 60 days and closes some two weeks later.

    Bots' comments are no answer: an issue only the bot spoke on still counts as unanswered.
    """
    marked = since + STALE_AFTER
    if rng.random() > 0.6 or not thread.happens(marked):
        return
    bot = ctx.cast.github_actions
    thread.comment(bot, marked, comment_body(rng, "stale"), association="NONE")
    thread.label("stale", bot, marked)
    closing = marked + timedelta(days=14)
    if rng.random() < 0.45 and thread.happens(closing):
        thread.comment(bot, closing, comment_body(rng, "stale_closed"), association="NONE")
        state.close(thread, bot, closing, "not_planned")


def _assoc(person: Person) -> str:
    return "MEMBER" if person.is_maintainer else "CONTRIBUTOR"


def _reactions(rng: random.Random, category: str) -> dict[str, int]:
    if rng.random() > (0.35 if category in (BUG, FEATURE) else 0.1):
        return {}
    reactions = {"+1": rng.randint(1, 25)}
    if rng.random() < 0.3:
        reactions["heart"] = rng.randint(1, 5)
    return reactions
