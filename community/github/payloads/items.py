"""Issues and pull requests: one base for the fields GitHub's two views of them share.

REST list endpoints, detail endpoints and webhooks send the same objects with different subsets
of fields. A field that an endpoint may leave out is `None` here, meaning "not sent": the upsert
services then keep what is stored instead of erasing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from community.github.payloads.accounts import GitHubUser
from community.github.payloads.fields import Fields, Json
from community.github.payloads.repositories import GitHubLabel, GitHubMilestone


@dataclass(frozen=True, slots=True)
class GitHubItem:
    """What an issue and a pull request both have (the issues API lists both)."""

    id: int
    number: int
    title: str
    body: str
    state: str
    user: GitHubUser | None
    created_at: datetime
    updated_at: datetime
    state_reason: str = ""
    author_association: str = ""
    assignees: list[GitHubUser] = field(default_factory=list)
    labels: list[GitHubLabel] = field(default_factory=list)
    milestone: GitHubMilestone | None = None
    reactions: dict[str, int] = field(default_factory=dict)
    reactions_total: int = 0
    locked: bool = False
    active_lock_reason: str = ""
    closed_at: datetime | None = None
    closed_by: GitHubUser | None = None


def item_fields(f: Fields) -> dict[str, Any]:
    """The `GitHubItem` fields of an issue or pull request object."""
    reactions, reactions_total = f.reactions()
    if f.get("assignees") is not None:
        assignees = GitHubUser.read_list(f, "assignees")
    else:
        assignees = [u for u in [GitHubUser.read_optional(f, "assignee")] if u]
    milestone = f.object("milestone")
    created_at = f.required_time("created_at")
    return {
        "id": f.id(),
        "number": f.number(),
        # Titles are cut to their column by the upsert (GitHub allows 256 characters).
        "title": f.text("title"),
        "body": f.text("body"),
        "state": f.text("state", max_length=10, default="open"),
        "state_reason": f.text("state_reason", max_length=20),
        "user": GitHubUser.read_optional(f, "user"),
        "author_association": f.text("author_association", max_length=30),
        "assignees": assignees,
        "labels": [GitHubLabel.read(label) for label in f.objects("labels")],
        "milestone": GitHubMilestone.read(milestone) if milestone else None,
        "reactions": reactions,
        "reactions_total": reactions_total,
        "locked": f.flag("locked"),
        "active_lock_reason": f.text("active_lock_reason", max_length=30),
        "created_at": created_at,
        "updated_at": f.time("updated_at") or created_at,
        "closed_at": f.time("closed_at"),
        "closed_by": GitHubUser.read_optional(f, "closed_by"),
    }


@dataclass(frozen=True, slots=True)
class GitHubIssue(GitHubItem):
    """An issue. The issues API also lists PRs: `is_pull_request` tells them apart."""

    comments: int = 0
    is_pull_request: bool = False

    @classmethod
    def from_json(cls, data: Json, *, at: str = "issue") -> GitHubIssue:
        f = Fields(data, at)
        return cls(
            **item_fields(f), comments=f.count("comments"), is_pull_request=f.has("pull_request")
        )


@dataclass(frozen=True, slots=True)
class GitHubPullRequest(GitHubItem):
    """A pull request from the pulls API or a webhook. Detail-only fields are None when absent."""

    draft: bool = False
    merged_at: datetime | None = None
    merge_commit_sha: str = ""
    base_ref: str = ""
    head_ref: str = ""
    head_sha: str = ""
    requested_reviewers: list[GitHubUser] = field(default_factory=list)
    # Only the PR detail endpoint and webhooks send these.
    merged: bool | None = None
    merged_by: GitHubUser | None = None
    comments: int | None = None
    additions: int | None = None
    deletions: int | None = None
    changed_files: int | None = None
    commits: int | None = None
    review_comments: int | None = None

    @classmethod
    def from_json(cls, data: Json, *, at: str = "pull_request") -> GitHubPullRequest:
        f = Fields(data, at)
        base, head = f.object("base"), f.object("head")
        return cls(
            **item_fields(f),
            draft=f.flag("draft"),
            merged_at=f.time("merged_at"),
            merge_commit_sha=f.text("merge_commit_sha", max_length=40),
            base_ref=base.text("ref", max_length=255) if base else "",
            head_ref=head.text("ref", max_length=255) if head else "",
            head_sha=head.text("sha", max_length=40) if head else "",
            requested_reviewers=GitHubUser.read_list(f, "requested_reviewers"),
            merged=f.optional_flag("merged"),
            merged_by=GitHubUser.read_optional(f, "merged_by"),
            comments=f.optional_count("comments"),
            additions=f.optional_count("additions"),
            deletions=f.optional_count("deletions"),
            changed_files=f.optional_count("changed_files"),
            commits=f.optional_count("commits"),
            review_comments=f.optional_count("review_comments"),
        )
