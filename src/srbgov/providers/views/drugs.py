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
from srbgov.core.http import AuthedRequest, authed, require
from srbgov.providers import access, services
from srbgov.providers.forms import DispensingForm, DrugItemForm, PurchaseForm
from srbgov.providers.views.common import render_form, run_service
from srbgov.reports.xlsx import rows_to_xlsx, xlsx_response

LEDGER_ROWS = 50


@authed
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


@authed
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


@authed
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


@authed
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


@authed
def drug_export(request: AuthedRequest) -> HttpResponse:
    """The whole ledger in scope: purchases (+) and real-name dispensing (−)."""
    purchases = access.purchases_for_user(request.user).select_related(
        "facility", "drug"
    )
    rows: list[tuple[object, ...]] = [
        (
            p.facility.name,
            p.purchased_on,
            _("购进"),
            str(p.drug),
            p.quantity,
            p.supplier,
            p.batch_number,
            "",
            "",
            "",
        )
        for p in purchases
    ]
    rows += [
        (
            d.facility.name,
            d.dispensed_on,
            _("发放"),
            str(d.drug),
            -d.quantity,
            "",
            "",
            d.woman_name,
            d.id_number_masked,
            d.prescription_number,
        )
        for d in access.dispensings_for_user(request.user).select_related(
            "facility", "drug"
        )
    ]
    rows.sort(key=lambda r: (str(r[0]), str(r[1])))
    headers = [
        _("机构"),
        _("日期"),
        _("类别"),
        _("药品"),
        _("数量"),
        _("供货单位"),
        _("批号"),
        _("姓名"),
        _("身份证号码"),
        _("处方编号"),
    ]
    record(
        user=request.user,
        action=AuditAction.EXPORT,
        object_type="providers.drugdispensing",
        object_repr=_("终止妊娠药品台账"),
        detail={"rows": len(rows)},
    )
    return xlsx_response(
        rows_to_xlsx(title=_("药品台账"), headers=headers, rows=rows),
        _("终止妊娠药品台账"),
    )
