from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.accounts import roles
from srbgov.areas.models import Area
from srbgov.core.forms import add_service_errors, flash_outcome
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate
from srbgov.core.rates import share_percent
from srbgov.people.access import get_woman_for_user, women_for_user
from srbgov.pregnancies import access, queries, services
from srbgov.pregnancies.contradictions import pregnancy_warnings
from srbgov.pregnancies.exports import INFANT_DEATHS, PREGNANCIES
from srbgov.pregnancies.forms import (
    ApprovalForm,
    BirthFormSet,
    CertificateForm,
    InfantDeathForm,
    OutcomeForm,
    PregnancyFilterForm,
    PregnancyForm,
    VisitForm,
    WomanPickForm,
    births_from,
)
from srbgov.pregnancies.models import Pregnancy, PregnancyStatus
from srbgov.pregnancies.policies import policy_for_village, policy_label
from srbgov.pregnancies.schedule import compute_for, is_followed, visit_rows


def _list_query(request: AuthedRequest) -> QueryDict:
    # The list page opens on 孕期中 (docs/homes.md): most registered pregnancies have
    # ended, and the ones under follow-up are the work. "全部" sends status= explicitly;
    # the pager and export links carry the default on, so all three show one set.
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = PregnancyStatus.PREGNANT
    return data


def _filtered(
    request: AuthedRequest, data: QueryDict | None = None
) -> tuple[PregnancyFilterForm, Any]:
    pregnancies = access.pregnancies_for_user(request.user)
    form = PregnancyFilterForm(
        request.GET or None if data is None else data, user=request.user
    )
    filters = form.cleaned_data if form.is_valid() else {}
    return form, queries.search(pregnancies, filters)


@authed(reach=roles.can_follow_pregnancies)
def pregnancy_list(request: AuthedRequest) -> HttpResponse:
    data = _list_query(request)
    form, rows = _filtered(request, data)
    page, _query = paginate(request, rows)
    data.pop("page", None)
    query = data.urlencode()
    on_time, registered = queries.on_time_share(
        access.pregnancies_for_user(request.user)
    )
    return render(
        request,
        "pregnancies/pregnancy_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "table": PREGNANCIES.page(page.object_list),
            "today": timezone.localdate(),
            "on_time": on_time,
            "registered": registered,
            "on_time_pct": share_percent(part=on_time, whole=registered),
            "worklists": queries.WORKLISTS.values(),
        },
    )


@authed(reach=roles.can_follow_pregnancies)
def pregnancy_export(request: AuthedRequest) -> HttpResponse:
    _form, rows = _filtered(request)
    return PREGNANCIES.response(request, rows)


def _worklist(request: AuthedRequest, slug: str) -> tuple[queries.Worklist, Any]:
    found = queries.WORKLISTS.get(slug)
    pregnancies = access.pregnancies_for_user(request.user)
    if found is None:
        raise Http404
    rows = queries.worklist(pregnancies, slug, timezone.localdate())
    # The township home links each village's overdue visits here (docs/homes.md);
    # the rows are already the user's own, so a code outside her area finds none.
    village = _village_code(request)
    return found, rows.filter(village__code=village) if village else rows


def _village_code(request: AuthedRequest) -> str:
    """`?village=`: an area code (digits) or nothing; anything else is ignored, never
    sent to the database (PostgreSQL refuses a NUL in text: a 500)."""
    code = request.GET.get("village", "")
    return code if code.isascii() and code.isdigit() and len(code) <= 20 else ""


@authed(reach=roles.can_follow_pregnancies)
def worklist(request: AuthedRequest, slug: str) -> HttpResponse:
    found, rows = _worklist(request, slug)
    page, query = paginate(request, rows)
    village = _village_code(request)  # the filter _worklist applied
    return render(
        request,
        "pregnancies/worklist.html",
        {
            "village": village
            and Area.objects.visible_to(request.user).filter(code=village).first(),
            "worklist": found,
            "worklists": queries.WORKLISTS.values(),
            "page": page,
            "query": query,
            "table": PREGNANCIES.page(page.object_list),
            "today": timezone.localdate(),
        },
    )


@authed(reach=roles.can_follow_pregnancies)
def worklist_export(request: AuthedRequest, slug: str) -> HttpResponse:
    found, rows = _worklist(request, slug)
    return PREGNANCIES.response(request, rows, title=found.title)


