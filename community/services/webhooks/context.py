"""What a handler gets: the delivery, its JSON, and the repository rule applied for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from community.github.payloads import GitHubUser, Json
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
    def sender(self) -> GitHubUser | None:
        return GitHubUser.maybe(self.payload.get("sender"))

    def repository(self) -> Repository:
        """The delivery's repository, refreshed from the payload (created if it should be)."""
        data = self.payload.get("repository")
        if not isinstance(data, dict):
            raise DeliveryIgnored(f"{self.delivery.event} delivery without a repository")
        return self.repository_from(data)

    def repository_from(self, data: dict[str, Any]) -> Repository:
        repository = repository_for_delivery(delivery=self.delivery, data=data)
        if repository is None:
            raise DeliveryIgnored(f"repository {data.get('full_name')} is not tracked")
        return repository
