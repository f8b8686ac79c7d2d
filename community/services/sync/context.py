"""What every resource sync gets: the client, the repository, and where to report progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from django.utils import timezone

from community.github.client import GitHubClient
from community.models import Repository, RepositorySync

# A running sync holds its repository this long past its last checkpoint; a crashed worker's
# hold therefore expires by itself and the next run resumes from the cursors.
LEASE = timedelta(minutes=10)
HEARTBEAT = timedelta(seconds=30)


class SyncBusy(Exception):
    """Another worker is syncing this repository right now."""


class Progress(Protocol):
    def start(self, resource: str) -> None: ...

    def advance(self, resource: str, items: int) -> None: ...

    def finish(self, resource: str) -> None: ...


class NullProgress:
    def start(self, resource: str) -> None:
        pass

    def advance(self, resource: str, items: int) -> None:
        pass

    def finish(self, resource: str) -> None:
        pass


@dataclass
class SyncContext:
    client: GitHubClient
    repository: Repository
    full: bool = False
    progress: Progress = field(default_factory=NullProgress)
    _last_beat: datetime = field(default_factory=timezone.now)

    def path(self, suffix: str = "") -> str:
        return f"/repos/{self.repository.full_name}{suffix}"

    def heartbeat(self) -> None:
        """Extend the lease on the repository; called at every checkpoint, cheap when recent."""
        now = timezone.now()
        if now - self._last_beat < HEARTBEAT:
            return
        RepositorySync.objects.filter(repository=self.repository).update(lease_until=now + LEASE)
        self._last_beat = now
