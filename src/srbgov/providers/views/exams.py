"""The real-name ultrasound exam register (B超检查实名登记): the clerk's list, record
form and detail; the township sees its facilities' exams and its women's
(docs/registers.md §2)."""

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
from srbgov.providers.exam_forms import ExamForm, ExamSearchForm
from srbgov.providers.exports import EXAMS
from srbgov.providers.models import LATE_TERMINATION_WEEKS


def _register(request: AuthedRequest) -> tuple[ExamSearchForm, Any]:
    form = ExamSearchForm(request.GET or None)
    entries = access.exams_for_user(request.user).select_related("facility", "village")
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
            entries = entries.filter(examined_on__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(examined_on__lte=data["date_to"])
        if data["late"]:
            entries = entries.filter(gestational_weeks__gte=LATE_TERMINATION_WEEKS)
    return form, entries


@authed(reach=roles.can_see_facilities)
def exam_list(request: AuthedRequest) -> HttpResponse:
    form, entries = _register(request)
    page, query = paginate(request, entries)
    return render(
        request,
        "providers/exam_list.html",
        {"form": form, "page": page, "query": query},
    )


@authed(reach=roles.can_see_facilities)
def exam_export(request: AuthedRequest) -> HttpResponse:
    _form, entries = _register(request)
    return EXAMS.response(request, entries)


@authed(reach=roles.can_see_facilities)
def exam_create(request: AuthedRequest) -> HttpResponse:
    facilities = access.facilities_for_user(request.user).exclude(kind="pharmacy")
    form = ExamForm(request.POST or None, facilities=facilities)
    if request.method == "POST" and (
        entry := run_service(
            form,
            lambda _d: services.record_ultrasound_exam(
                recorded_by=request.user, **form.service_arguments()
            ),
        )
    ):
        messages.success(request, _("B超检查已登记。"))
        return redirect("providers:exam_detail", pk=entry.pk)
    return render_form(
        request,
        form,
        title=_("B超检查实名登记"),
        cancel_url=reverse("providers:exam_list"),
        intro=_("每次B超检查实名登记一次；须填写检查目的（医学指征）。"),
    )


@authed(reach=roles.can_see_facilities)
def exam_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = access.get_exam_for_user(request.user, pk)
    return render(request, "providers/exam_detail.html", {"entry": entry})