@authed(reach=roles.can_follow_pregnancies)
def pregnancy_register(request: AuthedRequest) -> HttpResponse:
    women = women_for_user(request.user)
    access.pregnancies_for_user(request.user)
    woman_pk = request.GET.get("woman") or request.POST.get("woman")
    if not woman_pk:
        pick = WomanPickForm(request.GET or None)
        q = pick.cleaned_data.get("q", "") if pick.is_valid() else ""
        found = (
            women.filter(name__contains=q).select_related("village")[:30] if q else []
        )
        return render(
            request,
            "pregnancies/woman_pick.html",
            {"form": pick, "women": found, "q": q},
        )
    woman = get_woman_for_user(
        request.user, woman_pk, log_read=request.method != "POST"
    )
    form = PregnancyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                if d["is_awaiting"]:
                    pregnancy = services.register_certificate_follow_up(
                        by=request.user,
                        woman=woman,
                        certificate_number=d["certificate_number"],
                        certificate_on=d["certificate_on"],
                        responsible_persons=d["responsible_persons"],
                        note=d["note"],
                        submission_key=d["submission_key"],
                    )
                else:
                    pregnancy = services.register_pregnancy(
                        by=request.user,
                        woman=woman,
                        lmp_on=d["lmp_on"],
                        birth_order=d["birth_order"],
                        certificate_number=d["certificate_number"],
                        certificate_on=d["certificate_on"],
                        responsible_persons=d["responsible_persons"],
                        note=d["note"],
                        submission_key=d["submission_key"],
                    )
        except ValidationError as problem:
            add_service_errors(form, problem)
        else:
            messages.success(request, _("已登记：%(name)s") % {"name": woman.name})
            return redirect("pregnancies:pregnancy_detail", pk=pregnancy.pk)
    children = list(woman.children.all())
    return render(
        request,
        "pregnancies/pregnancy_form.html",
        {"form": form, "woman": woman, "children": children},
    )


@authed(reach=roles.can_follow_pregnancies)
def pregnancy_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    pregnancy = access.get_pregnancy_for_user(request.user, pk)
    today = timezone.localdate()
    policy = policy_for_village(pregnancy.village)
    visits = list(pregnancy.visits.select_related("recorded_by"))
    outcome = getattr(pregnancy, "outcome", None)
    windows: Any = ()
    if is_followed(pregnancy, today) or outcome is not None:
        dates = [v.visited_on for v in visits]
        if pregnancy.handed_over_from_id:
            src = pregnancy.handed_over_from_id
            dates += [v.visited_on for v in visit_rows([src]).get(src, [])]
        windows = compute_for(
            pregnancy, policy=policy, visit_dates=dates, on=today
        ).windows
    return render(
        request,
        "pregnancies/pregnancy_detail.html",
        {
            "p": pregnancy,
            "visits": visits,
            "outcome": outcome,
            "births": list(outcome.births.select_related("child", "facility"))
            if outcome
            else [],
            "windows": windows,
            "policy_label": policy_label(policy),
            "week": queries.current_week(pregnancy.lmp_on, today)
            if pregnancy.is_open
            else None,
            "today": today,
            "successor": Pregnancy.objects.filter(handed_over_from=pregnancy).first(),
            "warnings": pregnancy_warnings(pregnancy, user=request.user),
            "open_alerts": list(
                queries.open_alerts_of(pregnancy.pk).order_by("-opened_at")
            ),
        },
    )


