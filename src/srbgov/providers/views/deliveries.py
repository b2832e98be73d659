"""The facility delivery register (分娩实名登记): the clerk's list, record form and
detail; the township sees its facilities' entries and its mothers' (docs/reconciliation.md §5)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.accounts import roles
from srbgov.core.forms import flash_outcome
from srbgov.core.http import AuthedRequest, authed
from srbgov.providers import access, services
from srbgov.providers.delivery_forms import (
    ChildCertificateForm,
    DeliveryForm,
    DeliverySearchForm,
)
from srbgov.providers.exports import DELIVERIES
from srbgov.providers.views import realname


def _register(request: AuthedRequest) -> tuple[DeliverySearchForm, Any]:
    form = DeliverySearchForm(request.GET or None)
    entries = (
        access.deliveries_for_user(request.user)
        .select_related("facility", "village")
        .prefetch_related("children")
    )
    if form.is_valid():
        data = form.cleaned_data
        entries = realname.search_entries(entries, data, date_field="delivered_on")
        if data["source"]:
            entries = entries.filter(source=data["source"])
        if data["to_complete"]:
            entries = access.deliveries_to_complete(request.user, entries)
    return form, entries


@authed(reach=roles.can_see_facilities)
def delivery_list(request: AuthedRequest) -> HttpResponse:
    form, entries = _register(request)
    return realname.list_page(request, "providers/delivery_list.html", form, entries)


@authed(reach=roles.can_see_facilities)
def delivery_export(request: AuthedRequest) -> HttpResponse:
    _form, entries = _register(request)
    return DELIVERIES.response(request, entries)


@authed(reach=roles.can_see_facilities)
def delivery_create(request: AuthedRequest) -> HttpResponse:
    form = DeliveryForm(
        request.POST or None, facilities=realname.register_facilities(request)
    )
    return realname.create_page(
        request,
        form,
        record=services.record_facility_delivery,
        saved=_("分娩已登记。"),
        detail_route="providers:delivery_detail",
        list_route="providers:delivery_list",
        title=_("分娩实名登记"),
        intro=_("每例分娩登记一次；双胎、多胎请逐一填写每个新生儿。"),
    )


@authed(reach=roles.can_see_facilities)
def delivery_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = access.get_delivery_for_user(request.user, pk)
    return render(
        request,
        "providers/delivery_detail.html",
        {
            "entry": entry,
            "children": list(entry.children.all()),
            "can_complete": access.writes_register_of(request.user, entry.facility_id),
        },
    )


@require_POST
@authed(reach=roles.can_see_facilities)
def delivery_certificate(request: AuthedRequest, pk: int) -> HttpResponse:
    """补录出生医学证明编号 of one child: only at a facility whose register the user
    writes (a keeper who sees the entry because the mother is hers does not)."""
    entry = access.get_delivery_to_write_for_user(request.user, pk)
    form = ChildCertificateForm(request.POST)
    child = (
        entry.children.filter(position=form.cleaned_data["child"]).first()
        if form.is_valid()
        else None
    )
    with flash_outcome(request, done=_("已补录出生医学证明编号。")):
        if child is None:
            raise ValidationError(_("请填写出生医学证明编号。"))
        services.complete_birth_certificate(
            by=request.user, child=child, number=form.cleaned_data["number"]
        )
    return redirect("providers:delivery_detail", pk=entry.pk)
