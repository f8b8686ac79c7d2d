"""What each dashboard chart draws: which stored metric, which of its values, how."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import slugify


@dataclass(frozen=True)
class ChartSpec:
    metric: str
    title: str
    fields: tuple[tuple[str, str], ...]  # (value key, legend label)
    kind: str = "line"  # "line" or "bar" (Chart.js types)
    unit: str = ""
    help: str = ""

    @property
    def slug(self) -> str:
        return slugify(self.title)


CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec("issue_first_response", "Time to first response: issues",
              (("median", "median"), ("p90", "p90")), unit="hours",
              help="First comment, review, label or close by someone else, not a bot."),
    ChartSpec("pr_first_response", "Time to first response: pull requests",
              (("median", "median"), ("p90", "p90")), unit="hours"),
    ChartSpec("pr_first_review", "Time to first review",
              (("median", "median"), ("p90", "p90")), unit="hours"),
    ChartSpec("issue_time_to_close", "Time to close issues",
              (("median", "median"), ("p90", "p90")), unit="hours"),
    ChartSpec("pr_merge_lead_time", "PR merge lead time",
              (("median", "median"), ("p90", "p90")), unit="hours"),
    ChartSpec("pr_review_rounds", "Review rounds per closed PR",
              (("median", "median"), ("p90", "p90"), ("mean", "mean"))),
    ChartSpec("issue_responsiveness", "New issues answered within 48 h",
              (("percent", "answered in 48 h"),), unit="%"),
    ChartSpec("issue_flow", "Issues opened vs closed",
              (("opened", "opened"), ("closed", "closed"), ("bot_opened", "opened by bots")),
              kind="bar"),
    ChartSpec("pr_flow", "Pull requests opened, merged, closed",
              (("opened", "opened"), ("merged", "merged"), ("closed", "closed"),
               ("bot_opened", "opened by bots")), kind="bar"),
    ChartSpec("issue_flow", "Open backlog", (("backlog", "open issues"),)),
    ChartSpec("change_request_closure_ratio", "Change request closure ratio",
              (("ratio", "closed ÷ opened"),)),
    ChartSpec("contributors", "Contributors",
              (("active", "active"), ("new", "new"), ("returning", "returning"),
               ("bot_active", "bots (apart)")), kind="bar"),
    ChartSpec("first_time_funnel", "First-time contributor funnel",
              (("first_prs", "first PR"), ("merged", "merged"),
               ("second_contribution", "came back")), kind="bar"),
    ChartSpec("absence_factor", "Contributor absence factor",
              (("absence_factor", "people making 50% of contributions"),)),
    ChartSpec("stars", "Stars", (("total", "total"), ("new", "new"))),
    ChartSpec("forks", "Forks", (("forks", "forks"),)),
    ChartSpec("releases", "Releases",
              (("releases", "releases"), ("median_days_between", "median days between")),
              kind="bar"),
)  # fmt: skip

CHARTS_BY_SLUG = {chart.slug: chart for chart in CHARTS}

# Values a repository comparison can draw: "metric.value" → label.
COMPARABLE = {
    f"{chart.metric}.{key}": f"{chart.title} — {label}"
    for chart in CHARTS
    for key, label in chart.fields
}
