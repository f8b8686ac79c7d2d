"""`installation` and `installation_repositories`: which repositories our GitHub App may follow.

An installation lists its repositories as stubs (id, name, full name, private) without an owner
object: the installation's account owns them. A stub never overwrites a fuller stored row (it has
no `updated_at`, so the upsert's stale rule keeps what is stored). Repositories are added only
when the tracking policy (`tracking.py`) lets the installation's account in; removals always
apply.
"""

from __future__ import annotations

from community.github.payloads import GitHubInstallation, GitHubRepository, GitHubUser
from community.models import InstallationStatus
from community.services import upserts
from community.services.webhooks.context import DeliveryIgnored, HandlerContext
from community.services.webhooks.tracking import owner_refusal

STATUS_BY_ACTION = {
    "created": InstallationStatus.ACTIVE,
    "unsuspend": InstallationStatus.ACTIVE,
    "suspend": InstallationStatus.SUSPENDED,
    "deleted": InstallationStatus.DELETED,
}


def _installation(ctx: HandlerContext) -> GitHubInstallation:
    installation = GitHubInstallation.from_json(ctx.required("installation"))
    upserts.installation_upsert(payload=installation, status=STATUS_BY_ACTION.get(ctx.action))
    return installation


def _stubs(ctx: HandlerContext, key: str, owner: GitHubUser | None) -> list[GitHubRepository]:
    # Without an account the stubs have no owner to store: only their ids are read (to untrack).
    placeholder = owner or GitHubUser(id=1, login="unknown")
    return [
        GitHubRepository.from_stub(stub.data, owner=placeholder, at=stub.at)
        for stub in ctx.fields.objects(key)
    ]


def _track(installation: GitHubInstallation, stubs: list[GitHubRepository]) -> int:
    """Add the installation's repositories, if the tracking policy lets this account in."""
    if installation.account is None or not stubs:
        return 0
    refusal = owner_refusal(owner=installation.account, installation_id=installation.id)
    if refusal:
        names = ", ".join(stub.full_name for stub in stubs)
        raise DeliveryIgnored(f"repositories {names} are not tracked: {refusal}"[:500])
    for stub in stubs:
        upserts.repository_upsert(payload=stub)
    return upserts.repositories_set_tracked(
        repository_ids=[stub.id for stub in stubs], tracked=True
    )


def _untrack(stubs: list[GitHubRepository]) -> int:
    return upserts.repositories_set_tracked(
        repository_ids=[stub.id for stub in stubs], tracked=False
    )


def handle_installation(ctx: HandlerContext) -> str:
    installation = _installation(ctx)
    repositories = _stubs(ctx, "repositories", installation.account)
    if ctx.action == "deleted":
        _untrack(repositories)
    elif ctx.action in ("created", "unsuspend", "new_permissions_accepted"):
        _track(installation, repositories)
    return ""


def handle_installation_repositories(ctx: HandlerContext) -> str:
    installation = _installation(ctx)
    added = _stubs(ctx, "repositories_added", installation.account)
    _untrack(_stubs(ctx, "repositories_removed", installation.account))
    _track(installation, added)
    return ""
