"""The event → handler table, and applying one delivery through it.

A handler gets a `HandlerContext`, writes through the upsert services only, and returns a note
(empty when all was applied). Events missing from the table are stored and marked "ignored".
"""

from __future__ import annotations

from collections.abc import Callable

from community.github.payloads import Json
from community.models import Delivery, DeliveryStatus
from community.services.webhooks import installations, issues, pulls, push, repositories
from community.services.webhooks.context import DeliveryIgnored, HandlerContext

Handler = Callable[[HandlerContext], str]

HANDLERS: dict[str, Handler] = {
    "issues": issues.handle_issues,
    "issue_comment": issues.handle_issue_comment,
    "pull_request": pulls.handle_pull_request,
    "pull_request_review": pulls.handle_pull_request_review,
    "pull_request_review_comment": pulls.handle_pull_request_review_comment,
    "pull_request_review_thread": pulls.handle_pull_request_review_thread,
    "release": repositories.handle_release,
    "label": repositories.handle_label,
    "milestone": repositories.handle_milestone,
    "member": repositories.handle_member,
    "star": repositories.handle_star,
    "watch": repositories.handle_watch,
    "fork": repositories.handle_repository_refresh,
    "create": repositories.handle_repository_refresh,
    "delete": repositories.handle_repository_refresh,
    "repository": repositories.handle_repository,
    "push": push.handle_push,
    "installation": installations.handle_installation,
    "installation_repositories": installations.handle_installation_repositories,
}


def delivery_apply(*, delivery: Delivery, payload: Json) -> tuple[str, str]:
    """Run the delivery's handler; return its final status and note. Errors propagate."""
    handler = HANDLERS.get(delivery.event)
    if handler is None:
        return DeliveryStatus.IGNORED, f"Steward does not handle {delivery.event} events"
    if not isinstance(payload, dict):
        return DeliveryStatus.IGNORED, "payload is not a JSON object"
    try:
        note = handler(HandlerContext(delivery=delivery, payload=payload))
    except DeliveryIgnored as ignored:
        return DeliveryStatus.IGNORED, str(ignored)
    return DeliveryStatus.PROCESSED, note
