"""Repository-level events: repository, release, label, milestone, member, star, watch, fork,
create and delete (branches and tags)."""

from __future__ import annotations

from collections.abc import Callable

from community.github.payloads import (
    GitHubLabel,
    GitHubMilestone,
    GitHubRelease,
    GitHubStar,
    GitHubUser,
)
from community.models import Label, Milestone, Release
from community.services import upserts
from community.services.webhooks.context import DeliveryIgnored, HandlerContext


def handle_repository(ctx: HandlerContext) -> str:
    """The payload's repository object is the new state: renamed, transferred, privatized,
    publicized, archived, unarchived and edited are all a refresh of the row."""
    repository = ctx.repository()
    if ctx.action == "deleted":
        upserts.repository_mark_deleted(
            repository_id=repository.pk, deleted_at=ctx.delivery.received_at
        )
    return ""


def handle_repository_refresh(ctx: HandlerContext) -> str:
    """fork, create, delete: Steward models no forks or refs; the repository's counters,
    default branch and push time come with them."""
    ctx.repository()
    return ""


def _repository_object_handler(*, key: str, parse, model, upsert) -> Callable:
    """release, label, milestone: the object is upserted, or removed on `deleted`."""

    def handle(ctx: HandlerContext) -> str:
        item = parse(ctx.required(key))
        repository = ctx.repository()
        if ctx.action == "deleted":
            upserts.objects_delete(model=model, ids=[item.id])
        else:
            upsert(repository=repository, payloads=[item])
        return ""

    return handle


handle_release = _repository_object_handler(
    key="release", parse=GitHubRelease.from_json, model=Release,
    upsert=upserts.releases_bulk_upsert,
)  # fmt: skip
handle_label = _repository_object_handler(
    key="label", parse=GitHubLabel.from_json, model=Label, upsert=upserts.labels_bulk_upsert
)
handle_milestone = _repository_object_handler(
    key="milestone", parse=GitHubMilestone.from_json, model=Milestone,
    upsert=upserts.milestones_bulk_upsert,
)  # fmt: skip


def handle_member(ctx: HandlerContext) -> str:
    member = GitHubUser.from_json(ctx.required("member"), at="member")
    changes = ctx.fields.object("changes")
    permission = changes.object("permission") if changes else None
    to = permission.text("to", max_length=20) if permission else ""
    repository = ctx.repository()
    if ctx.action == "removed":
        upserts.member_remove(repository=repository, actor_id=member.id)
        return ""
    upserts.member_upsert(repository=repository, user=member, permission=to)
    return ""


def _sender(ctx: HandlerContext) -> GitHubUser:
    sender = ctx.sender
    if sender is None:
        raise DeliveryIgnored(f"{ctx.delivery.event} delivery without a sender")
    return sender


def handle_star(ctx: HandlerContext) -> str:
    repository = ctx.repository()
    sender = _sender(ctx)
    starred_at = ctx.fields.time("starred_at") or ctx.delivery.received_at
    if ctx.action == "deleted":
        upserts.star_event_delete(repository=repository, actor_id=sender.id)
        return ""
    star = GitHubStar(user=sender, starred_at=starred_at)
    upserts.star_events_bulk_upsert(repository=repository, payloads=[star])
    return ""


def handle_watch(ctx: HandlerContext) -> str:
    """`watch.started` is GitHub's older name for a star, sent with `star.created` but without
    its time: it records a star only when none is stored, dated when the delivery arrived."""
    repository = ctx.repository()
    sender = _sender(ctx)
    star = GitHubStar(user=sender, starred_at=ctx.delivery.received_at)
    # Atomic insert-if-missing: a concurrent `star.created` keeps its real starred_at.
    upserts.star_events_bulk_upsert(repository=repository, payloads=[star], insert_only=True)
    return ""
