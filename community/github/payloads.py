"""GitHub-shaped payload objects, parsed once from REST or webhook JSON.

REST list endpoints, detail endpoints and webhooks send the same objects with different subsets of
fields. A field that an endpoint may leave out is `None` here, meaning "not sent": the upsert
services then keep what is stored instead of erasing it. Everything else is always present.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.utils.dateparse import parse_datetime

Json = dict[str, Any]


def parse_time(value: Any) -> datetime | None:
    """GitHub sends ISO 8601 strings, except for a few webhook fields sent as Unix seconds."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC)
    parsed = parse_datetime(str(value))
    if parsed is None:
        raise ValueError(f"not a GitHub timestamp: {value!r}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _reactions(data: Json) -> tuple[dict[str, int], int]:
    raw = data.get("reactions") or {}
    counts = {k: v for k, v in raw.items() if k not in ("url", "total_count") and v}
    return counts, int(raw.get("total_count") or sum(counts.values()))


@dataclass(frozen=True, slots=True)
class GitHubUser:
    id: int
    login: str
    type: str = "User"
    name: str | None = None  # only full user objects carry it
    avatar_url: str = ""
    site_admin: bool = False

    @classmethod
    def from_json(cls, data: Json) -> GitHubUser:
        return cls(
            id=int(data["id"]),
            login=data["login"],
            type=data.get("type") or "User",
            name=data.get("name") if "name" in data else None,
            avatar_url=data.get("avatar_url") or "",
            site_admin=bool(data.get("site_admin")),
        )

    @classmethod
    def maybe(cls, data: Json | None) -> GitHubUser | None:
        return cls.from_json(data) if data else None


@dataclass(frozen=True, slots=True)
class GitHubRepository:
    id: int
    owner: GitHubUser
    name: str
    full_name: str
    private: bool = False
    description: str = ""
    homepage: str = ""
    language: str = ""
    default_branch: str = "main"
    topics: list[str] = field(default_factory=list)
    stargazers_count: int = 0
    forks_count: int = 0
    watchers_count: int | None = None  # subscribers_count: only in the repository detail
    open_issues_count: int = 0
    archived: bool = False
    fork: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None
    pushed_at: datetime | None = None

    @classmethod
    def from_json(cls, data: Json) -> GitHubRepository:
        return cls(
            id=int(data["id"]),
            owner=GitHubUser.from_json(data["owner"]),
            name=data["name"],
            full_name=data["full_name"],
            private=bool(data.get("private")),
            description=data.get("description") or "",
            homepage=data.get("homepage") or "",
            language=data.get("language") or "",
            default_branch=data.get("default_branch") or "main",
            topics=list(data.get("topics") or []),
            stargazers_count=int(data.get("stargazers_count") or 0),
            forks_count=int(data.get("forks_count") or 0),
            watchers_count=data.get("subscribers_count"),
            open_issues_count=int(data.get("open_issues_count") or 0),
            archived=bool(data.get("archived")),
            fork=bool(data.get("fork")),
            created_at=parse_time(data.get("created_at")),
            updated_at=parse_time(data.get("updated_at")),
            pushed_at=parse_time(data.get("pushed_at")),
        )


@dataclass(frozen=True, slots=True)
class GitHubLabel:
    id: int
    name: str
    color: str = ""
    description: str = ""
    default: bool = False

    @classmethod
    def from_json(cls, data: Json) -> GitHubLabel:
        return cls(
            id=int(data["id"]),
            name=data["name"],
            color=data.get("color") or "",
            description=data.get("description") or "",
            default=bool(data.get("default")),
        )


@dataclass(frozen=True, slots=True)
class GitHubMilestone:
    id: int
    number: int
    title: str
    description: str = ""
    state: str = "open"
    due_on: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    closed_at: datetime | None = None

    @classmethod
    def from_json(cls, data: Json) -> GitHubMilestone:
        return cls(
            id=int(data["id"]),
            number=int(data["number"]),
            title=data.get("title") or "",
            description=data.get("description") or "",
            state=data.get("state") or "open",
            due_on=parse_time(data.get("due_on")),
            created_at=parse_time(data.get("created_at")),
            updated_at=parse_time(data.get("updated_at")),
            closed_at=parse_time(data.get("closed_at")),
        )


@dataclass(frozen=True, slots=True)
class GitHubIssue:
    """An issue. The issues API also lists PRs: `is_pull_request` tells them apart."""

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
    comments: int = 0
    reactions: dict[str, int] = field(default_factory=dict)
    reactions_total: int = 0
    locked: bool = False
    active_lock_reason: str = ""
    closed_at: datetime | None = None
    closed_by: GitHubUser | None = None
    is_pull_request: bool = False

    @classmethod
    def from_json(cls, data: Json) -> GitHubIssue:
        return cls(**_issue_fields(data), is_pull_request="pull_request" in data)


def _issue_fields(data: Json) -> Json:
    reactions, reactions_total = _reactions(data)
    assignees = data.get("assignees")
    if assignees is None:
        assignees = [data["assignee"]] if data.get("assignee") else []
    return {
        "id": int(data["id"]),
        "number": int(data["number"]),
        "title": data.get("title") or "",
        "body": data.get("body") or "",
        "state": data.get("state") or "open",
        "state_reason": data.get("state_reason") or "",
        "user": GitHubUser.maybe(data.get("user")),
        "author_association": data.get("author_association") or "",
        "assignees": [GitHubUser.from_json(a) for a in assignees if a],
        "labels": [GitHubLabel.from_json(label) for label in data.get("labels") or []],
        "milestone": GitHubMilestone.from_json(data["milestone"])
        if data.get("milestone")
        else None,
        "comments": int(data.get("comments") or 0),
        "reactions": reactions,
        "reactions_total": reactions_total,
        "locked": bool(data.get("locked")),
        "active_lock_reason": data.get("active_lock_reason") or "",
        "created_at": parse_time(data["created_at"]),
        "updated_at": parse_time(data.get("updated_at") or data["created_at"]),
        "closed_at": parse_time(data.get("closed_at")),
        "closed_by": GitHubUser.maybe(data.get("closed_by")),
    }


@dataclass(frozen=True, slots=True)
class GitHubPullRequest:
    """A pull request from the pulls API or a webhook. Detail-only fields are None when absent."""

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
    def from_json(cls, data: Json) -> GitHubPullRequest:
        fields = _issue_fields(data)
        fields["comments"] = data.get("comments")
        return cls(
            **fields,
            draft=bool(data.get("draft")),
            merged_at=parse_time(data.get("merged_at")),
            merge_commit_sha=data.get("merge_commit_sha") or "",
            base_ref=(data.get("base") or {}).get("ref") or "",
            head_ref=(data.get("head") or {}).get("ref") or "",
            head_sha=(data.get("head") or {}).get("sha") or "",
            requested_reviewers=[
                GitHubUser.from_json(u) for u in data.get("requested_reviewers") or [] if u
            ],
            merged=data.get("merged"),
            merged_by=GitHubUser.maybe(data.get("merged_by")),
            additions=data.get("additions"),
            deletions=data.get("deletions"),
            changed_files=data.get("changed_files"),
            commits=data.get("commits"),
            review_comments=data.get("review_comments"),
        )


@dataclass(frozen=True, slots=True)
class GitHubReview:
    id: int
    user: GitHubUser | None
    state: str
    body: str = ""
    commit_id: str = ""
    author_association: str = ""
    submitted_at: datetime | None = None

    @classmethod
    def from_json(cls, data: Json) -> GitHubReview:
        return cls(
            id=int(data["id"]),
            user=GitHubUser.maybe(data.get("user")),
            state=(data.get("state") or "COMMENTED").upper(),
            body=data.get("body") or "",
            commit_id=data.get("commit_id") or "",
            author_association=data.get("author_association") or "",
            submitted_at=parse_time(data.get("submitted_at")),
        )


@dataclass(frozen=True, slots=True)
class GitHubComment:
    """An issue comment, or a PR review comment (`is_review_comment`)."""

    id: int
    user: GitHubUser | None
    body: str
    created_at: datetime
    updated_at: datetime
    author_association: str = ""
    reactions: dict[str, int] = field(default_factory=dict)
    reactions_total: int = 0
    path: str = ""
    review_id: int | None = None
    is_review_comment: bool = False
    parent_number: int | None = None  # the issue/PR number, from its URL when known

    @classmethod
    def from_json(cls, data: Json) -> GitHubComment:
        reactions, reactions_total = _reactions(data)
        is_review = "pull_request_review_id" in data or "diff_hunk" in data
        parent_url = data.get("pull_request_url") if is_review else data.get("issue_url")
        return cls(
            id=int(data["id"]),
            user=GitHubUser.maybe(data.get("user")),
            body=data.get("body") or "",
            created_at=parse_time(data["created_at"]),
            updated_at=parse_time(data.get("updated_at") or data["created_at"]),
            author_association=data.get("author_association") or "",
            reactions=reactions,
            reactions_total=reactions_total,
            path=data.get("path") or "",
            review_id=data.get("pull_request_review_id"),
            is_review_comment=is_review,
            parent_number=_number_from_url(parent_url),
        )


def _number_from_url(url: str | None) -> int | None:
    if not url:
        return None
    tail = url.rstrip("/").rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else None


@dataclass(frozen=True, slots=True)
class GitHubRelease:
    id: int
    tag_name: str
    name: str = ""
    body: str = ""
    draft: bool = False
    prerelease: bool = False
    author: GitHubUser | None = None
    created_at: datetime | None = None
    published_at: datetime | None = None

    @classmethod
    def from_json(cls, data: Json) -> GitHubRelease:
        return cls(
            id=int(data["id"]),
            tag_name=data["tag_name"],
            name=data.get("name") or "",
            body=data.get("body") or "",
            draft=bool(data.get("draft")),
            prerelease=bool(data.get("prerelease")),
            author=GitHubUser.maybe(data.get("author")),
            created_at=parse_time(data.get("created_at")),
            published_at=parse_time(data.get("published_at")),
        )


@dataclass(frozen=True, slots=True)
class GitHubStar:
    user: GitHubUser
    starred_at: datetime

    @classmethod
    def from_json(cls, data: Json) -> GitHubStar:
        """A stargazer with `Accept: application/vnd.github.star+json` ({starred_at, user})."""
        return cls(
            user=GitHubUser.from_json(data["user"]), starred_at=parse_time(data["starred_at"])
        )


@dataclass(frozen=True, slots=True)
class GitHubIssueEvent:
    """An issue/PR timeline event (REST issue events API)."""

    id: int
    event: str
    created_at: datetime
    actor: GitHubUser | None = None
    label_name: str = ""
    assignee: GitHubUser | None = None
    commit_id: str = ""
    rename_from: str = ""
    rename_to: str = ""
    issue_number: int | None = None

    @classmethod
    def from_json(cls, data: Json, *, issue_number: int | None = None) -> GitHubIssueEvent:
        rename = data.get("rename") or {}
        issue = data.get("issue") or {}
        return cls(
            id=int(data["id"]),
            event=data["event"],
            created_at=parse_time(data["created_at"]),
            actor=GitHubUser.maybe(data.get("actor")),
            label_name=(data.get("label") or {}).get("name") or "",
            assignee=GitHubUser.maybe(data.get("assignee")),
            commit_id=data.get("commit_id") or "",
            rename_from=rename.get("from") or "",
            rename_to=rename.get("to") or "",
            issue_number=issue_number or issue.get("number"),
        )


@dataclass(frozen=True, slots=True)
class GitHubPushedCommit:
    """A commit listed by a `push` webhook. Its author is a git identity, not a GitHub id."""

    sha: str
    author_name: str = ""
    author_email: str = ""
    author_login: str = ""  # GitHub's `username`, when it matched the email to an account
    timestamp: datetime | None = None
    distinct: bool = True

    @classmethod
    def from_json(cls, data: Json) -> GitHubPushedCommit:
        author = data.get("author") or {}
        return cls(
            sha=data["id"],
            author_name=author.get("name") or "",
            author_email=author.get("email") or "",
            author_login=author.get("username") or "",
            timestamp=parse_time(data.get("timestamp")),
            distinct=bool(data.get("distinct", True)),
        )


@dataclass(frozen=True, slots=True)
class GitHubInstallation:
    """A GitHub App installation (`installation` webhooks; the full object, not the id stub)."""

    id: int
    account: GitHubUser | None = None
    app_id: int | None = None
    target_type: str = ""
    repository_selection: str = ""
    suspended: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @classmethod
    def from_json(cls, data: Json) -> GitHubInstallation:
        return cls(
            id=int(data["id"]),
            account=GitHubUser.maybe(data.get("account")),
            app_id=data.get("app_id"),
            target_type=data.get("target_type") or "",
            repository_selection=data.get("repository_selection") or "",
            suspended=data.get("suspended_at") is not None,
            created_at=parse_time(data.get("created_at")),
            updated_at=parse_time(data.get("updated_at")),
        )
