"""The termination-drug ledger of a facility: stock, purchases, real-name dispensing."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from srbgov.accounts import roles
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.core.forms import render_form, run_service
from srbgov.core.http import AuthedRequest, authed, require
from srbgov.providers import access, exports, services
from srbgov.providers.forms import DispensingForm, DrugItemForm, PurchaseForm

LEDGER_ROWS = 50


@authed(reach=roles.can_see_facilities)
def drug_ledger(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = access.get_facility_for_user(request.user, pk)
    dispensings = facility.drug_dispensings.select_related("drug")[:LEDGER_ROWS]
    record(
        user=request.user,
        action=AuditAction.READ,
        obj=facility,
        detail={"drug_ledger": True},
    )
    return render(
        request,
        "providers/drug_ledger.html",
        {
            "facility": facility,
            "stock": services.stock_of(facility),
            "purchases": facility.drug_purchases.select_related("drug")[:LEDGER_ROWS],
            "dispensings": dispensings,
            "drugs": services.drugs_for(facility.area),
            "can_add_drugs": roles.can_add_drugs(request.user),
        },
    )


@authed(reach=roles.can_see_facilities)
def drug_purchase_create(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = access.get_facility_for_user(request.user, pk)
    form = PurchaseForm(request.POST or None, drugs=services.drugs_for(facility.area))
    if request.method == "POST" and run_service(
        form,
        lambda d: services.record_purchase(by=request.user, facility=facility, **d),
    ):
        messages.success(request, _("购进已登记。"))
        return redirect("providers:drug_ledger", pk=facility.pk)
    return render_form(
        request,
        form,
        title=_("药品购进登记：%(name)s") % {"name": facility.name},
        cancel_url=reverse("providers:drug_ledger", args=[facility.pk]),
    )


@authed(reach=roles.can_see_facilities)
def drug_dispensing_create(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = access.get_facility_for_user(request.user, pk)
    form = DispensingForm(request.POST or None, drugs=services.drugs_for(facility.area))
    if request.method == "POST" and (
        given := run_service(
            form,
            lambda d: services.record_dispensing(
                by=request.user, facility=facility, **d
            ),
        )
    ):
        if facility.is_pharmacy:
            messages.warning(
                request, _("已登记。零售药店销售终止妊娠药品属违规，已发出预警。")
            )
        else:
            messages.success(
                request, _("发药已登记：%(name)s") % {"name": given.woman_name}
            )
        return redirect("providers:drug_ledger", pk=facility.pk)
    intro = (
        _("零售药店不得销售终止妊娠药品；此处登记的销售将作为违规线索处理。")
        if facility.is_pharmacy
        else _("凭处方实名发放，库存不足时不能登记。")
    )
    return render_form(
        request,
        form,
        title=_("药品发放登记：%(name)s") % {"name": facility.name},
        cancel_url=reverse("providers:drug_ledger", args=[facility.pk]),
        intro=intro,
    )


@authed(reach=roles.can_add_drugs)
def drug_item_create(request: AuthedRequest) -> HttpResponse:
    require(roles.can_add_drugs, request.user)
    form = DrugItemForm(request.POST or None)
    if request.method == "POST" and run_service(
        form,
        lambda d: services.add_drug_item(
            by=request.user, county=request.user.scope, **d
        ),
    ):
        messages.success(request, _("已加入本县终止妊娠药品目录。"))
        return redirect("providers:facility_list")
    return render_form(
        request,
        form,
        title=_("增加终止妊娠药品"),
        cancel_url=reverse("providers:facility_list"),
        intro=_(
            "米非司酮、米索前列醇已在目录中；这里增加本县需要纳入台账管理的其他药品。"
        ),
    )


@authed(reach=roles.can_see_facilities)
def drug_export(request: AuthedRequest) -> HttpResponse:
    """The whole ledger in scope: purchases (+) and real-name dispensing (−)."""
    purchases = access.purchases_for_user(request.user).select_related(
        "facility", "drug"
    )
    dispensings = access.dispensings_for_user(request.user).select_related(
        "facility", "drug"
    )
    lines = exports.ledger_lines(purchases, dispensings)
    return exports.DRUG_LEDGER.response(request, lines)
