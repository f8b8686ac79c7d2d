"""Ad-hoc reports like github/issue-metrics: the chosen items, their metrics, and exports."""

from __future__ import annotations

import csv

import pandas as pd
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from analytics.metrics.reports import duration_columns, report_summary
from analytics.selectors.reports import report_build
from analytics.views.report_forms import PRESETS, ReportForm
from analytics.views.report_markdown import duration_text, report_markdown
from community.selectors.visibility import repositories_visible_to

PAGE_SIZE = 50
CSV_COLUMNS = ["repository", "kind", "number", "title", "url", "author", "first_time",
               "created_at", "first_response_at", "closed_at", "merged_at"]  # fmt: skip


def _report(request: HttpRequest):
    repositories = list(repositories_visible_to(user=request.user).order_by("full_name"))
    form = ReportForm(request.GET or None, repositories=repositories)
    window = form.window()
    filters = form.filters()
    chosen = [r for r in repositories if r.full_name == filters["repository"]] or None
    kinds = filters["kinds"]
    report = report_build(
        user=request.user, kinds=kinds, repositories=chosen, start=window.start, end=window.end,
        labels=filters["labels"], state=filters["state"], author_type=filters["author_type"],
        measure=filters["measure"],
    )  # fmt: skip
    # PR-only metrics (time to merge, time in draft, merged PRs) are not shown for issues
    report.summary = report_summary(report.table, labels=filters["measure"], kinds=kinds)
    return form, window, filters, report


def _rows(table: pd.DataFrame, measure: list[str], kinds: list[str]) -> list[dict]:
    """Table rows with each duration as text, in the order of `duration_columns`."""
    columns = list(duration_columns(measure, kinds=kinds))
    rows = table.to_dict("records")
    for row in rows:
        row["owner"], _, row["name"] = row["repository"].partition("/")
        row["durations"] = [duration_text(row[column]) for column in columns]
    return rows


def report(request: HttpRequest) -> HttpResponse:
    form, window, filters, built = _report(request)
    rows = _rows(built.table, filters["measure"], filters["kinds"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    durations = [
        {**d, **{k: duration_text(d[k]) for k in ("average", "median", "p90")}}
        for d in built.summary["durations"]
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "analytics/reports/report.html",
        {
            "form": form,
            "window": window,
            "presets": PRESETS,
            "filters": filters,
            "durations": durations,
            "duration_titles": list(
                duration_columns(filters["measure"], kinds=filters["kinds"]).values()
            ),
            "counts": built.summary["counts"],
            "page": page,
            "export_query": query.urlencode(),
        },
    )


def report_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The report as markdown (what issue-metrics writes) or CSV (one row per item)."""
    if fmt not in ("md", "csv"):
        raise Http404("Unknown format")
    _, window, filters, built = _report(request)
    if fmt == "md":
        text = report_markdown(built.table, built.summary, window=window, filters=filters)
        response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="report.md"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="report.csv"'
    writer = csv.writer(response)
    columns = [*CSV_COLUMNS, *duration_columns(filters["measure"], kinds=filters["kinds"])]
    writer.writerow(columns)
    for row in built.table[columns].itertuples(index=False):
        writer.writerow(_csv_cell(value) for value in row)
    return response


def _csv_cell(value):
    """ISO timestamps, hours rounded to 0.01, blanks for none; text that a spreadsheet would
    run as a formula (=, +, -, @ first) is quoted with a leading apostrophe."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
