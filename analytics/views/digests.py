"""Digest pages: a repository's digests, one digest, its markdown (download and preview), and
the staff's "Generate now"."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.decorators import maintainer_required
from accounts.permissions import may_maintain
from analytics.digests import digest_generate, digest_markdown, period_bounds, period_start_parse
from analytics.digests.present import numbers_rows, period_title
from analytics.forms import DigestGenerateForm
from analytics.models.rollups import Period
from analytics.selectors.digests import digest_get, digest_list, digest_neighbours
from community.markdown import render_markdown
from community.selectors import repository_get_visible


def _repository(request: HttpRequest, owner: str, name: str):
    repository = repository_get_visible(user=request.user, owner=owner, name=name)
    if repository is None:
        raise Http404("No such repository")
    return repository


def _page(repository, **context) -> dict:
    """Context every digest page shares (the repository header and URL arguments)."""
    owner, name = repository.full_name.split("/", 1)
    return {
        "repository": repository,
        "repo_owner": owner,
        "repo_name": name,
        "section": "digests",
        **context,
    }


def _digest_page(digest, **context) -> dict:
    title = period_title(period=digest.period, start=digest.start)
    return _page(digest.repository, digest=digest, title=title, **context)


def _digest(request: HttpRequest, owner: str, name: str, period: str, start: str):
    repository = _repository(request, owner, name)
    day = period_start_parse(period=period, text=start)
    digest = day and digest_get(repository=repository, period=period, start=day)
    if not digest:
        raise Http404("No such digest")
    return digest


def _digest_url(digest, view: str = "digest") -> str:
    owner, name = digest.repository.full_name.split("/", 1)
    return reverse(f"analytics:{view}", args=(owner, name, digest.period, digest.start.isoformat()))


def digest_index(request: HttpRequest, owner: str, name: str) -> HttpResponse:
    repository = _repository(request, owner, name)
    period = Period.MONTH if request.GET.get("period") == Period.MONTH else Period.WEEK
    digests = [
        {
            "digest": digest,
            "title": period_title(period=period, start=digest.start),
            "last_day": digest.end - dt.timedelta(days=1),
        }
        for digest in digest_list(repository=repository, period=period)
    ]
    form = None
    if may_maintain(request.user, repository):
        form = DigestGenerateForm(initial={"period": period, "day": timezone.now().date()})
    return render(
        request,
        "analytics/digest_list.html",
        _page(repository, period=period, digests=digests, generate_form=form),
    )


def digest_detail(
    request: HttpRequest, owner: str, name: str, period: str, start: str
) -> HttpResponse:
    digest = _digest(request, owner, name, period, start)
    content = digest.content
    attention = content["attention"]
    older, newer = digest_neighbours(digest=digest)
    return render(
        request,
        "analytics/digest_detail.html",
        _digest_page(
            digest,
            last_day=digest.end - dt.timedelta(days=1),
            content=content,
            numbers=numbers_rows(content["numbers"], in_progress=not digest.is_final),
            attention=[
                (key, title, attention["totals"].get(key, 0), attention["lists"].get(key, []))
                for key, title in attention["titles"].items()
            ],
            attention_as_of=dt.datetime.fromisoformat(attention["as_of"]),
            older=older and _digest_url(older),
            newer=newer and _digest_url(newer),
        ),
    )


def digest_markdown_export(
    request: HttpRequest, owner: str, name: str, period: str, start: str
) -> HttpResponse:
    digest = _digest(request, owner, name, period, start)
    response = HttpResponse(digest_markdown(digest), content_type="text/markdown; charset=utf-8")
    filename = f"{digest.repository.full_name.replace('/', '-')}-{period}-{start}.md"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def digest_markdown_preview(
    request: HttpRequest, owner: str, name: str, period: str, start: str
) -> HttpResponse:
    digest = _digest(request, owner, name, period, start)
    text = digest_markdown(digest)
    return render(
        request,
        "analytics/digest_markdown.html",
        _digest_page(
            digest,
            markdown=text,
            # render_markdown sanitises (nh3); the template marks it safe.
            rendered=render_markdown(text),
        ),
    )


@maintainer_required
@require_POST
def digest_generate_now(request: HttpRequest, owner: str, name: str) -> HttpResponse:
    repository = _repository(request, owner, name)
    if not may_maintain(request.user, repository):
        raise PermissionDenied("Only this repository's maintainers generate its digests.")
    form = DigestGenerateForm(request.POST)
    back = reverse("analytics:digests", args=(owner, name))
    if not form.is_valid():
        messages.error(request, "Choose a period and a day.")
        return redirect(back)
    period = form.cleaned_data["period"]
    start, _ = period_bounds(period=period, day=form.cleaned_data["day"])
    try:
        digest = digest_generate(repository=repository, period=period, start=start, force=True)
    except ValueError as error:
        messages.error(request, f"No digest generated: {error}.")
        return redirect(f"{back}?period={period}")
    title = period_title(period=period, start=start)
    messages.success(request, f"Generated the digest of {title}.")
    return redirect(_digest_url(digest))
