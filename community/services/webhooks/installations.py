"""`installation` and `installation_repositories`: which repositories our GitHub App may follow.

An installation lists its repositories as stubs (id, name, full name, private) without an owner
object: the installation's account owns them. A stub never overwrites a fuller stored row (it has
no `updated_at`, so the upsert's stale rule keeps what is stored).
"""

from __future__ import annotations

from typing import Any

from community.github.payloads import GitHubInstallation, GitHubRepository, GitHubUser
from community.models import InstallationStatus
from community.services import upserts
from community.services.webhooks.context import HandlerContext

STATUS_BY_ACTION = {
    "created": InstallationStatus.ACTIVE,
    "unsuspend": InstallationStatus.ACTIVE,
    "suspend": InstallationStatus.SUSPENDED,
    "deleted": InstallationStatus.DELETED,
}


def _installation(ctx: HandlerContext) -> GitHubInstallation:
    installation = GitHubInstallation.from_json(ctx.payload["installation"])
    upserts.installation_upsert(payload=installation, status=STATUS_BY_ACTION.get(ctx.action))
    return installation


def _track(owner: GitHubUser | None, stubs: list[dict[str, Any]]) -> int:
    if owner is None:
        return 0
    for stub in stubs:
        name = stub.get("name") or stub["full_name"].split("/", 1)[-1]
        upserts.repository_upsert(
            payload=GitHubRepository(
                id=int(stub["id"]),
                owner=owner,
                name=name,
                full_name=stub["full_name"],
                private=bool(stub.get("private")),
            )
        )
    return upserts.repositories_set_tracked(
        repository_ids=[int(s["id"]) for s in stubs], tracked=True
    )


def _untrack(stubs: list[dict[str, Any]]) -> int:
    return upserts.repositories_set_tracked(
        repository_ids=[int(s["id"]) for s in stubs], tracked=False
    )


def handle_installation(ctx: HandlerContext) -> str:
    installation = _installation(ctx)
    repositories = ctx.payload.get("repositories") or []
    if ctx.action == "deleted":
        _untrack(repositories)
    elif ctx.action in ("created", "unsuspend", "new_permissions_accepted"):
        _track(installation.account, repositories)
    return ""


def handle_installation_repositories(ctx: HandlerContext) -> str:
    installation = _installation(ctx)
    _track(installation.account, ctx.payload.get("repositories_added") or [])
    _untrack(ctx.payload.get("repositories_removed") or [])
    return ""
