"""GitHub-shaped payload objects, parsed and checked once from REST or webhook JSON.

One module per family: `accounts` (users, installations), `repositories` (repositories, labels,
milestones), `items` (issues and pull requests on one shared base), `activity` (reviews,
comments, timeline events, releases, stars, pushed commits). `fields` reads and checks each
field (types, lengths, characters) and raises `PayloadError` naming the field that is wrong.
"""

from community.github.payloads.accounts import GitHubInstallation, GitHubUser
from community.github.payloads.activity import (
    GitHubComment,
    GitHubIssueEvent,
    GitHubPushedCommit,
    GitHubRelease,
    GitHubReview,
    GitHubStar,
)
from community.github.payloads.fields import (
    Fields,
    Json,
    PayloadError,
    body_loads,
    checked_login,
    parse_time,
)
from community.github.payloads.items import GitHubIssue, GitHubItem, GitHubPullRequest
from community.github.payloads.repositories import GitHubLabel, GitHubMilestone, GitHubRepository

__all__ = [
    "Fields",
    "GitHubComment",
    "GitHubInstallation",
    "GitHubIssue",
    "GitHubIssueEvent",
    "GitHubItem",
    "GitHubLabel",
    "GitHubMilestone",
    "GitHubPullRequest",
    "GitHubPushedCommit",
    "GitHubRelease",
    "GitHubRepository",
    "GitHubReview",
    "GitHubStar",
    "GitHubUser",
    "Json",
    "PayloadError",
    "body_loads",
    "checked_login",
    "parse_time",
]
