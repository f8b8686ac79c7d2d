"""The GitHub world Steward tracks. Every GitHub object is keyed by its GitHub id (`id`)."""

from community.models.activity import Comment, CommentKind, IssueEvent, Release, Review, StarEvent
from community.models.actors import Actor, ActorType
from community.models.issues import Issue, IssueState, PullRequest
from community.models.repositories import Label, Milestone, Repository
from community.models.sync import RepositorySync, SyncCursor, SyncStatus
from community.models.webhooks import (
    Delivery,
    DeliveryStatus,
    Installation,
    InstallationStatus,
    PushedCommit,
    RepositoryMember,
)

__all__ = [
    "Actor",
    "ActorType",
    "Comment",
    "CommentKind",
    "Delivery",
    "DeliveryStatus",
    "Installation",
    "InstallationStatus",
    "Issue",
    "IssueEvent",
    "IssueState",
    "Label",
    "Milestone",
    "PullRequest",
    "PushedCommit",
    "Release",
    "Repository",
    "RepositoryMember",
    "RepositorySync",
    "Review",
    "StarEvent",
    "SyncCursor",
    "SyncStatus",
]
