"""What the real-name register pages (the exam and the delivery registers) share: the
search by name or identity number and dates, the paged list and the record form that
hands the cleaned data to the register's service (docs/registers.md §2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from srbgov.core.forms import render_form, run_service
from srbgov.core.http import AuthedRequest
from srbgov.core.paging import paginate
from srbgov.people.services import find_by_identity_number
from srbgov.providers import access
from srbgov.reports.exports import Export


def search_entries(entries: Any, data: dict[str, Any], *, date_field: str) -> Any:
    """Her entries by name or, when the text is a number in the registry, by its hash
    (never by the clear number, docs/security.md §1); then the date range."""
    if q := (data["q"] or "").strip():
        number_hash = find_by_identity_number(q)
        entries = entries.filter(
            Q(id_number_hash=number_hash) if number_hash else Q(woman_name__contains=q)
        )
    if data["date_from"]:
        entries = entries.filter(**{f"{date_field}__gte": data["date_from"]})
    if data["date_to"]:
        entries = entries.filter(**{f"{date_field}__lte": data["date_to"]})
    return entries


def list_page(
    request: AuthedRequest,
    template: str,
    form: forms.Form,
    entries: Any,
    *,
    table: Export[Any] | None = None,
    **context: Any,
) -> HttpResponse:
    """A register's list page; with `table` (its export), the page's rows drawn as
    the sheet's columns (`table` in the context)."""
    page, query = paginate(request, entries)
    if table is not None:
        context["table"] = table.page(page.object_list)
    return render(
        request, template, {"form": form, "page": page, "query": query, **context}
    )


def register_facilities(request: AuthedRequest) -> Any:
    """The facilities whose register the user may write to (pharmacies keep none)."""
    return access.register_facilities_for_user(request.user)


def create_page(
    request: AuthedRequest,
    form: forms.Form,
    *,
    record: Callable[..., Any],
    saved: str,
    detail_route: str,
    list_route: str,
    title: str,
    intro: str,
) -> HttpResponse:
    """The record form: `record(recorded_by=…, **form.service_arguments())` in one
    transaction; on success to the entry's detail page."""
    arguments: Callable[[], dict[str, Any]] = form.service_arguments  # type: ignore[attr-defined]
    if request.method == "POST" and (
        entry := run_service(
            form, lambda _d: record(recorded_by=request.user, **arguments())
        )
    ):
        messages.success(request, saved)
        return redirect(detail_route, pk=entry.pk)
    return render_form(
        request, form, title=title, cancel_url=reverse(list_route), intro=intro
    )
