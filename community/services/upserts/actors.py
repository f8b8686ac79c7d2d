from __future__ import annotations

from collections.abc import Iterable

from community.github.payloads import GitHubUser
from community.models import Actor
from community.models.actors import is_bot_account
from community.services.upserts.sql import bulk_upsert


def _actor_row(user: GitHubUser) -> dict:
    row = {
        "id": user.id,
        "login": user.login,
        "type": user.type,
        "is_bot": is_bot_account(login=user.login, type_=user.type),
        "avatar_url": user.avatar_url,
        "site_admin": user.site_admin,
    }
    if user.name is not None:  # nested user objects do not carry the display name
        row["name"] = user.name
    if user.company is not None:  # nor the company
        row["company"] = user.company
    return row


def actors_bulk_upsert(*, payloads: Iterable[GitHubUser | None]) -> set[int]:
    """Upsert every distinct account mentioned; returns their ids."""
    users = {u.id: u for u in payloads if u is not None}
    if users:
        bulk_upsert(Actor, (_actor_row(u) for u in users.values()))
    return set(users)


def actor_upsert(*, payload: GitHubUser) -> Actor:
    actors_bulk_upsert(payloads=[payload])
    return Actor.objects.get(pk=payload.id)
