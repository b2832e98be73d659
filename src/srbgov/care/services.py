"""Every write of girl care: programmes, applications, notices, batches, payments and
the yearly re-check (docs/care.md §3). Typed keyword-only services, one transaction
each, audited; Chinese messages for the user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.accounts.models import User
from srbgov.areas.models import Area
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.care import eligibility
from srbgov.care.households import household_facts, refresh_households
from srbgov.care.models import (
    Application,
    ApplicationStatus,
    BatchStatus,
    BenefitProgram,
    CareHousehold,
    Payment,
    PaymentBatch,
    PaymentStatus,
    PublicNotice,
    RecheckFinding,
)
from srbgov.people import textinput
from srbgov.people.crypto import identity_cipher


def county_of(area: Area) -> Area:
    while area.parent is not None:
        area = area.parent
    return area


@transaction.atomic
def save_program(
    *, by: User, program: BenefitProgram | None = None, **fields: Any
) -> BenefitProgram:
    """Create or change a programme of the user's county (county officers only)."""
    program = program or BenefitProgram(county=county_of(by.scope))
    for name, value in fields.items():
        setattr(program, name, value)
    bad = set(program.kinds) - set(eligibility.KINDS)
    if not program.kinds or bad:
        raise ValidationError({"kinds": _("请选择适用的家庭类别。")})
    program.full_clean()
    created = program.pk is None
    program.save()
    record(
        user=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=program,
    )
    return program


def decide(
    *, household: CareHousehold, program: BenefitProgram, on: date
) -> eligibility.Decision:
    return eligibility.evaluate(program.rule(), household_facts(household), on=on)


def clean_account(raw: str) -> str:
    """A bank card or account number: 12 to 30 ASCII digits (spaces allowed)."""
    try:
        digits = textinput.digits_only(raw.replace(" ", ""), label="银行账号")
    except textinput.InputError as problem:
        raise ValidationError({"account": problem.message}) from None
    if not 12 <= len(digits) <= 30:
        raise ValidationError({"account": _("银行账号应为12至30位数字。")})
    return digits


def mask_account(digits: str) -> str:
    """Only the last four digits, as bank slips show them."""
    return "*" * 8 + digits[-4:]


@transaction.atomic
def apply(
    *,
    by: User,
    household: CareHousehold,
    program: BenefitProgram,
    payee_name: str,
    bank_name: str,
    account: str,
    on: date,
) -> Application:
    """The village worker applies with the family. Refused unless the household
    qualifies today; the reasons are kept with the application."""
    decision = decide(household=household, program=program, on=on)
    if not decision.qualifies:
        raise ValidationError(
            _("不符合该项目条件：%(why)s") % {"why": "；".join(decision.reasons)}
        )
    if (
        Application.objects.filter(household=household, program=program)
        .exclude(status__in=[ApplicationStatus.REJECTED, ApplicationStatus.ENDED])
        .exists()
    ):
        raise ValidationError(_("该家庭已有此项目的申请或正在享受。"))
    digits = clean_account(account)
    application = Application(
        household=household,
        program=program,
        persons=decision.persons,
        yearly_amount=program.yearly_amount * decision.persons,
        reasons="；".join(decision.reasons)[:300],
        payee_name=textinput.clean_name(payee_name),
        bank_name=bank_name.strip(),
        account_encrypted=identity_cipher().encrypt(digits),
        account_masked=mask_account(digits),
        submitted_by=by,
        submitted_on=on,
    )
    application.full_clean()
    application.save()
    record(user=by, action=AuditAction.CREATE, obj=application)
    return application


def _move(
    application: Application, expected: str, *, by: User, to: str, **detail: Any
) -> None:
    if application.status != expected:
        raise ValidationError(_("该申请当前状态不能进行此操作。"))
    application.status = to
    application.full_clean()
    application.save()
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=application,
        detail={"status": to, **detail},
    )


@transaction.atomic
def review(
    *, by: User, application: Application, approve: bool, note: str = ""
) -> Application:
    """乡镇审核: passes the application on to the notice, or refuses it with a note."""
    if not approve and not note.strip():
        raise ValidationError({"note": _("不通过时请填写审核意见。")})
    application.reviewed_by = by
    application.review_note = note.strip()
    to = ApplicationStatus.REVIEWED if approve else ApplicationStatus.REJECTED
    _move(application, ApplicationStatus.SUBMITTED, by=by, to=to, review=approve)
    return application


@transaction.atomic
def post_notice(
    *, by: User, village: Area, program: BenefitProgram, posted_on: date, days: int
) -> PublicNotice:
    """公示: every reviewed application of the village for the programme goes on one
    notice, posted in the village for at least the programme's number of days."""
    if days < program.notice_days:
        raise ValidationError(
            {"days": _("公示不得少于%(n)s天。") % {"n": program.notice_days}}
        )
    if posted_on > timezone.localdate():
        raise ValidationError({"posted_on": _("张贴日期不能晚于今天。")})
    pending = list(
        Application.objects.in_area(village)
        .filter(program=program, status=ApplicationStatus.REVIEWED)
        .select_for_update()
    )
    if not pending:
        raise ValidationError(_("该村没有待公示的申请。"))
    notice = PublicNotice(
        village=village, program=program, posted_on=posted_on, days=days, posted_by=by
    )
    notice.full_clean()
    notice.save()
    for application in pending:
        application.notice = notice
        _move(
            application,
            ApplicationStatus.REVIEWED,
            by=by,
            to=ApplicationStatus.ON_NOTICE,
            notice=notice.pk,
        )
    record(user=by, action=AuditAction.CREATE, obj=notice, detail={"n": len(pending)})
    return notice


