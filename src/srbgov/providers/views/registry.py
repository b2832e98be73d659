"""Facilities, B超 devices and operators, practitioners, pledges and the gaps page."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.accounts import roles
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate
from srbgov.files.serve import stored_file_response
from srbgov.providers import access, queries, services
from srbgov.providers.forms import (
    DeviceForm,
    FacilityForm,
    FacilitySearchForm,
    OperatorForm,
    PledgeForm,
    PractitionerForm,
)
from srbgov.providers.models import DeviceOperator, Facility, UltrasoundDevice
from srbgov.providers.views.common import render_form, run_service
from srbgov.reports.xlsx import rows_to_xlsx, xlsx_response


def _facilities(request: AuthedRequest) -> tuple[FacilitySearchForm, object]:
    form = FacilitySearchForm(request.GET or None)
    facilities = access.facilities_for_user(request.user).select_related(
        "area", "area__parent"
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            facilities = facilities.filter(
                Q(name__contains=data["q"]) | Q(licence_number__contains=data["q"])
            )
        if data["kind"]:
            facilities = facilities.filter(kind=data["kind"])
        if data["status"]:
            facilities = facilities.filter(status=data["status"])
    return form, facilities


@authed
def facility_list(request: AuthedRequest) -> HttpResponse:
    form, facilities = _facilities(request)
    page, query = paginate(request, facilities)
    return render(
        request,
        "providers/facility_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_keep": roles.can_keep_facilities(request.user),
        },
    )


@authed
def facility_export(request: AuthedRequest) -> HttpResponse:
    _form, facilities = _facilities(request)
    rows = [
        (
            f.name,
            f.get_kind_display(),
            f.licence_number,
            f.area.full_name,
            f.address,
            f.head_name,
            f.phone,
            f.get_status_display(),
        )
        for f in facilities  # type: ignore[attr-defined]
    ]
    headers = [
        _("机构名称"),
        _("类别"),
        _("执业许可证号"),
        _("所在区划"),
        _("地址"),
        _("负责人"),
        _("联系电话"),
        _("状态"),
    ]
    record(
        user=request.user,
        action=AuditAction.EXPORT,
        object_type="providers.facility",
        detail={"rows": len(rows)},
    )
    return xlsx_response(
        rows_to_xlsx(title=_("医疗机构"), headers=headers, rows=rows), _("医疗机构名单")
    )


FACILITY_FIELDS = (
    "name",
    "kind",
    "area",
    "licence_number",
    "address",
    "status",
    "head_name",
    "phone",
)


def _facility_fields(data: dict[str, object]) -> dict[str, object]:
    return {k: data[k] for k in FACILITY_FIELDS}


@authed
def facility_create(request: AuthedRequest) -> HttpResponse:
    access.kept_facilities_for_user(request.user)
    form = FacilityForm(request.POST or None, user=request.user)
    if request.method == "POST" and (
        saved := run_service(
            form,
            lambda d: services.save_facility(by=request.user, **_facility_fields(d)),  # type: ignore[arg-type]
        )
    ):
        messages.success(request, _("已保存：%(name)s") % {"name": saved.name})
        return redirect("providers:facility_detail", pk=saved.pk)
    return render_form(
        request,
        form,
        title=_("登记医疗机构"),
        cancel_url=reverse("providers:facility_list"),
    )


@authed
def facility_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = access.get_facility_for_user(request.user, pk, keep=True)
    initial = {k: getattr(facility, k) for k in FACILITY_FIELDS}
    form = FacilityForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and run_service(
        form,
        lambda d: services.save_facility(
            by=request.user,
            facility=facility,
            **_facility_fields(d),  # type: ignore[arg-type]
        ),
    ):
        return redirect("providers:facility_detail", pk=facility.pk)
    return render_form(
        request,
        form,
        title=_("修改：%(name)s") % {"name": facility.name},
        cancel_url=reverse("providers:facility_detail", args=[facility.pk]),
    )


@authed
def facility_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = access.get_facility_for_user(request.user, pk)
    today = timezone.localdate()
    one = Facility.objects.filter(pk=facility.pk)
    bars, n_terminations, in_window = queries.terminations_by_week(facility)
    devices = facility.devices.prefetch_related(
        Prefetch(
            "deviceoperator_set", DeviceOperator.objects.select_related("practitioner")
        )
    )
    return render(
        request,
        "providers/facility_detail.html",
        {
            "facility": facility,
            "can_keep": roles.can_keep_facilities(request.user),
            "devices": devices,
            "practitioners": facility.practitioners.all(),
            "pledges": facility.pledges.select_related("practitioner")[:20],
            "gaps": queries.registry_gaps(one, today=today)
            if roles.can_keep_facilities(request.user)
            else [],
            "births": queries.births_by_sex(facility),
            "week_bars": bars,
            "n_terminations": n_terminations,
            "in_window": in_window,
            "inspection_years": queries.inspections_by_year(facility),
        },
    )


@authed
def device_create(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = access.get_facility_for_user(request.user, pk, keep=True)
    form = DeviceForm(request.POST or None, initial={"is_fetal_sex_capable": True})
    if request.method == "POST" and run_service(
        form, lambda d: services.save_device(by=request.user, facility=facility, **d)
    ):
        messages.success(request, _("B超设备已登记。请为它备案操作人员。"))
        return redirect("providers:facility_detail", pk=facility.pk)
    return render_form(
        request,
        form,
        title=_("登记B超设备：%(name)s") % {"name": facility.name},
        cancel_url=reverse("providers:facility_detail", args=[facility.pk]),
    )


@authed
def device_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    device = access.get_device_for_user(request.user, pk)
    fields = (
        "model_name",
        "serial_number",
        "purchased_on",
        "filed_on",
        "room",
        "is_fetal_sex_capable",
        "status",
    )
    form = DeviceForm(
        request.POST or None, initial={k: getattr(device, k) for k in fields}
    )
    if request.method == "POST" and run_service(
        form,
        lambda d: services.save_device(
            by=request.user, facility=device.facility, device=device, **d
        ),
    ):
        return redirect("providers:facility_detail", pk=device.facility_id)
    return render_form(
        request,
        form,
        title=_("修改B超设备：%(device)s") % {"device": device},
        cancel_url=reverse("providers:facility_detail", args=[device.facility_id]),
    )


@authed
def device_operator_add(request: AuthedRequest, pk: int) -> HttpResponse:
    device = access.get_device_for_user(request.user, pk)
    form = OperatorForm(request.POST or None, facility=device.facility)
    if request.method == "POST" and run_service(
        form,
        lambda d: services.file_operator(
            by=request.user,
            device=device,
            practitioner=d["practitioner"],
            filed_on=d["filed_on"],
        ),
    ):
        messages.success(request, _("操作人员已备案。"))
        return redirect("providers:facility_detail", pk=device.facility_id)
    return render_form(
        request,
        form,
        title=_("备案操作人员：%(device)s") % {"device": device},
        cancel_url=reverse("providers:facility_detail", args=[device.facility_id]),
        intro=_(
            "只能选择本机构岗位为“B超操作人员”的在岗人员；如名单中没有，请先登记从业人员。"
        ),
    )


@authed
def device_export(request: AuthedRequest) -> HttpResponse:
    facilities = access.kept_facilities_for_user(request.user)
    devices = (
        UltrasoundDevice.objects.filter(facility__in=facilities)
        .select_related("facility", "facility__area")
        .prefetch_related("operators")
    )
    rows = [
        (
            d.facility.name,
            d.facility.area.name,
            d.model_name,
            d.serial_number,
            d.purchased_on,
            d.filed_on,
            d.room,
            _("是") if d.is_fetal_sex_capable else _("否"),
            d.get_status_display(),
            "、".join(p.name for p in d.operators.all()) or _("未备案"),
        )
        for d in devices
    ]
    headers = [
        _("机构"),
        _("区划"),
        _("型号"),
        _("出厂编号"),
        _("购置日期"),
        _("备案日期"),
        _("安放科室/房间"),
        _("可显示胎儿性别"),
        _("状态"),
        _("操作人员"),
    ]
    record(
        user=request.user,
        action=AuditAction.EXPORT,
        object_type="providers.ultrasounddevice",
        detail={"rows": len(rows)},
    )
    return xlsx_response(
        rows_to_xlsx(title=_("B超设备"), headers=headers, rows=rows), _("B超设备台账")
    )


@authed
def practitioner_create(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = access.get_facility_for_user(request.user, pk, keep=True)
    form = PractitionerForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and run_service(
        form,
        lambda d: services.save_practitioner(by=request.user, facility=facility, **d),
    ):
        messages.success(request, _("从业人员已登记。"))
        return redirect("providers:facility_detail", pk=facility.pk)
    return render_form(
        request,
        form,
        title=_("登记从业人员：%(name)s") % {"name": facility.name},
        cancel_url=reverse("providers:facility_detail", args=[facility.pk]),
    )


@authed
def practitioner_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    person = access.get_practitioner_for_user(request.user, pk)
    fields = (
        "name",
        "kind",
        "qualification",
        "qualification_number",
        "phone",
        "is_active",
    )
    form = PractitionerForm(
        request.POST or None, initial={k: getattr(person, k) for k in fields}
    )
    if request.method == "POST" and run_service(
        form,
        lambda d: services.save_practitioner(
            by=request.user, facility=person.facility, practitioner=person, **d
        ),
    ):
        return redirect("providers:practitioner_detail", pk=person.pk)
    return render_form(
        request,
        form,
        title=_("修改：%(name)s") % {"name": person.name},
        cancel_url=reverse("providers:practitioner_detail", args=[person.pk]),
    )


@authed
def practitioner_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The practitioner's archive (档案): pledges, devices, inspections and cases."""
    person = access.get_practitioner_for_user(request.user, pk)
    return render(
        request,
        "providers/practitioner_detail.html",
        {
            "person": person,
            "pledges": person.pledges.all(),
            "devices": person.devices.all(),
            "inspections": person.facility.inspections.select_related("campaign")[:20],
            "cases": person.cases.all() if roles.can_manage_cases(request.user) else [],
            "today": timezone.localdate(),
        },
    )


