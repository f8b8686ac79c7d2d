"""Every chart's data as CSV or JSON: the same numbers the chart draws, with the same filters."""

from __future__ import annotations

import csv
import json

from django.http import Http404, HttpRequest, HttpResponse

from analytics.charts import CHARTS_BY_SLUG
from analytics.forms import ComparisonForm, RangeForm
from analytics.selectors import dashboards as selectors
from analytics.selectors.people import contributor_activity
from community.selectors import repository_get_visible

FORMATS = ("csv", "json")


def chart_export(data: dict, *, fmt: str, filename: str) -> HttpResponse:
    """A chart's data: JSON {labels, datasets} or a CSV with one column per dataset."""
    if fmt == "json":
        body = {key: data[key] for key in ("labels", "datasets", "unit", "axes") if key in data}
        response = HttpResponse(json.dumps(body, indent=2), content_type="application/json")
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        writer.writerow(["period_start", *(d["label"] for d in data["datasets"])])
        for position, label in enumerate(data["labels"]):
            writer.writerow(
                [
                    label,
                    *("" if (v := d["data"][position]) is None else v for d in data["datasets"]),
                ]
            )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _repository(request: HttpRequest):
    full_name = request.GET.get("repository", "")
    if not full_name:
        return None
    owner, _, name = full_name.partition("/")
    repository = repository_get_visible(user=request.user, owner=owner, name=name)
    if repository is None:
        raise Http404("No such repository")
    return repository


def metric_chart_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    spec = CHARTS_BY_SLUG.get(slug)
    if spec is None or fmt not in FORMATS:
        raise Http404("No such chart")
    repository = _repository(request)
    metric_range = RangeForm(request.GET or None).metric_range()
    # Every metric of the range: the chart's x axis spans what the dashboard shows.
    series = selectors.rollup_series(
        user=request.user, repository=repository, metric_range=metric_range
    )
    scope = repository.full_name.replace("/", "-") if repository else "all-repositories"
    filename = f"{slug}-{scope}-{metric_range.period}"
    data = selectors.chart_data(spec, series, period=metric_range.period)
    return chart_export(data, fmt=fmt, filename=filename)


def comparison_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format")
    repositories = selectors.repositories_for_comparison(user=request.user)
    chosen, metric, value = ComparisonForm(request.GET or None, repositories=repositories).chosen()
    metric_range = RangeForm(request.GET or None).metric_range()
    data = selectors.comparison_series(
        repositories=chosen, metric=metric, value=value, metric_range=metric_range
    )
    return chart_export(data, fmt=fmt, filename=f"compare-{metric}-{value}")


def contributor_export(request: HttpRequest, login: str, fmt: str) -> HttpResponse:
    period = "week" if request.GET.get("period") == "week" else "month"
    activity = contributor_activity(user=request.user, login=login, period=period)
    if activity is None or fmt not in FORMATS:
        raise Http404("No such contributor")
    return chart_export(activity.chart, fmt=fmt, filename=f"contributions-{login}-{period}")
