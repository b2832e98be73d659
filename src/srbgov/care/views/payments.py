"""Payment batches, the bank file, returns, the yearly re-check and the totals
(docs/care.md §3)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.care import access, roles, services
from srbgov.care.exports import BANK_FILE, BATCHES, FINDINGS, PAYMENTS, TOTALS
from srbgov.care.forms import AccountForm, BatchForm, RecheckForm, ReturnForm
from srbgov.care.models import BatchStatus
from srbgov.care.queries import bank_rows, totals
from srbgov.care.views.common import render_list
from srbgov.core.forms import render_form, run_service
from srbgov.core.http import AuthedRequest, authed


@authed(reach=roles.can_handle_payments)
def batch_list(request: AuthedRequest) -> HttpResponse:
    return render_list(
        request,
        title=_("发放批次"),
        export=BATCHES,
        items=access.batches_for_user(request.user),
        link=lambda b: reverse("care:batch_detail", args=[b.pk]),
        export_url=reverse("care:batch_export"),
        actions=[
            (_("编制发放批次"), reverse("care:batch_create")),
            (_("发放对账"), reverse("care:totals")),
        ],
    )


@authed(reach=roles.can_handle_payments)
def batch_export(request: AuthedRequest) -> HttpResponse:
    return BATCHES.response(request, access.batches_for_user(request.user))


@authed(reach=roles.can_handle_payments)
def batch_create(request: AuthedRequest) -> HttpResponse:
    form = BatchForm(
        request.POST or None, programs=access.programs_for_user(request.user)
    )
    done = request.method == "POST" and run_service(
        form, lambda d: services.prepare_batch(by=request.user, **d)
    )
    if done:
        messages.success(request, _("已编制批次，请由另一人审核。"))
        return redirect("care:batch_detail", pk=done.pk)
    return render_form(
        request,
        form,
        title=_("编制发放批次"),
        cancel_url=reverse("care:batch_list"),
        intro=_("发放前请先完成本年度年审。编制人与审核人须为两个不同的人。"),
    )


@authed(reach=roles.can_handle_payments)
def batch_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = access.get_batch_for_user(request.user, pk)
    payments = access.payments_for_user(request.user).filter(batch=batch)
    table = PAYMENTS.table(payments)
    return render(
        request,
        "care/batch_detail.html",
        {
            "batch": batch,
            "rows": list(zip(payments, table.rows, strict=True)),
            "headers": table.headers,
            "can_approve": batch.status == BatchStatus.PREPARED
            and batch.prepared_by_id != request.user.pk,
            "approved": batch.status != BatchStatus.PREPARED,
            "open": batch.status == BatchStatus.APPROVED,
        },
    )


@authed(reach=roles.can_handle_payments)
def batch_payments_export(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = access.get_batch_for_user(request.user, pk, log_read=False)
    payments = access.payments_for_user(request.user).filter(batch=batch)
    return PAYMENTS.response(request, payments, detail={"batch": batch.pk})


def _batch_action(request: AuthedRequest, pk: int, call: object) -> HttpResponse:
    batch = access.get_batch_for_user(request.user, pk, log_read=False)
    try:
        call(by=request.user, batch=batch)  # type: ignore[operator]
        messages.success(request, _("已保存。"))
    except ValidationError as problem:
        for message in problem.messages:
            messages.error(request, message)
    return redirect("care:batch_detail", pk=batch.pk)


@authed(reach=roles.can_handle_payments)
@require_POST
def batch_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    return _batch_action(request, pk, services.approve_batch)


@authed(reach=roles.can_handle_payments)
@require_POST
def batch_close(request: AuthedRequest, pk: int) -> HttpResponse:
    return _batch_action(request, pk, services.close_batch)


@authed(reach=roles.can_handle_payments)
def batch_bank_file(request: AuthedRequest, pk: int) -> HttpResponse:
    """The only place account numbers leave in clear: an approved batch's bank file,
    written to the audit log by the export."""
    batch = access.get_batch_for_user(request.user, pk, log_read=False)
    if batch.status == BatchStatus.PREPARED:
        raise Http404
    payments = access.payments_for_user(request.user).filter(batch=batch)
    return BANK_FILE.response(
        request,
        bank_rows(payments),
        title=_("银行代发文件-批次%(n)s") % {"n": batch.pk},
        detail={"batch": batch.pk},
    )


@authed(reach=roles.can_handle_payments)
def payment_return(request: AuthedRequest, pk: int) -> HttpResponse:
    payment = access.get_payment_for_user(request.user, pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and run_service(
        form, lambda d: services.record_return(by=request.user, payment=payment, **d)
    ):
        messages.success(request, _("已登记退回，下一批次将重新发放。"))
        return redirect("care:batch_detail", pk=payment.batch_id)
    return render_form(
        request,
        form,
        title=_("登记银行退回：%(name)s") % {"name": payment.application.payee_name},
        cancel_url=reverse("care:batch_detail", args=[payment.batch_id]),
    )


@authed(reach=roles.can_handle_payments)
def application_account(request: AuthedRequest, pk: int) -> HttpResponse:
    application = access.get_application_for_user(request.user, pk, log_read=False)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and run_service(
        form,
        lambda d: services.change_account(
            by=request.user, application=application, **d
        ),
    ):
        messages.success(request, _("已更换银行账号。"))
        return redirect("care:application_detail", pk=application.pk)
    return render_form(
        request,
        form,
        title=_("更换银行账号：%(name)s") % {"name": application.payee_name},
        cancel_url=reverse("care:application_detail", args=[application.pk]),
    )


@authed(reach=roles.can_run_recheck)
def recheck(request: AuthedRequest) -> HttpResponse:
    """年审: run it for the user's area, and list what changed."""
    form = RecheckForm(request.POST or None)
    if request.method == "POST":
        result = run_service(
            form,
            lambda d: services.run_recheck(
                by=request.user,
                area=request.user.scope,
                year=d["year"],
                on=timezone.localdate(),
            ),
        )
        if result:
            messages.success(
                request,
                _("年审完成：核对%(n)s户，停止享受%(m)s户。")
                % {"n": result.checked, "m": len(result.ended)},
            )
            return redirect("care:recheck")
    return render_list(
        request,
        title=_("年审：情况变化的对象"),
        intro=_(
            "年审按登记重新认定家庭类别，死亡、迁出、新生子女等变化在下一批次前停止享受。"
        ),
        export=FINDINGS,
        items=access.findings_for_user(request.user),
        link=lambda f: reverse("care:application_detail", args=[f.application_id]),
        export_url=reverse("care:recheck_export"),
        form=form,
    )


@authed(reach=roles.can_run_recheck)
def recheck_export(request: AuthedRequest) -> HttpResponse:
    return FINDINGS.response(request, access.findings_for_user(request.user))


@authed(reach=roles.can_see_care)
def totals_page(request: AuthedRequest) -> HttpResponse:
    return render_list(
        request,
        title=_("发放对账：审批与实发"),
        export=TOTALS,
        items=totals(access.payments_for_user(request.user)),
        export_url=reverse("care:totals_export"),
    )


@authed(reach=roles.can_see_care)
def totals_export(request: AuthedRequest) -> HttpResponse:
    return TOTALS.response(request, totals(access.payments_for_user(request.user)))
