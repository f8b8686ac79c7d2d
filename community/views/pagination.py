from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 25


def paginate(request: HttpRequest, rows, *, per_page: int = PAGE_SIZE) -> Page:
    """The requested page of `rows`; a missing or out-of-range `page` gives the nearest page."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))
