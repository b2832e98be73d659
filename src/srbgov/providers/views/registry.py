"""Facilities, B超 devices and operators, practitioners, pledges and the gaps page."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.accounts import roles
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.core.forms import render_form, run_service
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate
from srbgov.files.serve import stored_file_response
from srbgov.providers import access, exports, hooks, queries, services
from srbgov.providers.forms import (
    DeviceForm,
    FacilityClerkForm,
    FacilityForm,
    FacilitySearchForm,
    OperatorForm,
    PledgeForm,
    PractitionerForm,
)
from srbgov.providers.models import FacilityQuerySet


def _facilities(request: AuthedRequest) -> tuple[FacilitySearchForm, FacilityQuerySet]:
    form = FacilitySearchForm(request.GET or None)
    facilities = services.with_priority_mark(
        access.facilities_for_user(request.user).select_related("area", "area__parent"),
        on=timezone.localdate(),
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


@authed(reach=roles.can_see_facilities)
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
            "table": exports.FACILITIES.page(page.object_list),
            "can_keep": roles.can_keep_facilities(request.user),
        },
    )


@authed(reach=roles.can_see_facilities)
def facility_export(request: AuthedRequest) -> HttpResponse:
    _form, facilities = _facilities(request)
    return exports.FACILITIES.response(request, facilities)


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


@authed(reach=roles.can_keep_facilities)
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


@authed(reach=roles.can_keep_facilities)
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


@authed(reach=roles.can_see_facilities)
def facility_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = access.get_facility_for_user(request.user, pk)
    today = timezone.localdate()
    one = access.facilities_for_user(request.user).filter(pk=facility.pk)
    bars, n_terminations, in_window = queries.terminations_by_week(facility)
    devices = facility.devices.prefetch_related("deviceoperator_set__practitioner")
    return render(
        request,
        "providers/facility_detail.html",
        {
            "facility": facility,
            "can_keep": roles.can_keep_facilities(request.user),
            "devices": devices,
            "practitioners": facility.practitioners.all(),
            "clerks": facility.clerks.select_related("user")
            if roles.can_keep_facilities(request.user)
            else [],
            "pledges": facility.pledges.select_related("practitioner")[:20],
            "gaps": queries.registry_gaps(one, today=today)
            if roles.can_keep_facilities(request.user)
            else [],
            "week_bars": bars,
            "n_terminations": n_terminations,
            "in_window": in_window,
            **hooks.facility_panels(facility),
        },
    )


@authed(reach=roles.can_keep_facilities)
def facility_clerk(request: AuthedRequest, pk: int) -> HttpResponse:
    """Link a facility-clerk account to this facility (its keeper does it)."""
    facility = access.get_facility_for_user(request.user, pk, keep=True)
    form = FacilityClerkForm(
        request.POST or None,
        candidates=access.clerk_candidates_for(request.user, facility),
    )
    if request.method == "POST" and run_service(
        form,
        lambda d: services.assign_facility_clerk(
            by=request.user, clerk=d["clerk"], facility=facility
        ),
    ):
        messages.success(request, _("已指定医疗机构登记员。"))
        return redirect("providers:facility_detail", pk=facility.pk)
    return render_form(
        request,
        form,
        title=_("指定医疗机构登记员：%(name)s") % {"name": facility.name},
        cancel_url=reverse("providers:facility_detail", args=[facility.pk]),
        intro=_("登记员只能看到本机构的终止妊娠登记、药品台账和在本机构出生的记录。"),
    )


@authed(reach=roles.can_keep_facilities)
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


@authed(reach=roles.can_keep_facilities)
def device_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    device = access.get_device_for_user(request.user, pk)
    fields = (
        "model_name",
        "serial_number",
        "purchased_on",
        "filed_on",
        "room",
        "room_opens_at",
        "room_closes_at",
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


@authed(reach=roles.can_keep_facilities)
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


@authed(reach=roles.can_keep_facilities)
def device_export(request: AuthedRequest) -> HttpResponse:
    devices = (
        access.devices_for_user(request.user)
        .select_related("facility", "facility__area")
        .prefetch_related("operators")
    )
    return exports.DEVICES.response(request, devices)


@authed(reach=roles.can_keep_facilities)
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


@authed(reach=roles.can_keep_facilities)
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


@authed(reach=roles.can_keep_facilities)
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


@authed(reach=roles.can_keep_facilities)
def practitioner_export(request: AuthedRequest) -> HttpResponse:
    people = access.practitioners_for_user(request.user).select_related("facility")
    return exports.PRACTITIONERS.response(request, people)


@authed(reach=roles.can_keep_facilities)
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


@authed(reach=roles.can_keep_facilities)
def pledge_file(request: AuthedRequest, pk: int) -> HttpResponse:
    pledge = access.get_pledge_for_user(request.user, pk)
    record(
        user=request.user, action=AuditAction.READ, obj=pledge, detail={"file": True}
    )
    return stored_file_response(pledge.scan)


def _gap_lines(request: AuthedRequest) -> list[exports.GapLine]:
    """All lines, or one kind of them (?kind=devices, pledges or expiring: the home
    page's three rows link to exactly these, docs/homes.md)."""
    facilities = access.kept_facilities_for_user(request.user)
    today = timezone.localdate()
    gaps = queries.registry_gaps(facilities, today=today)
    expiring = list(queries.expiring_pledges(facilities, today=today))
    kind = request.GET.get("kind", "")
    if kind == "devices":
        gaps, expiring = [g for g in gaps if g.kind == "device_without_operator"], []
    elif kind == "pledges":
        gaps, expiring = [g for g in gaps if g.kind != "device_without_operator"], []
    elif kind == "expiring":
        gaps = []
    return exports.gap_lines(gaps, expiring)


@authed(reach=roles.can_keep_facilities)
def gap_list(request: AuthedRequest) -> HttpResponse:
    """Registry gaps to fix: devices without operators, people and heads without a
    valid pledge, and pledges expiring soon."""
    page, query = paginate(request, _gap_lines(request))
    return render(
        request,
        "providers/gap_list.html",
        {
            "page": page,
            "query": query,
            "table": exports.GAPS.page(page.object_list),
            "days": queries.EXPIRING_WITHIN_DAYS,
        },
    )


@authed(reach=roles.can_keep_facilities)
def gap_export(request: AuthedRequest) -> HttpResponse:
    return exports.GAPS.response(request, _gap_lines(request))
