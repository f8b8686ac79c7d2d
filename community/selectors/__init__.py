"""Read queries for pages, APIs and exports. Visibility rules live in `visibility` and every
selector that returns community data starts from them."""

from community.selectors.items import (
    ITEM_SORTS,
    ItemFilters,
    TimelineEntry,
    issue_conversation,
    issue_exists,
    issue_get,
    issue_list,
    pull_request_conversation,
    pull_request_exists,
    pull_request_get,
    pull_request_list,
)
from community.selectors.people import (
    BOT_FILTERS,
    Contribution,
    ContributorProfile,
    contributions_by_actor,
    contributor_list,
    contributor_profile,
)
from community.selectors.repositories import (
    RepositoryOverview,
    repository_contributor_counts,
    repository_get_visible,
    repository_list_with_counts,
    repository_overview,
)
from community.selectors.visibility import (
    comments_visible_to,
    issues_visible_to,
    pull_requests_visible_to,
    repositories_visible_to,
    reviews_visible_to,
    user_sees_private,
)

__all__ = [
    "BOT_FILTERS",
    "ITEM_SORTS",
    "Contribution",
    "ContributorProfile",
    "ItemFilters",
    "RepositoryOverview",
    "TimelineEntry",
    "comments_visible_to",
    "contributions_by_actor",
    "contributor_list",
    "contributor_profile",
    "issue_conversation",
    "issue_exists",
    "issue_get",
    "issue_list",
    "issues_visible_to",
    "pull_request_conversation",
    "pull_request_exists",
    "pull_request_get",
    "pull_request_list",
    "pull_requests_visible_to",
    "repositories_visible_to",
    "repository_contributor_counts",
    "repository_get_visible",
    "repository_list_with_counts",
    "repository_overview",
    "reviews_visible_to",
    "user_sees_private",
]
