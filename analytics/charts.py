"""What each dashboard chart draws: which stored metric, which of its values, on which axis, and
what one point of it is (its tooltip).

A value is a count, a duration, a percentage or a ratio (`Series.measure`); values that are not
measured in the same way never share an axis. A count of things that happened in a period is 0
when nothing happened (no rollup row is stored then: a month with no release is a zero); any
other value of a period with nothing to measure (a median of no items, the total at the end of
a period nobody recorded) is a gap, and the tooltip says why.

Point texts are `str.format` templates over the period's stored values plus `period` ("Mar
2026", "the week of 2 Mar 2026"); `{count:issue}` writes "1 issue" / "14 issues" and
`{n:person|people}` names an irregular plural (see `analytics.chart_payload`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.text import slugify

from analytics.units import DAYS, HOURS, DurationUnit

# count: things that happened in the period; total: a state at the period's end; number: any
# other plain number (review rounds, people making half of the contributions).
COUNT, TOTAL, HOURS_MEASURE, DAYS_MEASURE, PERCENT, RATIO, NUMBER = (
    "count", "total", "hours", "days", "percent", "ratio", "number",
)  # fmt: skip
DURATIONS = (HOURS_MEASURE, DAYS_MEASURE)


@dataclass(frozen=True)
class Series:
    key: str  # the stored value
    label: str  # legend
    point: str  # what one point is, without its value
    measure: str = COUNT
    axis: str = "y"  # series with the same axis id share a y axis
    draw: str = ""  # "line" or "bar" in a mixed chart; "" = the chart's kind
    gap: str = ""  # why a stored period has no value (defaults to the chart's `absent`)

    @property
    def zero_when_absent(self) -> bool:
        """A count of what happened in a period is 0 when no row was stored for it."""
        return self.measure == COUNT


@dataclass(frozen=True)
class ChartSpec:
    metric: str
    title: str
    series: tuple[Series, ...]
    kind: str = "line"  # "line" or "bar" (Chart.js types)
    axes: dict[str, str] = field(default_factory=dict)  # axis id → title ("{unit}", "{per}")
    absent: str = "nothing to measure in {period}"  # why a period without a stored row is a gap
    help: str = ""  # the metric's definition, under the chart's title
    at_least: DurationUnit = HOURS  # time to close, release gaps: days, whatever the values

    @property
    def slug(self) -> str:
        return slugify(self.title)

    @property
    def fields(self) -> tuple[tuple[str, str], ...]:
        """(value key, legend label) of each series."""
        return tuple((s.key, s.label) for s in self.series)


RESPONSE_HELP = (
    "Time to the first comment{review} by another person, not a bot. Labels, assignments and "
    "closing are triage, not a response. Per period of opening; bots' items are left out."
)


def _durations(what: str, items: str, gap: str = "") -> tuple[Series, Series]:
    """The median and p90 series of a duration metric stored as count/median/p90 in hours.

    `items` names the items measured, e.g. "the {count:issue} closed in {period}"; `gap` says
    why a stored period has no duration (its items have not got there yet).
    """
    return (
        Series("median", "median", f"Median {what} of {items}", HOURS_MEASURE, gap=gap),
        Series("p90", "p90", f"90th percentile of the {what} of {items}", HOURS_MEASURE,
               gap=gap),
    )  # fmt: skip


ISSUES_ANSWERED = "the {answered:issue} answered, of {count:issue} opened in {period}"
PRS_ANSWERED = "the {answered:pull request} answered, of {count:pull request} opened in {period}"
PRS_REVIEWED = "the {reviewed:pull request} reviewed, of {count:pull request} opened in {period}"

CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec(
        "issue_first_response", "Time to first response: issues",
        _durations("time to first response", ISSUES_ANSWERED,
                   "{count:issue} opened in {period}, none answered yet"),
        axes={"y": "{unit}"}, absent="no issues opened in {period}",
        help=RESPONSE_HELP.format(review=""),
    ),
    ChartSpec(
        "pr_first_response", "Time to first response: pull requests",
        _durations("time to first response", PRS_ANSWERED,
                   "{count:pull request} opened in {period}, none answered yet"),
        axes={"y": "{unit}"}, absent="no pull requests opened in {period}",
        help=RESPONSE_HELP.format(review=" or review"),
    ),
    ChartSpec(
        "pr_first_review", "Time to first review",
        _durations("time to first review", PRS_REVIEWED,
                   "{count:pull request} opened in {period}, none reviewed yet"),
        axes={"y": "{unit}"}, absent="no pull requests opened in {period}",
        help="Time from opening a pull request to its first submitted review by another "
        "person (not a bot), per period of opening.",
    ),
    ChartSpec(
        "issue_time_to_close", "Time to close issues",
        _durations("time from opening to closing", "the {count:issue} closed in {period}"),
        axes={"y": "{unit}"}, absent="no issues closed in {period}", at_least=DAYS,
        help="Time from opening to the last close, per period of closing (people's issues).",
    ),
    ChartSpec(
        "pr_merge_lead_time", "PR merge lead time",
        _durations("time from opening to merge", "the {count:pull request} merged in {period}"),
        axes={"y": "{unit}"}, absent="no pull requests merged in {period}",
        help="Time from opening to merging, per period of merging; unmerged ones are left out.",
    ),
    ChartSpec(
        "pr_review_rounds", "Review rounds per closed PR",
        (
            Series("median", "median", "Median review rounds of the {count:pull request} "
                   "closed in {period}", NUMBER),
            Series("p90", "p90", "90th percentile of the review rounds of the "
                   "{count:pull request} closed in {period}", NUMBER),
            Series("mean", "mean", "Mean review rounds of the {count:pull request} closed "
                   "in {period}", NUMBER),
        ),
        axes={"y": "review rounds"}, absent="no pull requests closed in {period}",
        help="0 when nobody reviewed, else 1 plus one per review requesting changes.",
    ),
    ChartSpec(
        "issue_responsiveness", "New issues answered within 48 h",
        (Series("percent", "answered in 48 h",
                "Share of the {opened:issue} opened in {period} answered within 48 h "
                "({answered_in_time} of them)", PERCENT),),
        axes={"y": "% of new issues"}, absent="no issues opened in {period}",
    ),
    ChartSpec(
        "issue_flow", "Issues opened vs closed",
        (
            Series("opened", "opened", "Issues opened by people in {period}"),
            Series("closed", "closed", "People's issues closed in {period}"),
            Series("bot_opened", "opened by bots", "Issues opened by bots in {period}"),
        ),
        kind="bar", axes={"y": "issues {per}"},
    ),
    ChartSpec(
        "pr_flow", "Pull requests opened, merged, closed",
        (
            Series("opened", "opened", "Pull requests opened by people in {period}"),
            Series("merged", "merged", "Pull requests merged in {period}"),
            Series("closed", "closed", "People's pull requests closed (merged or not) in "
                   "{period}"),
            Series("bot_opened", "opened by bots", "Pull requests opened by bots in {period}"),
        ),
        kind="bar", axes={"y": "pull requests {per}"},
    ),
    ChartSpec(
        "issue_flow", "Open backlog",
        (Series("backlog", "open issues", "Issues open at the end of {period}", TOTAL,
                axis="total"),),
        axes={"total": "open issues"}, absent="no count stored for {period}",
    ),
    ChartSpec(
        "change_request_closure_ratio", "Change request closure ratio",
        (Series("ratio", "closed ÷ opened", "Pull requests closed in {period} ({closed}) "
                "÷ pull requests opened in it ({opened})", RATIO),),
        axes={"y": "closed ÷ opened"}, absent="no pull requests opened in {period}",
    ),
    ChartSpec(
        "contributors", "Contributors",
        (
            Series("active", "active", "People who contributed in {period}"),
            Series("new", "new", "People whose first contribution was in {period}"),
            Series("returning", "returning", "People who contributed in {period} and before"),
            Series("bot_active", "bots (apart)", "Bots active in {period}"),
        ),
        kind="bar", axes={"y": "people {per}"},
        help="A contribution is an issue, a pull request, a comment or a review.",
    ),
    ChartSpec(
        "first_time_funnel", "First-time contributor funnel",
        (
            Series("first_prs", "first PR", "People who opened their first pull request in "
                   "{period}"),
            Series("merged", "merged", "People whose first pull request, opened in {period}, "
                   "was merged"),
            Series("second_contribution", "came back", "People whose first pull request was "
                   "opened in {period} and who contributed again later"),
        ),
        kind="bar", axes={"y": "people {per}"},
    ),
    ChartSpec(
        "absence_factor", "Contributor absence factor",
        (Series("absence_factor", "people making 50% of contributions",
                "Fewest people making half of the {contributions:contribution} of "
                "{contributors:person|people} in {period}", NUMBER),),
        axes={"y": "people"}, absent="no contributions in {period}",
    ),
    ChartSpec(
        "stars", "Stars",
        (
            Series("total", "total", "Stars at the end of {period}", TOTAL, axis="total"),
            Series("new", "new", "Stars given in {period}", axis="y", draw="bar"),
        ),
        axes={"total": "stars (total)", "y": "new stars {per}"},
        absent="no count stored for {period}",
    ),
    ChartSpec(
        "forks", "Forks",
        (Series("forks", "forks", "Forks at the end of {period} (the last daily snapshot)",
                TOTAL, axis="total"),),
        axes={"total": "forks"}, absent="no snapshot taken in {period}",
        help="GitHub gives only today's count: the history starts with Steward's snapshots.",
    ),
    ChartSpec(
        "releases", "Releases",
        (
            Series("releases", "releases", "Releases published in {period}"),
            Series("median_days_between", "median time between releases",
                   "Median time between each release published in {period} and the one "
                   "before it", DAYS_MEASURE, axis="duration", draw="line"),
        ),
        kind="bar", axes={"y": "releases {per}", "duration": "{unit} between releases"},
        absent="no release in {period}: no time between releases", at_least=DAYS,
    ),
)  # fmt: skip

CHARTS_BY_SLUG = {chart.slug: chart for chart in CHARTS}

# Values a repository comparison can draw: "metric.value" → label.
COMPARABLE = {
    f"{chart.metric}.{series.key}": f"{chart.title} — {series.label}"
    for chart in CHARTS
    for series in chart.series
}
# "metric.value" → the chart and series it comes from (the first chart drawing it).
COMPARABLE_SERIES: dict[str, tuple[ChartSpec, Series]] = {}
for _chart in CHARTS:
    for _series in _chart.series:
        COMPARABLE_SERIES.setdefault(f"{_chart.metric}.{_series.key}", (_chart, _series))
