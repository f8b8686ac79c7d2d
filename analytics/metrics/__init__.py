"""CHAOSS metrics as pure pandas functions: DataFrames in, DataFrames out, no ORM, no I/O.

Each function's docstring is its definition. Frames come from `analytics.selectors.frames`;
results are grouped by `repository_id` and `period_start` (see `periods`).
"""

from analytics.metrics.activity import (
    change_request_closure_ratio,
    item_flow,
    label_distribution,
    stale_items,
)
from analytics.metrics.attention import ATTENTION_LISTS, attention_items
from analytics.metrics.contributors import (
    absence_factor,
    active_contributors,
    cohort_activity,
    contribution_counts,
    first_time_funnel,
    retention_matrix,
)
from analytics.metrics.growth import forks_over_time, release_cadence, stars_over_time
from analytics.metrics.responsiveness import (
    first_responses,
    merge_lead_time,
    responsiveness,
    review_rounds,
    time_to_close,
    time_to_first_response,
    time_to_first_review,
)
from analytics.periods import PERIODS, period_floor, period_starts

__all__ = [
    "ATTENTION_LISTS",
    "PERIODS",
    "absence_factor",
    "active_contributors",
    "attention_items",
    "change_request_closure_ratio",
    "cohort_activity",
    "contribution_counts",
    "first_responses",
    "first_time_funnel",
    "forks_over_time",
    "item_flow",
    "label_distribution",
    "merge_lead_time",
    "period_floor",
    "period_starts",
    "release_cadence",
    "responsiveness",
    "retention_matrix",
    "review_rounds",
    "stale_items",
    "stars_over_time",
    "time_to_close",
    "time_to_first_response",
    "time_to_first_review",
]
