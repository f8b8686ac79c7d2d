"""Activity digests: what happened in one repository in one week or month.

`digest_generate` computes a digest's sections and stores them (`analytics.models.Digest`);
pages, the markdown export and the API render the stored content. Sections: numbers that moved
(the CHAOSS metrics of the dashboards, this period against the previous one), merged pull
requests and releases, newcomers, items needing attention (the dashboards' attention lists, as
of the period's end) and themes (clusters of the period's stored issue embeddings).
"""

from analytics.digests.markdown import digest_markdown
from analytics.digests.service import digest_generate, digests_backfill, digests_refresh
from analytics.periods import period_bounds, period_shift, period_start_parse

__all__ = [
    "digest_generate",
    "digest_markdown",
    "digests_backfill",
    "digests_refresh",
    "period_bounds",
    "period_shift",
    "period_start_parse",
]