@authed
def practitioner_export(request: AuthedRequest) -> HttpResponse:
    people = access.practitioners_for_user(request.user).select_related("facility")
    rows = [
        (
            p.facility.name,
            p.name,
            p.get_kind_display(),
            p.qualification,
            p.qualification_number,
            p.phone,
            _("在岗") if p.is_active else _("离岗"),
        )
        for p in people
    ]
    headers = [
        _("机构"),
        _("姓名"),
        _("岗位"),
        _("执业资格"),
        _("资格证书编号"),
        _("联系电话"),
        _("状态"),
    ]
    record(
        user=request.user,
        action=AuditAction.EXPORT,
        object_type="providers.practitioner",
        detail={"rows": len(rows)},
    )
    return xlsx_response(
        rows_to_xlsx(title=_("从业人员"), headers=headers, rows=rows), _("从业人员名单")
    )


@authed
def pledge_create(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = access.get_facility_for_user(request.user, pk, keep=True)
    initial = {"practitioner": request.GET.get("practitioner")}
    form = PledgeForm(
        request.POST or None, request.FILES or None, facility=facility, initial=initial
    )
    if request.method == "POST" and run_service(
        form,
        lambda d: services.record_pledge(by=request.user, facility=facility, **d),
    ):
        messages.success(request, _("责任书已登记。"))
        return redirect("providers:facility_detail", pk=facility.pk)
    return render_form(
        request,
        form,
        title=_("登记责任书：%(name)s") % {"name": facility.name},
        cancel_url=reverse("providers:facility_detail", args=[facility.pk]),
    )


@authed
def pledge_file(request: AuthedRequest, pk: int) -> HttpResponse:
    pledge = access.get_pledge_for_user(request.user, pk)
    record(
        user=request.user, action=AuditAction.READ, obj=pledge, detail={"file": True}
    )
    return stored_file_response(pledge.scan)


def _gap_rows(request: AuthedRequest) -> tuple[list[queries.Gap], object]:
    facilities = access.kept_facilities_for_user(request.user)
    today = timezone.localdate()
    return (
        queries.registry_gaps(facilities, today=today),
        queries.expiring_pledges(facilities, today=today),
    )


@authed
def gap_list(request: AuthedRequest) -> HttpResponse:
    """Registry gaps to fix: devices without operators, people and heads without a
    valid pledge, and pledges expiring soon."""
    gaps, expiring = _gap_rows(request)
    return render(
        request,
        "providers/gap_list.html",
        {"gaps": gaps, "expiring": expiring, "days": queries.EXPIRING_WITHIN_DAYS},
    )


@authed
def gap_export(request: AuthedRequest) -> HttpResponse:
    gaps, expiring = _gap_rows(request)
    rows = [(g.facility.name, g.subject, g.detail, None) for g in gaps] + [
        (p.facility.name, p.signer_name, _("责任书即将到期"), p.expires_on)
        for p in expiring  # type: ignore[attr-defined]
    ]
    record(
        user=request.user,
        action=AuditAction.EXPORT,
        object_type="providers.pledge",
        object_repr=_("监管缺项"),
        detail={"rows": len(rows)},
    )
    headers = [_("机构"), _("对象"), _("问题"), _("到期日期")]
    return xlsx_response(
        rows_to_xlsx(title=_("监管缺项"), headers=headers, rows=rows), _("监管缺项清单")
    )
