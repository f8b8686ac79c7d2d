"""Read queries for the model hub's pages: the triage queue and what each card shows."""

from models_hub.selectors.cards import (
    Neighbour,
    Signal,
    SuggestionGroup,
    SuggestionView,
    TriageCard,
    suggestion_view,
    triage_cards,
)
from models_hub.selectors.queue import (
    QUEUE_KINDS,
    QueueFilters,
    triage_issue_get,
    triage_queue,
    triage_queue_repositories,
    triage_result_get,
    triage_results_of_issue,
    triage_suggestion_get,
)

__all__ = [
    "QUEUE_KINDS",
    "Neighbour",
    "QueueFilters",
    "Signal",
    "SuggestionGroup",
    "SuggestionView",
    "TriageCard",
    "suggestion_view",
    "triage_cards",
    "triage_issue_get",
    "triage_queue",
    "triage_queue_repositories",
    "triage_result_get",
    "triage_results_of_issue",
    "triage_suggestion_get",
]
