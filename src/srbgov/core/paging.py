"""Paging for every list page: the page, and the query string without `page`, so that
the pager links keep the user's filters."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(
    request: HttpRequest, items: Any, *, per_page: int | None = None
) -> tuple[Page[Any], str]:
    page = Paginator(items, per_page or settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
