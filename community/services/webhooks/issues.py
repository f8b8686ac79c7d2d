"""`issues` and `issue_comment`.

An issue object that is really a pull request (GitHub sends `issue_comment` for PR conversations,
with only the PR's issue twin) cannot create the PR row: the PR's own id, which is its key, is
not in it. Rule: resolve the PR by repository + number; when it is stored, the comment attaches
to it; when it is not, the comment is skipped and the delivery says so in its note, and replaying
it after the PR arrives (a `pull_request` delivery, or the next sync) applies it.
"""

from __future__ import annotations

from community import signals
from community.github.payloads import GitHubComment, GitHubIssue
from community.models import Comment, PullRequest, Repository
from community.services import upserts
from community.services.webhooks.context import DeliveryIgnored, HandlerContext

# Actions after which an issue's text is new to Steward, or worth a fresh look (reopened).
_TEXT_ACTIONS = {"opened": signals.OPENED, "edited": signals.EDITED, "reopened": signals.REOPENED}


def _pull_request_note(repository: Repository, number: int) -> str:
    if PullRequest.objects.filter(repository=repository, number=number).exists():
        return ""
    return f"pull request #{number} is not stored yet: replay this delivery once it is"


def handle_issues(ctx: HandlerContext) -> str:
    issue = GitHubIssue.from_json(ctx.required("issue"))
    repository = ctx.repository()
    if issue.is_pull_request:
        # Only the issue twin of a PR: the PR's own fields arrive with `pull_request` events.
        return _pull_request_note(repository, issue.number) or "pull request: see its events"
    if ctx.action == "transferred":
        return _transferred(ctx, repository, issue)
    # The upsert tells listeners (triage) about a new text; an `edited` that kept title and body
    # (GitHub sends one for other fields too, and `changes` is not always filled) is not news.
    written = upserts.issues_bulk_upsert(
        repository=repository, payloads=[issue], text_reason=_TEXT_ACTIONS.get(ctx.action)
    )
    if ctx.action == "deleted":
        upserts.issue_mark_deleted(issue_id=issue.id, deleted_at=ctx.delivery.received_at)
    elif ctx.action in ("pinned", "unpinned") and issue.id in written:
        # The flag has no timestamp of its own: it follows the stale rule of its issue payload.
        upserts.issue_set_pinned(issue_id=issue.id, pinned=ctx.action == "pinned")
    return ""


def _transferred(ctx: HandlerContext, repository: Repository, issue: GitHubIssue) -> str:
    """The issue lives on in another repository, as a new issue (usually with a new id)."""
    changes = ctx.fields.required_object("changes")
    new_issue = GitHubIssue.from_json(
        changes.required_object("new_issue").data, at=changes.path("new_issue")
    )
    upserts.issues_bulk_upsert(repository=repository, payloads=[issue])
    if new_issue.id != issue.id:
        upserts.issue_mark_deleted(issue_id=issue.id, deleted_at=ctx.delivery.received_at)
    new_repository = changes.get("new_repository")
    if not isinstance(new_repository, dict):
        return "transfer target repository not sent"
    try:
        target = ctx.repository_from(new_repository, at=changes.path("new_repository"))
    except DeliveryIgnored as untracked:
        return f"issue moved out: {untracked}"
    upserts.issues_bulk_upsert(
        repository=target, payloads=[new_issue], text_reason=signals.TRANSFERRED
    )
    return ""


def handle_issue_comment(ctx: HandlerContext) -> str:
    issue = GitHubIssue.from_json(ctx.required("issue"))
    comment = GitHubComment.from_json(ctx.required("comment"))
    repository = ctx.repository()
    if not issue.is_pull_request:  # the parent is recreated if missing, and refreshed if newer
        upserts.issues_bulk_upsert(repository=repository, payloads=[issue])
    if ctx.action == "deleted":
        upserts.objects_delete(model=Comment, ids=[comment.id])
        return ""
    upserts.comments_bulk_upsert(repository=repository, payloads=[comment])
    if issue.is_pull_request:
        return _pull_request_note(repository, issue.number)
    return ""
