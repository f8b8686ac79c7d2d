"""Pull request events: `pull_request` and its `_review`, `_review_comment`, `_review_thread`.

Every one of them carries the full pull request object, so the PR row is upserted first (created
if missing) and the stale-payload rule keeps newer state. Each action (opened, synchronize,
review_requested, closed with or without merge, …) is the PR's new state: no per-action code.
"""

from __future__ import annotations

from community.github.payloads import GitHubComment, GitHubPullRequest, GitHubReview
from community.models import Comment, PullRequest
from community.services import upserts
from community.services.webhooks.context import HandlerContext


def _pull_request(ctx: HandlerContext) -> PullRequest:
    payload = GitHubPullRequest.from_json(ctx.required("pull_request"))
    repository = ctx.repository()
    return upserts.pull_request_upsert(repository=repository, payload=payload)


def handle_pull_request(ctx: HandlerContext) -> str:
    _pull_request(ctx)
    return ""


def handle_pull_request_review(ctx: HandlerContext) -> str:
    review = GitHubReview.from_json(ctx.required("review"))
    pull_request = _pull_request(ctx)
    upserts.reviews_bulk_upsert(pull_request=pull_request, payloads=[review])
    return ""


def handle_pull_request_review_comment(ctx: HandlerContext) -> str:
    comment = GitHubComment.from_json(ctx.required("comment"))
    pull_request = _pull_request(ctx)
    if ctx.action == "deleted":
        upserts.objects_delete(model=Comment, ids=[comment.id])
    else:
        upserts.comments_bulk_upsert(repository=pull_request.repository, payloads=[comment])
    return ""


def handle_pull_request_review_thread(ctx: HandlerContext) -> str:
    """A thread resolved or unresolved: its comments are refreshed (Steward keeps no thread row)."""
    thread = ctx.fields.object("thread")
    comments = [
        GitHubComment.from_json(c.data, at=c.at)
        for c in (thread.objects("comments") if thread else [])
    ]
    pull_request = _pull_request(ctx)
    upserts.comments_bulk_upsert(repository=pull_request.repository, payloads=comments)
    return ""
