"""A repository and what belongs to it as a whole: labels and milestones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from community.github.payloads.accounts import GitHubUser
from community.github.payloads.fields import Fields, Json, PayloadError


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
    def from_json(cls, data: Json, *, at: str = "repository") -> GitHubRepository:
        f = Fields(data, at)
        return cls(
            id=f.id(),
            owner=GitHubUser.read(f.required_object("owner")),
            name=repository_name(f),
            full_name=repository_full_name(f),
            private=f.flag("private"),
            description=f.text("description"),
            homepage=f.text("homepage", max_length=500),
            language=f.text("language", max_length=100),
            default_branch=f.text("default_branch", max_length=255, default="main"),
            topics=f.texts("topics", max_length=100),
            stargazers_count=f.count("stargazers_count"),
            forks_count=f.count("forks_count"),
            watchers_count=f.optional_count("subscribers_count"),
            open_issues_count=f.count("open_issues_count"),
            archived=f.flag("archived"),
            fork=f.flag("fork"),
            created_at=f.time("created_at"),
            updated_at=f.time("updated_at"),
            pushed_at=f.time("pushed_at"),
        )

    @classmethod
    def from_stub(cls, data: Json, *, owner: GitHubUser, at: str) -> GitHubRepository:
        """A repository as installation events list it: id, names and `private`, no owner
        object (the installation's account owns it) and no `updated_at`."""
        f = Fields(data, at)
        full_name = repository_full_name(f)
        return cls(
            id=f.id(),
            owner=owner,
            name=repository_name(f) if f.get("name") else full_name.split("/", 1)[1],
            full_name=full_name,
            private=f.flag("private"),
        )


def repository_name(f: Fields) -> str:
    name = f.required_text("name", max_length=100)
    if "/" in name or name in (".", ".."):
        raise PayloadError(f.path("name"), f"{name!r} is not a repository name")
    return name


def repository_full_name(f: Fields) -> str:
    """`owner/name`: the repository pages' path, so exactly one `/` between two non-empty parts."""
    full_name = f.required_text("full_name", max_length=201)
    owner, _, name = full_name.partition("/")
    if not owner or not name or "/" in name or name in (".", ".."):
        raise PayloadError(f.path("full_name"), f"{full_name!r} is not owner/name")
    return full_name


@dataclass(frozen=True, slots=True)
class GitHubLabel:
    id: int
    name: str
    color: str = ""
    description: str = ""
    default: bool = False

    @classmethod
    def from_json(cls, data: Json, *, at: str = "label") -> GitHubLabel:
        return cls.read(Fields(data, at))

    @classmethod
    def read(cls, f: Fields) -> GitHubLabel:
        return cls(
            id=f.id(),
            name=f.required_text("name", max_length=100),
            color=f.text("color", max_length=6),
            description=f.text("description", max_length=255),
            default=f.flag("default"),
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
    def from_json(cls, data: Json, *, at: str = "milestone") -> GitHubMilestone:
        return cls.read(Fields(data, at))

    @classmethod
    def read(cls, f: Fields) -> GitHubMilestone:
        return cls(
            id=f.id(),
            number=f.number(),
            title=f.text("title", max_length=255),
            description=f.text("description"),
            state=f.text("state", max_length=10, default="open"),
            due_on=f.time("due_on"),
            created_at=f.time("created_at"),
            updated_at=f.time("updated_at"),
            closed_at=f.time("closed_at"),
        )
