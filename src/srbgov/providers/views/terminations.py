"""The real-name termination register and the verification of medical need."""

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
from srbgov.core.http import AuthedRequest, authed, require
from srbgov.core.paging import paginate
from srbgov.files.serve import stored_file_response
from srbgov.people.services import find_by_identity_number
from srbgov.providers import access, services
from srbgov.providers.contradictions import termination_warnings
from srbgov.providers.exports import TERMINATIONS
from srbgov.providers.forms import (
    CertifyForm,
    ReviewForm,
    TerminationForm,
    TerminationSearchForm,
    VerificationRequestForm,
)
from srbgov.providers.models import (
    LATE_TERMINATION_WEEKS,
    TerminationVerification,
    VerificationStatus,
)
from srbgov.providers.views import realname


def _register(request: AuthedRequest) -> tuple[TerminationSearchForm, Any]:
    form = TerminationSearchForm(request.GET or None)
    entries = access.terminations_for_user(request.user).select_related(
        "facility", "operator", "verification"
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
        if data["weeks_from"]:
            entries = entries.filter(gestational_weeks__gte=data["weeks_from"])
        if data["unverified"]:
            entries = entries.filter(
                gestational_weeks__gte=LATE_TERMINATION_WEEKS
            ).exclude(verification__status=VerificationStatus.CERTIFIED)
    return form, entries


@authed(reach=roles.can_see_facilities)
def termination_list(request: AuthedRequest) -> HttpResponse:
    form, entries = _register(request)
    return realname.list_page(
        request, "providers/termination_list.html", form, entries, table=TERMINATIONS
    )


@authed(reach=roles.can_see_facilities)
def termination_export(request: AuthedRequest) -> HttpResponse:
    _form, entries = _register(request)
    return TERMINATIONS.response(request, entries)


@authed(reach=roles.can_see_facilities)
def termination_create(request: AuthedRequest) -> HttpResponse:
    facilities = access.facilities_for_user(request.user).exclude(kind="pharmacy")
    form = TerminationForm(request.POST or None, facilities=facilities)
    if request.method == "POST" and (
        entry := run_service(
            form, lambda d: services.record_termination(by=request.user, **d)
        )
    ):
        if entry.needs_verification:
            messages.warning(
                request,
                _("已登记。孕%(weeks)d周须有终止妊娠查验，已发出预警；请尽快补办查验。")
                % {"weeks": entry.gestational_weeks},
            )
        else:
            messages.success(request, _("已登记。"))
        return redirect("providers:termination_detail", pk=entry.pk)
    return render_form(
        request,
        form,
        title=_("终止妊娠实名登记"),
        cancel_url=reverse("providers:termination_list"),
    )


@authed(reach=roles.can_see_facilities)
def termination_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = access.get_termination_for_user(request.user, pk)
    return render(
        request,
        "providers/termination_detail.html",
        {
            "entry": entry,
            "verification": entry.verification,
            "warnings": termination_warnings(entry, user=request.user),
        },
    )


@authed(reach=roles.can_see_facilities)
def verification_create(request: AuthedRequest) -> HttpResponse:
    """Open a verification, for a register entry (?termination=) or ahead of one."""
    facilities = access.facilities_for_user(request.user).exclude(kind="pharmacy")
    entry = None
    if raw := request.GET.get("termination"):
        entry = access.get_termination_for_user(request.user, raw)
    form = VerificationRequestForm(
        request.POST or None,
        request.FILES or None,
        facilities=facilities,
        for_entry=entry is not None,
    )

    def submit(data: dict[str, Any]) -> TerminationVerification:
        facility = data.pop("facility", None) or entry.facility  # type: ignore[union-attr]
        return services.request_verification(
            by=request.user, facility=facility, termination=entry, **data
        )

    if request.method == "POST" and (done := run_service(form, submit)):
        messages.success(request, _("查验申请已提交，等待乡镇审核。"))
        return redirect("providers:verification_detail", pk=done.pk)
    title = _("终止妊娠查验申请")
    return render_form(
        request,
        form,
        title=f"{title}：{entry.woman_name} {entry.id_number_masked}"
        if entry
        else title,
        cancel_url=reverse("providers:termination_detail", args=[entry.pk])
        if entry
        else reverse("providers:verification_list"),
        intro=_(
            "医学原因只能是法律允许的三种之一，并须上传具备资质的医疗机构出具的诊断证明。"
        ),
    )


@authed(reach=roles.can_see_facilities)
def verification_list(request: AuthedRequest) -> HttpResponse:
    verifications = access.verifications_for_user(request.user).select_related(
        "facility"
    )
    status = request.GET.get("status", "")
    if status in VerificationStatus.values:
        verifications = verifications.filter(status=status)
    page, query = paginate(request, verifications)
    return render(
        request,
        "providers/verification_list.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": VerificationStatus.choices,
        },
    )


@authed(reach=roles.can_see_facilities)
def verification_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    verification = access.get_verification_for_user(request.user, pk)
    user = request.user
    return render(
        request,
        "providers/verification_detail.html",
        {
            "v": verification,
            "entry": getattr(verification, "termination", None),
            "review_form": ReviewForm()
            if roles.can_review_terminations(user)
            and verification.status == VerificationStatus.REQUESTED
            else None,
            "certify_form": CertifyForm()
            if roles.can_certify_terminations(user)
            and verification.status == VerificationStatus.REVIEWED
            else None,
        },
    )


def _step(request: AuthedRequest, pk: int, form_class: Any, call: Any) -> HttpResponse:
    verification = access.get_verification_for_user(request.user, pk, log_read=False)
    form = form_class(request.POST)
    if run_service(form, lambda d: call(verification, d)):
        messages.success(request, _("已保存。"))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("providers:verification_detail", pk=verification.pk)


@require_POST
@authed(reach=roles.can_review_terminations)
def verification_review(request: AuthedRequest, pk: int) -> HttpResponse:
    require(roles.can_review_terminations, request.user)
    return _step(
        request,
        pk,
        ReviewForm,
        lambda v, d: services.review_verification(
            by=request.user, verification=v, approve=d["approve"], note=d["note"]
        ),
    )


@require_POST
@authed(reach=roles.can_certify_terminations)
def verification_certify(request: AuthedRequest, pk: int) -> HttpResponse:
    require(roles.can_certify_terminations, request.user)
    return _step(
        request,
        pk,
        CertifyForm,
        lambda v, d: services.certify_verification(
            by=request.user, verification=v, certificate_number=d["certificate_number"]
        ),
    )


@authed(reach=roles.can_see_facilities)
def verification_file(request: AuthedRequest, pk: int) -> HttpResponse:
    verification = access.get_verification_for_user(request.user, pk, log_read=False)
    record(
        user=request.user,
        action=AuditAction.READ,
        obj=verification,
        detail={"file": verification.evidence_id},
    )
    return stored_file_response(verification.evidence)
