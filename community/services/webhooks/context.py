"""What a handler gets: the delivery, its JSON, and the repository rule applied for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from community.github.payloads import Fields, GitHubUser, Json
from community.models import Delivery, Repository
from community.services.webhooks.tracking import repository_for_delivery


class DeliveryIgnored(Exception):
    """Nothing to apply (an untracked repository, an action Steward does not model)."""


@dataclass(slots=True)
class HandlerContext:
    delivery: Delivery
    payload: Json

    @property
    def action(self) -> str:
        return self.delivery.action

    @property
    def fields(self) -> Fields:
        """The payload, read field by field (a wrong field is a `PayloadError` naming it)."""
        return Fields(self.payload, "")

    @property
    def sender(self) -> GitHubUser | None:
        return GitHubUser.read_optional(self.fields, "sender")

    def required(self, key: str) -> Json:
        """The payload's `key` object; a `PayloadError` when it is missing or not an object."""
        return self.fields.required_object(key).data

    def repository(self) -> Repository:
        """The delivery's repository, refreshed from the payload (created if it should be)."""
        data = self.payload.get("repository")
        if not isinstance(data, dict):
            raise DeliveryIgnored(f"{self.delivery.event} delivery without a repository")
        return self.repository_from(data)

    def repository_from(self, data: dict[str, Any], *, at: str = "repository") -> Repository:
        repository, reason = repository_for_delivery(delivery=self.delivery, data=data, at=at)
        if repository is None:
            raise DeliveryIgnored(reason)
        return repository