@authed(reach=roles.can_follow_pregnancies)
def visit_create(request: AuthedRequest, pk: int) -> HttpResponse:
    pregnancy = access.get_pregnancy_for_user(
        request.user, pk, log_read=request.method != "POST"
    )
    # Prefilled from what srbgov knows: today and the pregnancy's responsible persons
    # (seed: the visit is signed by the two persons responsible for her).
    form = VisitForm(
        request.POST or None,
        initial={"visitors": pregnancy.responsible_persons},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_visit(
                by=request.user, pregnancy=pregnancy, **form.cleaned_data
            )
        except ValidationError as problem:
            add_service_errors(form, problem)
        else:
            messages.success(request, _("已记录随访。"))
            return redirect("pregnancies:pregnancy_detail", pk=pregnancy.pk)
    return render(
        request, "pregnancies/visit_form.html", {"form": form, "p": pregnancy}
    )


@authed(reach=roles.can_follow_pregnancies)
def outcome_create(request: AuthedRequest, pk: int) -> HttpResponse:
    pregnancy = access.get_pregnancy_for_user(
        request.user, pk, log_read=request.method != "POST"
    )
    form = OutcomeForm(request.POST or None, user=request.user)
    formset = BirthFormSet(request.POST or None, prefix="births")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        d = dict(form.cleaned_data)
        try:
            with transaction.atomic():
                services.record_outcome(
                    by=request.user,
                    pregnancy=pregnancy,
                    children=births_from(formset, d["facility"]),
                    **d,
                )
        except ValidationError as problem:
            add_service_errors(form, problem)
        else:
            messages.success(request, _("已登记妊娠结局。"))
            return redirect("pregnancies:pregnancy_detail", pk=pregnancy.pk)
    return render(
        request,
        "pregnancies/outcome_form.html",
        {"form": form, "formset": formset, "p": pregnancy},
    )


@authed(reach=roles.can_follow_pregnancies)
@require_POST
def birth_certificate(request: AuthedRequest, pk: int) -> HttpResponse:
    birth = access.get_birth_for_user(request.user, pk, log_read=False)
    form = CertificateForm(request.POST)
    with flash_outcome(request, done=_("已补录出生医学证明编号。")):
        if not form.is_valid():
            raise ValidationError(_("请填写出生医学证明编号。"))
        services.set_birth_certificate(
            by=request.user, birth=birth, number=form.cleaned_data["number"]
        )
    return redirect("pregnancies:pregnancy_detail", pk=birth.pregnancy_id)


@authed(reach=roles.can_follow_pregnancies)
@require_POST
def termination_approval(request: AuthedRequest, pk: int) -> HttpResponse:
    outcome = access.get_outcome_for_user(request.user, pk, log_read=False)
    form = ApprovalForm(request.POST)
    with flash_outcome(request, done=_("已补录查验/批准文号。")):
        if not form.is_valid():
            raise ValidationError(_("请填写查验/批准文号。"))
        services.set_termination_approval(
            by=request.user, outcome=outcome, **form.cleaned_data
        )
    return redirect("pregnancies:pregnancy_detail", pk=outcome.pregnancy_id)


@authed(reach=roles.can_follow_pregnancies)
def infant_death_list(request: AuthedRequest) -> HttpResponse:
    deaths = access.infant_deaths_for_user(request.user).select_related(
        "mother", "child", "village"
    )
    page, query = paginate(request, deaths)
    today = timezone.localdate()
    infants = (
        access.children_for_user(request.user)
        .filter(
            is_alive=True,
            birth_on__gt=today - timedelta(days=365),
        )
        .select_related("mother__village")
        .order_by("-birth_on")[:100]
    )
    return render(
        request,
        "pregnancies/infant_death_list.html",
        {
            "page": page,
            "query": query,
            "table": INFANT_DEATHS.page(page.object_list),
            "infants": infants,
        },
    )


@authed(reach=roles.can_follow_pregnancies)
def infant_death_export(request: AuthedRequest) -> HttpResponse:
    deaths = access.infant_deaths_for_user(request.user).select_related(
        "mother", "child", "village"
    )
    return INFANT_DEATHS.response(request, deaths)


@authed(reach=roles.can_follow_pregnancies)
def infant_death_create(request: AuthedRequest, pk: int) -> HttpResponse:
    child = access.get_infant_for_user(request.user, pk)
    form = InfantDeathForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        died_at = timezone.make_aware(datetime.combine(d["died_on"], d["died_time"]))
        try:
            services.record_infant_death(
                by=request.user,
                child=child,
                died_at=died_at,
                cause=d["cause"],
                death_certificate_number=d["death_certificate_number"],
            )
        except ValidationError as problem:
            add_service_errors(form, problem)
        else:
            messages.success(request, _("已登记婴儿死亡。"))
            return redirect("pregnancies:infant_death_list")
    return render(
        request, "pregnancies/infant_death_form.html", {"form": form, "child": child}
    )
