"""The one place GitHub data is written, used by both the sync and the webhook processor.

Every function is an upsert by GitHub id inside one transaction per object graph; a payload older
(`updated_at`) than the stored row changes nothing. Bulk variants write a page of results in a
handful of statements.
"""

from community.services.upserts.activity import (
    comments_bulk_upsert,
    issue_events_bulk_upsert,
    pull_request_reviews_bulk_upsert,
    releases_bulk_upsert,
    reviews_bulk_upsert,
    star_events_bulk_upsert,
)
from community.services.upserts.actors import actor_upsert, actors_bulk_upsert
from community.services.upserts.issues import (
    issue_upsert,
    issues_bulk_upsert,
    pull_request_upsert,
    pull_requests_bulk_upsert,
)
from community.services.upserts.repositories import (
    labels_bulk_upsert,
    milestones_bulk_upsert,
    repository_upsert,
)
from community.services.upserts.webhook_data import (
    installation_upsert,
    issue_mark_deleted,
    issue_set_pinned,
    member_remove,
    member_upsert,
    objects_delete,
    pushed_commits_bulk_upsert,
    repositories_set_tracked,
    repository_mark_deleted,
    star_event_delete,
)

__all__ = [
    "actor_upsert",
    "actors_bulk_upsert",
    "comments_bulk_upsert",
    "installation_upsert",
    "issue_events_bulk_upsert",
    "issue_mark_deleted",
    "issue_set_pinned",
    "issue_upsert",
    "issues_bulk_upsert",
    "labels_bulk_upsert",
    "member_remove",
    "member_upsert",
    "milestones_bulk_upsert",
    "objects_delete",
    "pull_request_reviews_bulk_upsert",
    "pull_request_upsert",
    "pull_requests_bulk_upsert",
    "pushed_commits_bulk_upsert",
    "releases_bulk_upsert",
    "repositories_set_tracked",
    "repository_mark_deleted",
    "repository_upsert",
    "reviews_bulk_upsert",
    "star_event_delete",
    "star_events_bulk_upsert",
]
