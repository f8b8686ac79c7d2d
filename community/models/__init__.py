"""The GitHub world Steward tracks. Every GitHub object is keyed by its GitHub id (`id`)."""

from community.models.activity import Comment, CommentKind, IssueEvent, Release, Review, StarEvent
from community.models.actors import Actor, ActorType
from community.models.issues import Issue, IssueState, PullRequest
from community.models.repositories import Label, Milestone, Repository

__all__ = [
    "Actor",
    "ActorType",
    "Comment",
    "CommentKind",
    "Issue",
    "IssueEvent",
    "IssueState",
    "Label",
    "Milestone",
    "PullRequest",
    "Release",
    "Repository",
    "Review",
    "StarEvent",
]
