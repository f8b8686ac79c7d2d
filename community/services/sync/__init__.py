"""GitHub → Steward sync: full or incremental, resumable per resource, rate-limit aware.

One module per resource family (repository, issues, activity, releases), the page readers they
share (paging), their cursors, and the orchestrator that runs them for one repository.
"""

from community.services.sync.context import NullProgress, Progress, SyncBusy
from community.services.sync.orchestrator import (
    RESOURCES,
    repositories_due,
    repository_sync,
    sync_state_for,
)
from community.services.sync.repository import repository_fetch

__all__ = [
    "RESOURCES",
    "NullProgress",
    "Progress",
    "SyncBusy",
    "repositories_due",
    "repository_fetch",
    "repository_sync",
    "sync_state_for",
]
