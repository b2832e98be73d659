"""What every care list page shares: the page, the same columns as its sheet."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render

from srbgov.core.http import AuthedRequest
from srbgov.core.paging import paginate
from srbgov.reports.exports import Export


def render_list(
    request: AuthedRequest,
    *,
    title: str,
    export: Export[Any],
    items: Iterable[Any],
    link: Callable[[Any], str] | None = None,
    export_url: str = "",
    form: forms.Form | None = None,
    actions: list[tuple[str, str]] | None = None,
    intro: str = "",
) -> HttpResponse:
    """The list page: its rows are `export`'s cells, so page and .xlsx agree."""
    page, query = paginate(request, items)
    table = export.table(page.object_list)
    links = [link(item) if link else "" for item in page.object_list]
    return render(
        request,
        "care/list.html",
        {
            "title": title,
            "intro": intro,
            "headers": table.headers,
            "rows": list(zip(links, table.rows, strict=True)),
            "page": page,
            "query": query,
            "form": form,
            "export_url": export_url,
            "actions": actions or [],
        },
    )
