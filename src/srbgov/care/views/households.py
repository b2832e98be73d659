"""Care households, programmes and who qualifies (docs/care.md §1–2)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.care import access, households, roles, services
from srbgov.care.exports import ELIGIBLE, HOUSEHOLDS, PROGRAMS
from srbgov.care.forms import (
    ApplyForm,
    ConfirmHouseholdForm,
    HouseholdFilterForm,
    ProgramForm,
)
from srbgov.care.models import CareHousehold
from srbgov.care.queries import EligibleRow, eligible
from srbgov.care.views.common import render_list
from srbgov.core.forms import render_form, run_service
from srbgov.core.http import AuthedRequest, authed


def _households(request: AuthedRequest) -> tuple[HouseholdFilterForm, Any]:
    form = HouseholdFilterForm(request.GET or None)
    items = access.households_for_user(request.user)
    data = form.cleaned_data if form.is_valid() else {}
    kind = data.get("kind", "")
    items = items.filter(kind="") if kind == "none" else items.exclude(kind="")
    if kind and kind != "none":
        items = items.filter(kind=kind)
    if data.get("q"):
        items = items.filter(woman__name__contains=data["q"])
    return form, items


@authed(reach=roles.can_see_care)
def household_list(request: AuthedRequest) -> HttpResponse:
    form, items = _households(request)
    return render_list(
        request,
        title=_("关爱家庭（独女户、双女户、计划生育特殊家庭）"),
        intro=_("由育龄妇女登记中的子女情况自动认定，每晚及年审时重新认定。"),
        export=HOUSEHOLDS,
        items=items,
        link=lambda h: reverse("care:household_detail", args=[h.pk]),
        export_url=reverse("care:household_export"),
        form=form,
        actions=[
            (_("符合条件的家庭"), reverse("care:eligible_list")),
            (_("即将到龄的家庭"), reverse("care:eligible_list") + "?upcoming=1"),
        ],
    )


@authed(reach=roles.can_see_care)
def household_export(request: AuthedRequest) -> HttpResponse:
    _form, items = _households(request)
    return HOUSEHOLDS.response(request, items)


@authed(reach=roles.can_see_care)
def household_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    household = access.get_household_for_user(request.user, pk)
    today = timezone.localdate()
    programs = access.programs_for_user(request.user)
    decisions = [
        (p, services.decide(household=household, program=p, on=today)) for p in programs
    ]
    return render(
        request,
        "care/household_detail.html",
        {
            "household": household,
            "children": list(household.woman.children.all()),
            "decisions": decisions,
            "applications": list(household.applications.select_related("program")),
            "can_confirm": roles.can_confirm_households(request.user),
            "can_apply": roles.can_apply(request.user),
        },
    )


@authed(reach=roles.can_confirm_households)
def household_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    household = access.get_household_for_user(
        request.user, pk, log_read=request.method != "POST"
    )
    initial = {
        "residence": household.residence,
        "lives_in_village": "no" if household.lives_in_village is False else "yes",
        "mother_birth_on": household.mother_birth_on,
        "father_birth_on": household.father_birth_on,
        "only_child_disabled": household.only_child_disabled,
    }
    form = ConfirmHouseholdForm(request.POST or None, initial=initial)
    if request.method == "POST" and run_service(
        form,
        lambda d: households.confirm_household(
            by=request.user, household=household, on=timezone.localdate(), **d
        ),
    ):
        messages.success(request, _("已确认家庭情况。"))
        return redirect("care:household_detail", pk=household.pk)
    return render_form(
        request,
        form,
        title=_("确认家庭情况：%(name)s") % {"name": household.woman.name},
        cancel_url=reverse("care:household_detail", args=[household.pk]),
    )


@authed(reach=roles.can_apply)
def application_create(request: AuthedRequest, pk: int) -> HttpResponse:
    household = access.get_household_for_user(
        request.user, pk, log_read=request.method != "POST"
    )
    form = ApplyForm(
        request.POST or None,
        programs=access.programs_for_user(request.user),
        initial={"payee_name": household.woman.name},
    )
    done = request.method == "POST" and run_service(
        form,
        lambda d: services.apply(
            by=request.user, household=household, on=timezone.localdate(), **d
        ),
    )
    if done:
        messages.success(request, _("已提交申请，等待乡镇审核。"))
        return redirect("care:application_detail", pk=done.pk)
    return render_form(
        request,
        form,
        title=_("申请扶助：%(name)s") % {"name": household.woman.name},
        cancel_url=reverse("care:household_detail", args=[household.pk]),
        intro=_("银行账号加密保存，页面只显示后四位。"),
    )


def _eligible(request: AuthedRequest) -> list[EligibleRow]:
    items: QuerySet[CareHousehold] = access.households_for_user(request.user)
    return eligible(
        items.exclude(kind=""),
        access.programs_for_user(request.user),
        on=timezone.localdate(),
        upcoming=request.GET.get("upcoming") == "1",
    )


@authed(reach=roles.can_see_care)
def eligible_list(request: AuthedRequest) -> HttpResponse:
    upcoming = request.GET.get("upcoming") == "1"
    return render_list(
        request,
        title=_("明年到龄、即将符合条件的家庭") if upcoming else _("符合条件的家庭"),
        export=ELIGIBLE,
        items=_eligible(request),
        link=lambda r: reverse("care:household_detail", args=[r.household.pk]),
        export_url=reverse("care:eligible_export"),
    )


@authed(reach=roles.can_see_care)
def eligible_export(request: AuthedRequest) -> HttpResponse:
    return ELIGIBLE.response(request, _eligible(request))


@authed(reach=roles.can_see_care)
def program_list(request: AuthedRequest) -> HttpResponse:
    can_manage = roles.can_manage_programs(request.user)
    return render_list(
        request,
        title=_("扶助项目"),
        export=PROGRAMS,
        items=access.programs_for_user(request.user),
        link=(lambda p: reverse("care:program_edit", args=[p.pk]))
        if can_manage
        else None,
        export_url=reverse("care:program_export"),
        actions=[(_("新增项目"), reverse("care:program_create"))] if can_manage else [],
    )


@authed(reach=roles.can_see_care)
def program_export(request: AuthedRequest) -> HttpResponse:
    return PROGRAMS.response(request, access.programs_for_user(request.user))


def _program_form(request: AuthedRequest, program: Any) -> HttpResponse:
    # A ModelForm for its widgets; the service still makes the write.
    form = cast(forms.Form, ProgramForm(request.POST or None, instance=program))
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in ProgramForm.Meta.fields}
        saved = run_service(
            form,
            lambda _d: services.save_program(
                by=request.user, program=program, **fields
            ),
        )
        if saved:
            messages.success(request, _("已保存项目。"))
            return redirect("care:program_list")
    return render_form(
        request, form, title=_("扶助项目"), cancel_url=reverse("care:program_list")
    )


@authed(reach=roles.can_manage_programs)
def program_create(request: AuthedRequest) -> HttpResponse:
    return _program_form(request, None)


@authed(reach=roles.can_manage_programs)
def program_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _program_form(request, access.get_program_for_user(request.user, pk))
