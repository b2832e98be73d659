"""The reconciliation pages (docs/reconciliation.md §3): the township's month, its
sheet, and the officer's decision on a pair."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.accounts import roles
from srbgov.areas.models import AreaLevel
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.core.forms import run_service
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate
from srbgov.reconciliation import access, services
from srbgov.reconciliation.exports import RECONCILIATION, month_rows
from srbgov.reconciliation.forms import DecisionForm, MonthForm
from srbgov.reconciliation.queries import Month, reconcile_month


def _shift(year: int, month: int, by: int) -> date:
    index = year * 12 + (month - 1) + by
    return date(index // 12, index % 12 + 1, 1)


@authed(reach=roles.can_reconcile)
def index(request: AuthedRequest) -> HttpResponse:
    form = MonthForm(request.GET or None)
    chosen = (
        form.cleaned_data["month"]
        if form.is_valid()
        else timezone.localdate().replace(day=1)
    )
    user = request.user
    if user.scope.level == AreaLevel.TOWNSHIP and not request.GET:
        return redirect(
            "reconciliation:month",
            pk=user.scope.pk,
            year=chosen.year,
            month=chosen.month,
        )
    return render(
        request,
        "reconciliation/index.html",
        {
            "form": form if request.GET else MonthForm(initial={"month": chosen}),
            "chosen": chosen,
            "townships": access.townships_for_user(user),
        },
    )


def _month(request: AuthedRequest, pk: int, year: int, month: int) -> Month:
    access.check_month(year, month)
    township = access.get_township_for_user(request.user, pk)
    found = reconcile_month(township=township, year=year, month=month)
    # The page and the sheet show names of women: one logged read per view.
    record(
        user=request.user,
        action=AuditAction.READ,
        object_type="reconciliation.month",
        object_id=f"{township.code}:{year:04d}-{month:02d}",
        object_repr=f"{township.name} {year}年{month}月",
        detail={
            "facility_only": len(found.births.facility_only),
            "registry_only": len(found.births.registry_only),
            "pending": len(found.births.pending) + len(found.terminations.pending),
        },
    )
    return found


@authed(reach=roles.can_reconcile)
def month_page(request: AuthedRequest, pk: int, year: int, month: int) -> HttpResponse:
    found = _month(request, pk, year, month)
    matched, query = paginate(request, found.births.matched)
    return render(
        request,
        "reconciliation/month.html",
        {
            "m": found,
            "births": found.births,
            "terminations": found.terminations,
            "matched": matched,
            "query": query,
            "previous": _shift(year, month, -1),
            "next": _shift(year, month, 1),
            "form": DecisionForm(),
        },
    )


@authed(reach=roles.can_reconcile)
def month_export(
    request: AuthedRequest, pk: int, year: int, month: int
) -> HttpResponse:
    found = _month(request, pk, year, month)
    title = _("%(town)s %(y)d年%(m)d月 机构与村级登记比对") % {
        "town": found.township.name,
        "y": year,
        "m": month,
    }
    return RECONCILIATION.response(
        request,
        month_rows(found),
        title=title,
        detail={"township": found.township.code, "month": f"{year:04d}-{month:02d}"},
    )


@require_POST
@authed(reach=roles.can_reconcile)
def decide(request: AuthedRequest, pk: int, year: int, month: int) -> HttpResponse:
    access.check_month(year, month)
    township = access.get_township_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    done = run_service(
        form,
        lambda d: services.decide_pair(
            by=request.user,
            township=township,
            year=year,
            month=month,
            key=d["key"],
            confirm=d["confirm"],
            note=d["note"],
        ),
    )
    if done is not None:
        messages.success(request, _("已保存比对结论。"))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("reconciliation:month", pk=township.pk, year=year, month=month)
