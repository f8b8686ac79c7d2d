"""Cursor pagination for the data lists: stable pages over growing tables (no page numbers that
shift when an item is added), `page_size` up to 100."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination, PageNumberPagination


class DataCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    # Overridden per view; `?ordering=` (the view's OrderingFilter) picks another listed field.
    ordering = "-created_at"


class SearchPagination(PageNumberPagination):
    """Search results are a ranked list of bounded length: numbered pages."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
