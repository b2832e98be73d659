"""Prenatal diagnosis licences and the genetic test register (产前诊断许可、遗传学检测
登记): the keepers file licences; clerks and keepers enter tests and their results;
findings become alerts for the township (docs/registers.md §7)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.accounts import roles
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.core.forms import render_form, run_service
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate
from srbgov.files.serve import stored_file_response
from srbgov.people.services import find_by_identity_number
from srbgov.providers import access, services
from srbgov.providers.exports import GENETIC_TESTS, LICENCES
from srbgov.providers.models import TestIndication
from srbgov.providers.prenatal_forms import (
    GeneticTestForm,
    GeneticTestSearchForm,
    LicenceForm,
    ResultFields,
)
from srbgov.providers.views import realname


@authed(reach=roles.can_keep_facilities)
def licence_list(request: AuthedRequest) -> HttpResponse:
    licences = access.licences_for_user(request.user).select_related("facility")
    page, query = paginate(request, licences)
    return render(
        request,
        "providers/licence_list.html",
        {"page": page, "query": query, "table": LICENCES.page(page.object_list)},
    )


@authed(reach=roles.can_keep_facilities)
def licence_export(request: AuthedRequest) -> HttpResponse:
    licences = access.licences_for_user(request.user).select_related("facility")
    return LICENCES.response(request, licences)


@authed(reach=roles.can_keep_facilities)
def licence_create(request: AuthedRequest) -> HttpResponse:
    facilities = access.kept_facilities_for_user(request.user).exclude(kind="pharmacy")
    form = LicenceForm(
        request.POST or None,
        request.FILES or None,
        facilities=facilities,
        initial={"facility": request.GET.get("facility")},
    )
    if request.method == "POST" and run_service(
        form, lambda d: services.save_prenatal_licence(by=request.user, **d)
    ):
        messages.success(request, _("产前诊断许可已登记。"))
        return redirect("providers:licence_list")
    return render_form(
        request,
        form,
        title=_("登记产前诊断许可"),
        cancel_url=reverse("providers:licence_list"),
    )


@authed(reach=roles.can_keep_facilities)
def licence_file(request: AuthedRequest, pk: int) -> HttpResponse:
    licence = access.get_licence_for_user(request.user, pk, log_read=False)
    record(
        user=request.user, action=AuditAction.READ, obj=licence, detail={"file": True}
    )
    return stored_file_response(licence.scan)


def _tests(request: AuthedRequest) -> tuple[GeneticTestSearchForm, Any]:
    form = GeneticTestSearchForm(request.GET or None)
    entries = access.genetic_tests_for_user(request.user).select_related(
        "facility", "village"
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
            entries = entries.filter(ordered_on__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(ordered_on__lte=data["date_to"])
        if data["findings"]:
            entries = entries.filter(
                Q(licence__isnull=True)
                | (Q(reports_sex=True) & ~Q(indication=TestIndication.SEX_LINKED))
            )
    return form, entries


@authed(reach=roles.can_see_facilities)
def genetic_test_list(request: AuthedRequest) -> HttpResponse:
    form, entries = _tests(request)
    return realname.list_page(
        request,
        "providers/genetic_test_list.html",
        form,
        entries,
        table=GENETIC_TESTS,
        can_keep=roles.can_keep_facilities(request.user),
    )


@authed(reach=roles.can_see_facilities)
def genetic_test_export(request: AuthedRequest) -> HttpResponse:
    _form, entries = _tests(request)
    return GENETIC_TESTS.response(request, entries)


@authed(reach=roles.can_see_facilities)
def genetic_test_create(request: AuthedRequest) -> HttpResponse:
    facilities = access.facilities_for_user(request.user).exclude(kind="pharmacy")
    form = GeneticTestForm(request.POST or None, facilities=facilities)
    if request.method == "POST" and (
        entry := run_service(
            form,
            lambda _d: services.record_genetic_test(
                recorded_by=request.user, **form.service_arguments()
            ),
        )
    ):
        messages.success(request, _("遗传学检测已登记。"))
        return redirect("providers:genetic_test_detail", pk=entry.pk)
    return render_form(
        request,
        form,
        title=_("产前遗传学检测实名登记"),
        cancel_url=reverse("providers:genetic_test_list"),
        intro=_("染色体检查和无创产前基因检测逐例实名登记，须填写检测指征。"),
    )


@authed(reach=roles.can_see_facilities)
def genetic_test_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = access.get_genetic_test_for_user(request.user, pk)
    initial = {
        "result": entry.result,
        "result_on": entry.result_on,
        "result_note": entry.result_note,
        "reports_sex": entry.reports_sex,
    }
    return render(
        request,
        "providers/genetic_test_detail.html",
        {"entry": entry, "result_form": ResultFields(initial=initial)},
    )


@require_POST
@authed(reach=roles.can_see_facilities)
def genetic_test_result(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = access.get_genetic_test_for_user(request.user, pk, log_read=False)
    form = ResultFields(request.POST)
    if run_service(
        form,
        lambda d: services.record_test_result(
            by=request.user,
            test=entry,
            result=d["result"],
            result_on=d["result_on"],
            result_note=d["result_note"] or "",
            reports_sex=d["reports_sex"],
        ),
    ):
        messages.success(request, _("检测结果已保存。"))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("providers:genetic_test_detail", pk=entry.pk)
