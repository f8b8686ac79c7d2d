"""Upserts of issues and pull requests, with their people, labels and milestone, as one graph."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from community import signals
from community.github.payloads import GitHubIssue, GitHubPullRequest
from community.models import Issue, PullRequest, Repository
from community.services.upserts.actors import actors_bulk_upsert
from community.services.upserts.numbers import numbers_reconcile
from community.services.upserts.repositories import labels_bulk_upsert, milestones_bulk_upsert
from community.services.upserts.sql import bulk_upsert, replace_m2m

Item = GitHubIssue | GitHubPullRequest


def _common_row(repository_id: int, item: Item) -> dict:
    row = {
        "id": item.id,
        "repository_id": repository_id,
        "number": item.number,
        "title": item.title[:1024],
        "body": item.body,
        "state": item.state,
        "state_reason": item.state_reason,
        "author_id": item.user.id if item.user else None,
        "author_association": item.author_association,
        "milestone_id": item.milestone.id if item.milestone else None,
        "reactions": item.reactions,
        "reactions_total": item.reactions_total,
        "locked": item.locked,
        "active_lock_reason": item.active_lock_reason,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "closed_at": item.closed_at,
    }
    if item.closed_by is not None:  # list endpoints leave closed_by out
        row["closed_by_id"] = item.closed_by.id
    if item.comments is not None:
        row["comments_count"] = item.comments
    return row


def _pull_request_row(repository_id: int, pr: GitHubPullRequest) -> dict:
    row = _common_row(repository_id, pr)
    row.update(
        draft=pr.draft,
        merged=pr.merged if pr.merged is not None else pr.merged_at is not None,
        merged_at=pr.merged_at,
        merge_commit_sha=pr.merge_commit_sha or "",
        base_ref=pr.base_ref,
        head_ref=pr.head_ref,
        head_sha=pr.head_sha,
    )
    if pr.merged is not None:
        row["merged_by_id"] = pr.merged_by.id if pr.merged_by else None
    detail = {
        "additions": pr.additions,
        "deletions": pr.deletions,
        "changed_files": pr.changed_files,
        "commits_count": pr.commits,
        "review_comments_count": pr.review_comments,
    }
    row.update({k: v for k, v in detail.items() if v is not None})
    return row


def _upsert_graph(repository: Repository, items: Sequence[Item]) -> None:
    """Everything an issue/PR row points at, written before the rows themselves."""
    people = []
    for item in items:
        people += [item.user, item.closed_by, *item.assignees]
        if isinstance(item, GitHubPullRequest):
            people += [item.merged_by, *item.requested_reviewers]
    actors_bulk_upsert(payloads=people)
    milestones_bulk_upsert(
        repository=repository, payloads=[i.milestone for i in items if i.milestone]
    )


def _replace_labels(repository: Repository, model: type, fresh: Sequence[Item]) -> None:
    """The labels of the written items only: a stale payload neither brings back a deleted
    label nor reverts a renamed one (labels it names are added only when missing)."""
    labels = [lb for item in fresh for lb in item.labels]
    labels_bulk_upsert(repository=repository, payloads=labels, keep_stored=True)
    replace_m2m(model, "labels", {item.id: [lb.id for lb in item.labels] for item in fresh})


def issues_bulk_upsert(
    *, repository: Repository, payloads: Sequence[GitHubIssue], text_reason: str | None = None
) -> set[int]:
    """Upsert issues (pull requests listed by the issues API are left to the PR upsert).

    Returns the ids written; an issue whose stored `updated_at` is newer is left as it is,
    labels and assignees included.

    `text_reason` (one of `signals.REASONS`) announces the written issues with
    `issue_text_changed` once the transaction commits: for `edited` and `synced` only those that
    are new or whose title or body changed; for the others every written issue. The stored texts
    are read for the comparison only while a receiver is connected.
    """
    items = [p for p in payloads if not p.is_pull_request]
    if not items:
        return set()
    with transaction.atomic():
        _upsert_graph(repository, items)
        rows = [_common_row(repository.pk, i) for i in items]
        rows = numbers_reconcile(model=Issue, repository=repository, rows=rows)
        announce = text_reason is not None and signals.issue_text_changed.has_listeners()
        compare = announce and text_reason in signals.COMPARED_REASONS
        before = _stored_texts([row["id"] for row in rows]) if compare else {}
        written = bulk_upsert(Issue, rows, newer_field="updated_at")
        fresh = [i for i in items if i.id in written]
        _replace_labels(repository, Issue, fresh)
        replace_m2m(Issue, "assignees", {i.id: [a.id for a in i.assignees] for i in fresh})
        if announce:
            changed = [
                row["id"]
                for row in rows
                if row["id"] in written
                and not (compare and before.get(row["id"]) == (row["title"], row["body"]))
            ]
            signals.issue_text_changed_send_on_commit(
                sender=Issue, issue_ids=changed, reason=text_reason
            )
    return written


def _stored_texts(issue_ids: list[int]) -> dict[int, tuple[str, str]]:
    rows = Issue.objects.filter(pk__in=issue_ids).values_list("pk", "title", "body")
    return {pk: (title, body) for pk, title, body in rows}


def issue_upsert(
    *, repository: Repository, payload: GitHubIssue, text_reason: str | None = None
) -> Issue:
    issues_bulk_upsert(repository=repository, payloads=[payload], text_reason=text_reason)
    return Issue.objects.get(pk=payload.id)


def pull_requests_bulk_upsert(
    *, repository: Repository, payloads: Sequence[GitHubPullRequest]
) -> set[int]:
    """Upsert pull requests; same stale-payload rule as issues."""
    if not payloads:
        return set()
    with transaction.atomic():
        _upsert_graph(repository, payloads)
        rows = [_pull_request_row(repository.pk, p) for p in payloads]
        rows = numbers_reconcile(model=PullRequest, repository=repository, rows=rows)
        written = bulk_upsert(PullRequest, rows, newer_field="updated_at")
        fresh = [p for p in payloads if p.id in written]
        _replace_labels(repository, PullRequest, fresh)
        replace_m2m(PullRequest, "assignees", {p.id: [a.id for a in p.assignees] for p in fresh})
        replace_m2m(
            PullRequest,
            "requested_reviewers",
            {p.id: [u.id for u in p.requested_reviewers] for p in fresh},
        )
    return written


def pull_request_upsert(*, repository: Repository, payload: GitHubPullRequest) -> PullRequest:
    pull_requests_bulk_upsert(repository=repository, payloads=[payload])
    return PullRequest.objects.get(pk=payload.id)
