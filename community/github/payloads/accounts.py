"""Accounts (users, bots, organizations) and GitHub App installations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from community.github.payloads.fields import Fields, Json


@dataclass(frozen=True, slots=True)
class GitHubUser:
    id: int
    login: str
    type: str = "User"
    name: str | None = None  # only full user objects carry it
    company: str | None = None  # likewise
    avatar_url: str = ""
    site_admin: bool = False

    @classmethod
    def from_json(cls, data: Json, *, at: str = "user") -> GitHubUser:
        return cls.read(Fields(data, at))

    @classmethod
    def maybe(cls, data: Json | None, *, at: str = "user") -> GitHubUser | None:
        return cls.from_json(data, at=at) if data else None

    @classmethod
    def read(cls, f: Fields) -> GitHubUser:
        return cls(
            id=f.id(),
            login=f.login(),
            type=f.text("type", max_length=20, default="User"),
            name=f.optional_text("name", max_length=255),
            company=f.optional_text("company", max_length=255),
            avatar_url=f.text("avatar_url", max_length=500),
            site_admin=f.flag("site_admin"),
        )

    @classmethod
    def read_optional(cls, f: Fields, key: str) -> GitHubUser | None:
        nested = f.object(key)
        return cls.read(nested) if nested else None

    @classmethod
    def read_list(cls, f: Fields, key: str) -> list[GitHubUser]:
        return [cls.read(nested) for nested in f.objects(key)]


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
    def from_json(cls, data: Json, *, at: str = "installation") -> GitHubInstallation:
        f = Fields(data, at)
        return cls(
            id=f.id(),
            account=GitHubUser.read_optional(f, "account"),
            app_id=f.optional_id("app_id"),
            target_type=f.text("target_type", max_length=20),
            repository_selection=f.text("repository_selection", max_length=10),
            suspended=f.get("suspended_at") is not None,
            created_at=f.time("created_at"),
            updated_at=f.time("updated_at"),
        )
