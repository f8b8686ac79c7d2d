"""A report as markdown, laid out like github/issue-metrics' issue_metrics.md. Every text from
GitHub is escaped as the digests escape it: no markdown, no raw HTML, no @-mention."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd

from analytics.digests.markdown import escape
from analytics.metrics.reports import duration_columns
from community.links import safe_url

# As in the digests: kept as they are in a link destination; the rest is percent-encoded.
_URL_SAFE = ":/?#@!$&+,;=%~"


def _item_link(row: dict) -> str:
    text = escape(f"{row['repository']}#{row['number']}")
    checked = safe_url(row["url"])
    return f"[{text}]({quote(checked, safe=_URL_SAFE)})" if checked else text


def duration_text(hours) -> str:
    """ "3 d 4 h", "5 h 12 min", "40 min"; "—" when there is none."""
    if hours is None or pd.isna(hours):
        return "—"
    minutes = round(float(hours) * 60)
    days, rest = divmod(minutes, 24 * 60)
    hours_part, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours_part} h"
    if hours_part:
        return f"{hours_part} h {mins} min"
    return f"{mins} min"


def _filters_text(window, filters: dict) -> list[str]:
    kinds = {"issue": "issues", "pr": "pull requests", "both": "issues and pull requests"}
    lines = [
        f"- Items: {kinds[filters['kind']]} opened: {escape(window.label.lower())}"
        + (
            f" ({window.first_day:%Y-%m-%d} to {window.last_day:%Y-%m-%d})"
            if window.first_day and window.preset != "custom"
            else ""
        ),
        f"- Repository: {escape(filters['repository'] or 'all visible repositories')}",
        f"- Opened by: {filters['author_type'].replace('_', '-')}",
        f"- State: {filters['state']}",
    ]
    if filters["measure"]:
        lines.append("- Time in labels: " + ", ".join(escape(name) for name in filters["measure"]))
    if filters["labels"]:
        lines.append(
            "- Labels (all of): " + ", ".join(escape(label) for label in filters["labels"])
        )
    return lines


def report_markdown(table: pd.DataFrame, summary: dict, *, window, filters: dict) -> str:
    lines = ["# Issue metrics", "", *_filters_text(window, filters), ""]
    lines += ["| Metric | Average | Median | 90th percentile | Items |",
              "| --- | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for d in summary["durations"]:
        average, median, p90 = (duration_text(d[k]) for k in ("average", "median", "p90"))
        lines.append(f"| {escape(d['label'])} | {average} | {median} | {p90} | {d['count']} |")
    counts = summary["counts"]
    lines += ["", "| Metric | Count |", "| --- | ---: |",
              f"| Number of items that remain open | {counts['open']} |",
              f"| Number of items closed | {counts['closed']} |",
              *([f"| Number of pull requests merged | {counts['merged']} |"]
                if counts["merged"] is not None else []),
              f"| Number of items by first-time contributors | {counts['first_time']} |",
              f"| Total number of items created | {counts['total']} |", ""]  # fmt: skip
    columns = duration_columns(filters["measure"], kinds=filters.get("kinds", ("issue", "pr")))
    titles = " | ".join(escape(title) for title in columns.values())
    lines += [f"| Title | Item | Author | {titles} |", "| --- " * (3 + len(columns)) + "|"]
    for row in table.to_dict("records"):
        times = " | ".join(duration_text(row[column]) for column in columns)
        lines.append(
            f"| {escape(row['title'])} | {_item_link(row)} | {escape(row['author'] or 'ghost')} "
            f"| {times} |"
        )
    return "\n".join(lines) + "\n"
