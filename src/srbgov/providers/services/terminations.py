"""The real-name termination register (终止妊娠实名登记) and the verification of medical
need (终止妊娠查验) for terminations at 14 weeks or more.

Rules: provincial real-name registration of terminations; 松坪乡 agreement §3 (14 weeks);
Population and Family Planning Law Art. 39 (no sex-selective termination). An entry at
14 weeks or more without a completed verification is saved — the register must be
truthful — and raises an alert; completing the verification resolves it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.alerts.models import AlertKind
from srbgov.alerts.services import raise_alert, resolve_alerts_for
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.files.services import Upload, clean_uploads_first, store_upload
from srbgov.providers.hooks import termination_certified, termination_registered
from srbgov.providers.models import (
    LATE_TERMINATION_WEEKS,
    Facility,
    Practitioner,
    PractitionerKind,
    TerminationRecord,
    TerminationVerification,
    VerificationStatus,
)
from srbgov.providers.services.patterns import raise_exam_termination_alerts
from srbgov.providers.services.realname import copy_real_name, real_name

if TYPE_CHECKING:
    from srbgov.accounts.models import User

TERMINATION = "providers.terminationrecord"


def _check_entry(
    facility: Facility, operator: Practitioner, terminated_on: date, weeks: int
) -> None:
    if facility.is_pharmacy:
        raise ValidationError({"facility": ["药店不能登记终止妊娠手术。"]})
    if operator.facility_id != facility.pk:
        raise ValidationError({"operator": ["手术人员必须是本机构的人员。"]})
    if operator.kind != PractitionerKind.TERMINATION:
        raise ValidationError({"operator": ["请选择岗位为“终止妊娠手术人员”的人员。"]})
    if terminated_on > timezone.localdate():
        raise ValidationError({"terminated_on": ["手术日期不能晚于今天。"]})
    if not 1 <= weeks <= 42:
        raise ValidationError({"gestational_weeks": ["孕周应在1到42周之间。"]})


def _pick_verification(
    number_hash: str, chosen: TerminationVerification | None
) -> TerminationVerification | None:
    """The verification the entry references: the one chosen, else her only unused one."""
    if chosen is not None:
        if chosen.id_number_hash != number_hash:
            raise ValidationError({"verification": ["所选查验不是这位妇女的。"]})
        if TerminationRecord.objects.filter(verification=chosen).exists():
            raise ValidationError({"verification": ["该查验已被其他登记引用。"]})
        return chosen
    unused = TerminationVerification.objects.filter(
        id_number_hash=number_hash, termination__isnull=True
    ).exclude(status=VerificationStatus.REJECTED)
    return unused.first() if unused.count() == 1 else None


def _raise_unverified(entry: TerminationRecord) -> None:
    raise_alert(
        kind=AlertKind.LATE_TERMINATION_UNAPPROVED,
        area=entry.facility.area,
        subject_type=TERMINATION,
        subject_id=entry.pk,
        summary=_("%(facility)s：%(masked)s 孕%(weeks)d周终止妊娠，无完成的查验")
        % {
            "facility": entry.facility.name,
            "masked": entry.id_number_masked,
            "weeks": entry.gestational_weeks,
        },
    )


@transaction.atomic
def record_termination(
    *,
    by: User,
    facility: Facility,
    woman_name: str,
    id_number: str,
    terminated_on: date,
    gestational_weeks: int,
    method: str,
    operator: Practitioner,
    medical_reason: str,
    verification: TerminationVerification | None = None,
) -> TerminationRecord:
    """Enter one termination in the facility's register and close her pregnancy."""
    _check_entry(facility, operator, terminated_on, gestational_weeks)
    if not medical_reason.strip():
        raise ValidationError({"medical_reason": ["请填写医学原因。"]})
    name = real_name(name=woman_name, id_number=id_number)
    entry = TerminationRecord(
        facility=facility,
        terminated_on=terminated_on,
        gestational_weeks=gestational_weeks,
        method=method,
        operator=operator,
        medical_reason=medical_reason.strip(),
        recorded_by=by,
    )
    name.apply(entry)
    if gestational_weeks >= LATE_TERMINATION_WEEKS or verification is not None:
        entry.verification = _pick_verification(name.number_hash, verification)
    entry.full_clean()
    entry.save()
    record(
        user=by,
        action=AuditAction.CREATE,
        obj=entry,
        detail={"weeks": gestational_weeks, "verification": entry.verification_id},
    )
    if entry.needs_verification:
        _raise_unverified(entry)
    termination_registered(by=by, entry=entry)
    # An exam at 14+ weeks elsewhere in the 30 days before (docs/registers.md §3).
    raise_exam_termination_alerts(id_number_hash=entry.id_number_hash)
    return entry