@transaction.atomic
def approve(
    *, by: User, application: Application, approve: bool, on: date, note: str = ""
) -> Application:
    """县级审批, only once the notice period is over."""
    notice = application.notice
    if notice is None or on <= notice.ends_on:
        raise ValidationError(_("公示期未满，暂不能审批。"))
    if not approve and not note.strip():
        raise ValidationError({"note": _("不通过时请填写意见。")})
    application.approved_by = by
    application.approved_on = on
    if not approve:
        application.review_note = note.strip()
    to = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
    _move(application, ApplicationStatus.ON_NOTICE, by=by, to=to, approve=approve)
    return application


@transaction.atomic
def prepare_batch(*, by: User, program: BenefitProgram, year: int) -> PaymentBatch:
    """编制发放批次: every approved enrolment of the programme without a live payment
    for the year (first payments and retries of returned ones)."""
    enrolled = Application.objects.in_area(program.county).filter(
        program=program, status=ApplicationStatus.APPROVED, approved_on__year__lte=year
    )
    live = Payment.objects.filter(
        year=year, status__in=[PaymentStatus.PENDING, PaymentStatus.PAID]
    ).values("application_id")
    due = list(enrolled.exclude(pk__in=live))
    if not due:
        raise ValidationError(_("没有需要发放的对象。"))
    batch = PaymentBatch(
        county=program.county, program=program, year=year, prepared_by=by
    )
    batch.full_clean()
    batch.save()
    returned = {
        p.application_id: p
        for p in Payment.objects.filter(
            year=year, status=PaymentStatus.RETURNED, retry__isnull=True
        ).filter(application__in=due)
    }
    Payment.objects.bulk_create(
        Payment(
            batch=batch,
            application=a,
            year=year,
            amount=a.yearly_amount,
            retry_of=returned.get(a.pk),
        )
        for a in due
    )
    record(user=by, action=AuditAction.CREATE, obj=batch, detail={"n": len(due)})
    return batch


@transaction.atomic
def approve_batch(*, by: User, batch: PaymentBatch) -> PaymentBatch:
    """The second person's approval; the database refuses the same person too
    (constraint care_paymentbatch_two_people)."""
    if batch.status != BatchStatus.PREPARED:
        raise ValidationError(_("该批次不在待审核状态。"))
    if batch.prepared_by_id == by.pk:
        raise ValidationError(_("编制人不能审核自己编制的批次，请由另一人审核。"))
    batch.approved_by = by
    batch.approved_at = timezone.now()
    batch.status = BatchStatus.APPROVED
    batch.full_clean()
    batch.save()
    record(user=by, action=AuditAction.UPDATE, obj=batch, detail={"approved": True})
    return batch


@transaction.atomic
def record_return(
    *, by: User, payment: Payment, returned_on: date, reason: str
) -> Payment:
    """银行退回: the payment stays in its batch as returned; the next batch retries."""
    if payment.batch.status == BatchStatus.PREPARED:
        raise ValidationError(_("批次尚未审核，不能登记退回。"))
    if payment.status == PaymentStatus.RETURNED:
        raise ValidationError(_("该笔已登记退回。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写退回原因。")})
    payment.status = PaymentStatus.RETURNED
    payment.returned_on = returned_on
    payment.return_reason = reason.strip()
    payment.full_clean()
    payment.save()
    record(user=by, action=AuditAction.UPDATE, obj=payment, detail={"returned": True})
    return payment


@transaction.atomic
def close_batch(*, by: User, batch: PaymentBatch) -> PaymentBatch:
    """银行回执: every payment not recorded as returned was paid."""
    if batch.status != BatchStatus.APPROVED:
        raise ValidationError(_("只有已审核的批次可以登记回执。"))
    paid = batch.payments.filter(status=PaymentStatus.PENDING).update(
        status=PaymentStatus.PAID
    )
    batch.status = BatchStatus.CLOSED
    batch.save(update_fields=["status"])
    record(user=by, action=AuditAction.UPDATE, obj=batch, detail={"paid": paid})
    return batch


@transaction.atomic
def change_account(
    *, by: User, application: Application, bank_name: str, account: str
) -> Application:
    """A new account after a return (the retry goes to it)."""
    digits = clean_account(account)
    application.bank_name = bank_name.strip()
    application.account_encrypted = identity_cipher().encrypt(digits)
    application.account_masked = mask_account(digits)
    application.full_clean()
    application.save()
    record(user=by, action=AuditAction.UPDATE, obj=application, detail={"account": 1})
    return application


@dataclass(frozen=True)
class RecheckResult:
    checked: int
    ended: list[RecheckFinding]


@transaction.atomic
def run_recheck(*, by: User, area: Area, year: int, on: date) -> RecheckResult:
    """年审 before the year's batch: the households of the area are derived again from
    the registry, and every enrolment that no longer qualifies (a death, a move, a
    new child) is ended with the reason and listed."""
    refresh_households(area=area)
    enrolled = list(
        Application.objects.in_area(area)
        .filter(status=ApplicationStatus.APPROVED)
        .select_related("household__woman", "program")
        .select_for_update(of=("self",))
    )
    ended: list[RecheckFinding] = []
    for application in enrolled:
        household = application.household
        decision = decide(household=household, program=application.program, on=on)
        if decision.qualifies:
            continue
        reason = f"{household.reason}；{'；'.join(decision.missing)}"[:300]
        application.status = ApplicationStatus.ENDED
        application.ended_on = on
        application.end_reason = reason[:200]
        application.save(update_fields=["status", "ended_on", "end_reason"])
        finding = RecheckFinding.objects.create(
            application=application, year=year, reason=reason, found_on=on, found_by=by
        )
        record(
            user=by,
            action=AuditAction.UPDATE,
            obj=application,
            detail={"recheck": year, "ended": reason},
        )
        ended.append(finding)
    return RecheckResult(len(enrolled), ended)
