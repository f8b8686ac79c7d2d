"""What people do in a repository: reviews, comments, timeline events, releases, stars, pushes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from community.github.payloads.accounts import GitHubUser
from community.github.payloads.fields import Fields, Json


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
    def from_json(cls, data: Json, *, at: str = "review") -> GitHubReview:
        f = Fields(data, at)
        return cls(
            id=f.id(),
            user=GitHubUser.read_optional(f, "user"),
            state=f.text("state", max_length=20, default="COMMENTED").upper(),
            body=f.text("body"),
            commit_id=f.text("commit_id", max_length=40),
            author_association=f.text("author_association", max_length=30),
            submitted_at=f.time("submitted_at"),
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
    def from_json(cls, data: Json, *, at: str = "comment") -> GitHubComment:
        f = Fields(data, at)
        reactions, reactions_total = f.reactions()
        is_review = f.has("pull_request_review_id") or f.has("diff_hunk")
        created_at = f.required_time("created_at")
        parent_url = f.text("pull_request_url" if is_review else "issue_url")
        return cls(
            id=f.id(),
            user=GitHubUser.read_optional(f, "user"),
            body=f.text("body"),
            created_at=created_at,
            updated_at=f.time("updated_at") or created_at,
            author_association=f.text("author_association", max_length=30),
            reactions=reactions,
            reactions_total=reactions_total,
            path=f.text("path"),  # cut to its column by the upsert
            review_id=f.optional_id("pull_request_review_id"),
            is_review_comment=is_review,
            parent_number=_number_from_url(parent_url),
        )


def _number_from_url(url: str) -> int | None:
    if not url:
        return None
    tail = url.rstrip("/").rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() and 0 < int(tail) < 2**31 else None


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
    # review_requested / review_request_removed: the person asked, or the team by name.
    reviewer: GitHubUser | None = None
    reviewer_team: str = ""
    # milestoned / demilestoned: the milestone's title as it was then.
    milestone_title: str = ""

    @classmethod
    def from_json(
        cls, data: Json, *, issue_number: int | None = None, at: str = "event"
    ) -> GitHubIssueEvent:
        f = Fields(data, at)
        rename, issue, label = f.object("rename"), f.object("issue"), f.object("label")
        team, milestone = f.object("requested_team"), f.object("milestone")
        if issue_number is None and issue and issue.get("number") is not None:
            issue_number = issue.number()
        return cls(
            id=f.id(),
            event=f.required_text("event", max_length=40),
            created_at=f.required_time("created_at"),
            actor=GitHubUser.read_optional(f, "actor"),
            # Label names and renames are cut to their columns by the upsert.
            label_name=label.text("name") if label else "",
            assignee=GitHubUser.read_optional(f, "assignee"),
            commit_id=f.text("commit_id", max_length=40),
            rename_from=rename.text("from") if rename else "",
            rename_to=rename.text("to") if rename else "",
            issue_number=issue_number,
            reviewer=GitHubUser.read_optional(f, "requested_reviewer"),
            # Team and milestone names are cut to their columns by the upsert.
            reviewer_team=(team.text("name") or team.text("slug")) if team else "",
            milestone_title=milestone.text("title") if milestone else "",
        )


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
    def from_json(cls, data: Json, *, at: str = "release") -> GitHubRelease:
        f = Fields(data, at)
        return cls(
            id=f.id(),
            tag_name=f.required_text("tag_name", max_length=255),
            name=f.text("name", max_length=255),
            body=f.text("body"),
            draft=f.flag("draft"),
            prerelease=f.flag("prerelease"),
            author=GitHubUser.read_optional(f, "author"),
            created_at=f.time("created_at"),
            published_at=f.time("published_at"),
        )


@dataclass(frozen=True, slots=True)
class GitHubStar:
    user: GitHubUser
    starred_at: datetime

    @classmethod
    def from_json(cls, data: Json, *, at: str = "stargazer") -> GitHubStar:
        """A stargazer with `Accept: application/vnd.github.star+json` ({starred_at, user})."""
        f = Fields(data, at)
        return cls(
            user=GitHubUser.read(f.required_object("user")),
            starred_at=f.required_time("starred_at"),
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
    def from_json(cls, data: Json, *, at: str = "commit") -> GitHubPushedCommit:
        f = Fields(data, at)
        author = f.object("author")
        # The author's texts are cut to their columns by the upsert.
        return cls(
            sha=f.required_text("id", max_length=40),
            author_name=author.text("name") if author else "",
            author_email=author.text("email") if author else "",
            author_login=author.text("username") if author else "",
            timestamp=f.time("timestamp"),
            distinct=f.flag("distinct", default=True),
        )
