"""Overview across repositories, one dashboard per repository, one page per contributor."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from analytics.charts import COMPARABLE
from analytics.forms import ComparisonForm, RangeForm
from analytics.metrics import ATTENTION_LISTS
from analytics.models import Scope
from analytics.selectors import dashboards as selectors
from analytics.selectors.people import contributor_activity
from community.selectors import repository_get_visible


def _dashboard_context(request: HttpRequest, repository) -> dict:
    form = RangeForm(request.GET or None)
    metric_range = form.metric_range()
    series = selectors.rollup_series(
        user=request.user, repository=repository, metric_range=metric_range
    )
    attention = selectors.attention_lists(user=request.user, repository=repository)
    query = {"period": metric_range.period, "start": metric_range.start, "end": metric_range.end}
    if repository is not None:
        query["repository"] = repository.full_name
    return {
        "form": form.showing(metric_range),
        "metric_range": metric_range,
        "repository": repository,
        "charts": selectors.charts_build(series, period=metric_range.period),
        "export_query": "&".join(f"{k}={v}" for k, v in query.items()),
        "retention": selectors.retention_rows(series),
        "attention": [
            (name, title, attention["lists"].get(name, []))
            for name, title in ATTENTION_LISTS.items()
        ],
        "attention_computed_at": attention["computed_at"],
        "has_data": bool(series),
    }


def overview(request: HttpRequest) -> HttpResponse:
    context = _dashboard_context(request, None)
    repositories = selectors.repositories_for_comparison(user=request.user)
    comparison = ComparisonForm(request.GET or None, repositories=repositories)
    chosen, metric, value = comparison.chosen()
    context.update(
        comparison_form=comparison.showing(chosen, metric, value),
        comparison_title=COMPARABLE.get(f"{metric}.{value}", metric),
        comparison=selectors.comparison_series(
            repositories=chosen, metric=metric, value=value, metric_range=context["metric_range"]
        ),
        repositories=repositories,
        **_overview_scope(request.user, repositories),
    )
    return render(request, "analytics/overview.html", context)


def _overview_scope(user, repositories) -> dict:
    """What the overview's numbers cover, said truthfully. The stored aggregates are the
    public repositories' or (for those who see every private repository) all repositories':
    a maintainer of one private repository gets the public aggregate, so the label says
    "public" and links the private repositories' own dashboards instead."""
    if selectors.aggregate_scope_for(user=user) == Scope.ALL:
        return {"scope_public_only": False, "scope_count": len(repositories), "own_private": []}
    public = [r for r in repositories if not r.private]
    return {
        "scope_public_only": True,
        "scope_count": len(public),
        "own_private": [r for r in repositories if r.private],
    }


def repository_dashboard(request: HttpRequest, owner: str, name: str) -> HttpResponse:
    repository = repository_get_visible(user=request.user, owner=owner, name=name)
    if repository is None:
        raise Http404("No such repository")
    return render(request, "analytics/repository.html", _dashboard_context(request, repository))


def contributor(request: HttpRequest, login: str) -> HttpResponse:
    period = "week" if request.GET.get("period") == "week" else "month"
    activity = contributor_activity(user=request.user, login=login, period=period)
    if activity is None:
        raise Http404("No such contributor")
    return render(
        request,
        "analytics/contributor.html",
        {
            "activity": activity,
            "period": period,
            "chart": {"id": "chart-contributions", "data": activity.chart},
        },
    )
