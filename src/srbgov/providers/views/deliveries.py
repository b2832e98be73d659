"""The facility delivery register (分娩实名登记): the clerk's list, record form and
detail; the township sees its facilities' entries and its mothers' (docs/reconciliation.md §5)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from srbgov.accounts import roles
from srbgov.core.forms import render_form, run_service
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate
from srbgov.people.services import find_by_identity_number
from srbgov.providers import access, services
from srbgov.providers.delivery_forms import DeliveryForm, DeliverySearchForm
from srbgov.providers.exports import DELIVERIES


def _register(request: AuthedRequest) -> tuple[DeliverySearchForm, Any]:
    form = DeliverySearchForm(request.GET or None)
    entries = (
        access.deliveries_for_user(request.user)
        .select_related("facility", "village")
        .prefetch_related("children")
    )
    if form.is_valid():
        data = form.cleaned_data
        if q := (data["q"] or "").strip():
            number_hash = find_by_identity_number(q)
            entries = entries.filter(
                Q(id_number_hash=number_hash)
                if number_hash
                else Q(woman_name__contains=q)
            )
        if data["date_from"]:
            entries = entries.filter(delivered_on__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(delivered_on__lte=data["date_to"])
        if data["source"]:
            entries = entries.filter(source=data["source"])
    return form, entries


@authed(reach=roles.can_see_facilities)
def delivery_list(request: AuthedRequest) -> HttpResponse:
    form, entries = _register(request)
    page, query = paginate(request, entries)
    return render(
        request,
        "providers/delivery_list.html",
        {"form": form, "page": page, "query": query},
    )


@authed(reach=roles.can_see_facilities)
def delivery_export(request: AuthedRequest) -> HttpResponse:
    _form, entries = _register(request)
    return DELIVERIES.response(request, entries)


@authed(reach=roles.can_see_facilities)
def delivery_create(request: AuthedRequest) -> HttpResponse:
    facilities = access.facilities_for_user(request.user).exclude(kind="pharmacy")
    form = DeliveryForm(request.POST or None, facilities=facilities)
    if request.method == "POST" and (
        entry := run_service(
            form,
            lambda _d: services.record_facility_delivery(
                recorded_by=request.user, **form.service_arguments()
            ),
        )
    ):
        messages.success(request, _("分娩已登记。"))
        return redirect("providers:delivery_detail", pk=entry.pk)
    return render_form(
        request,
        form,
        title=_("分娩实名登记"),
        cancel_url=reverse("providers:delivery_list"),
        intro=_("每例分娩登记一次；双胎、多胎请逐一填写每个新生儿。"),
    )


@authed(reach=roles.can_see_facilities)
def delivery_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = access.get_delivery_for_user(request.user, pk)
    return render(
        request,
        "providers/delivery_detail.html",
        {"entry": entry, "children": list(entry.children.all())},
    )
