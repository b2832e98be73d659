"""The real-name ultrasound exam register (B超检查实名登记): the clerk's list, record
form and detail; the township sees its facilities' exams and its women's
(docs/registers.md §2)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.accounts import roles
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate
from srbgov.providers import access, services
from srbgov.providers.exam_forms import ExamForm, ExamRateFilterForm, ExamSearchForm
from srbgov.providers.exports import EXAM_RATES, EXAMS
from srbgov.providers.models import LATE_TERMINATION_WEEKS
from srbgov.providers.rates import RATE_Q
from srbgov.providers.services.patterns import (
    UnitKind,
    UnitRate,
    county_pass,
    exam_follow_rates,
    rate_window,
)
from srbgov.providers.views import realname


def _register(request: AuthedRequest) -> tuple[ExamSearchForm, Any]:
    form = ExamSearchForm(request.GET or None)
    entries = access.exams_for_user(request.user).select_related("facility", "village")
    if form.is_valid():
        data = form.cleaned_data
        entries = realname.search_entries(entries, data, date_field="examined_on")
        if data["late"]:
            entries = entries.filter(gestational_weeks__gte=LATE_TERMINATION_WEEKS)
    return form, entries


@authed(reach=roles.can_see_facilities)
def exam_list(request: AuthedRequest) -> HttpResponse:
    form, entries = _register(request)
    return realname.list_page(
        request,
        "providers/exam_list.html",
        form,
        entries,
        can_see_rates=roles.can_keep_facilities(request.user),
    )


@authed(reach=roles.can_see_facilities)
def exam_export(request: AuthedRequest) -> HttpResponse:
    _form, entries = _register(request)
    return EXAMS.response(request, entries)


@authed(reach=roles.can_see_facilities)
def exam_create(request: AuthedRequest) -> HttpResponse:
    form = ExamForm(
        request.POST or None, facilities=realname.register_facilities(request)
    )
    return realname.create_page(
        request,
        form,
        record=services.record_ultrasound_exam,
        saved=_("B超检查已登记。"),
        detail_route="providers:exam_detail",
        list_route="providers:exam_list",
        title=_("B超检查实名登记"),
        intro=_("每次B超检查实名登记一次；须填写检查目的（医学指征）。"),
    )


@authed(reach=roles.can_see_facilities)
def exam_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = access.get_exam_for_user(request.user, pk)
    return render(request, "providers/exam_detail.html", {"entry": entry})


def _rates(request: AuthedRequest) -> tuple[ExamRateFilterForm, list[UnitRate]]:
    """The county's verdicts (each judged against all of its county), shown only for
    the facilities and operators the user keeps (docs/registers.md §3)."""
    form = ExamRateFilterForm(request.GET or None)
    facilities = set(
        access.facilities_for_user(request.user).values_list("pk", flat=True)
    )
    operators = set(
        access.practitioners_for_user(request.user).values_list("pk", flat=True)
    )
    with county_pass():
        county = exam_follow_rates()
    rows = [
        r
        for r in county
        if r.unit_id in (facilities if r.kind == UnitKind.FACILITY else operators)
    ]
    if form.is_valid():
        if kind := form.cleaned_data["kind"]:
            rows = [r for r in rows if r.kind == kind]
        if form.cleaned_data["flagged"]:
            rows = [r for r in rows if r.verdict.flagged]
    return form, rows


@authed(reach=roles.can_keep_facilities)
def exam_rates(request: AuthedRequest) -> HttpResponse:
    form, rows = _rates(request)
    page, query = paginate(request, rows)
    return render(
        request,
        "providers/exam_rates.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "table": EXAM_RATES.page(page.object_list),
            "window": rate_window(timezone.localdate()),
            "q": RATE_Q,
        },
    )


@authed(reach=roles.can_keep_facilities)
def exam_rates_export(request: AuthedRequest) -> HttpResponse:
    _form, rows = _rates(request)
    return EXAM_RATES.response(request, rows)