@clean_uploads_first("evidence")
@transaction.atomic
def request_verification(
    *,
    by: User,
    facility: Facility,
    reason: str,
    diagnosis_facility: str,
    diagnosis: str,
    diagnosed_on: date,
    evidence: Upload,
    termination: TerminationRecord | None = None,
    woman_name: str = "",
    id_number: str = "",
) -> TerminationVerification:
    """Open a verification: the medical reason (one of the three the law allows), the
    diagnosis of a qualified facility and its uploaded proof. For an entry already in
    the register, she is the entry's woman and the entry will reference it."""
    if termination is not None:
        if termination.verification_id is not None:
            raise ValidationError(_("该登记已有查验。"))
        name = copy_real_name(termination)
        facility = termination.facility
    else:
        name = real_name(name=woman_name, id_number=id_number)
    if diagnosed_on > timezone.localdate():
        raise ValidationError({"diagnosed_on": ["诊断日期不能晚于今天。"]})
    verification = TerminationVerification(
        facility=facility,
        reason=reason,
        diagnosis_facility=diagnosis_facility.strip(),
        diagnosis=diagnosis.strip(),
        diagnosed_on=diagnosed_on,
        requested_by=by,
    )
    name.apply(verification)
    verification.evidence = store_upload(
        by=by, upload=evidence, folder="verifications", field="evidence"
    )
    verification.full_clean()
    verification.save()
    record(user=by, action=AuditAction.CREATE, obj=verification)
    if termination is not None:
        termination.verification = verification
        termination.save(update_fields=["verification"])
        record(
            user=by,
            action=AuditAction.UPDATE,
            obj=termination,
            detail={"verification": verification.pk},
        )
    return verification


@transaction.atomic
def review_verification(
    *, by: User, verification: TerminationVerification, approve: bool, note: str = ""
) -> TerminationVerification:
    """乡镇审核: the township officer agrees or refuses (a refusal says why)."""
    verification = TerminationVerification.objects.select_for_update().get(
        pk=verification.pk
    )
    if verification.status != VerificationStatus.REQUESTED:
        raise ValidationError(_("该查验已审核，不能重复审核。"))
    if not approve and not note.strip():
        raise ValidationError({"note": ["不同意时请填写理由。"]})
    verification.status = (
        VerificationStatus.REVIEWED if approve else VerificationStatus.REJECTED
    )
    verification.reviewed_by = by
    verification.reviewed_at = timezone.now()
    verification.review_note = note.strip()
    verification.full_clean()
    verification.save()
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=verification,
        detail={"review": "approved" if approve else "rejected"},
    )
    return verification


@transaction.atomic
def certify_verification(
    *, by: User, verification: TerminationVerification, certificate_number: str
) -> TerminationVerification:
    """县级出具证明: the certificate number completes the verification and resolves
    the alert of the register entry that references it."""
    verification = TerminationVerification.objects.select_for_update().get(
        pk=verification.pk
    )
    if verification.status != VerificationStatus.REVIEWED:
        raise ValidationError(_("只能为乡镇审核同意的查验出具证明。"))
    number = certificate_number.strip()
    if not number:
        raise ValidationError({"certificate_number": ["请填写县级证明编号。"]})
    verification.status = VerificationStatus.CERTIFIED
    verification.certificate_number = number
    verification.certified_by = by
    verification.certified_at = timezone.now()
    verification.full_clean()
    verification.save()
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=verification,
        detail={"certificate_number": number},
    )
    entry = TerminationRecord.objects.filter(verification=verification).first()
    if entry is not None:
        termination_certified(by=by, entry=entry, verification=verification)
        resolve_alerts_for(
            kind=AlertKind.LATE_TERMINATION_UNAPPROVED,
            subject_type=TERMINATION,
            subject_id=entry.pk,
            resolution=_("终止妊娠查验已完成，县级证明编号 %(number)s。")
            % {"number": number},
        )
    return verification
