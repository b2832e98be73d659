"""The real-name ultrasound exam register (B超检查实名登记, issue 17 item 1): the one
service every source (the clerk's page, a push) writes an exam through.

Rules: XX镇 plan §三(四)3 (facilities keep real-name registers of B超 exams); the
woman's number is checked and stored as in every real-name register (docs/security.md
§1); an exam by a device or operator not on file is a finding for the facility's
township (docs/registers.md §2).
"""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from srbgov.alerts.models import AlertKind
from srbgov.alerts.services import raise_alert
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.people.services import parse_woman_identity
from srbgov.providers import hooks
from srbgov.providers.models import (
    DeviceOperator,
    DeviceStatus,
    ExamPurpose,
    ExamSource,
    Facility,
    Practitioner,
    UltrasoundDevice,
    UltrasoundExam,
)
from srbgov.providers.services.deliveries import _named_for_arguments, _village
from srbgov.providers.services.realname import check_entry, real_name

if TYPE_CHECKING:
    from srbgov.accounts.models import User

EXAM_SUBJECT = "providers.ultrasoundexam"


def _filed_device(facility: Facility, serial: str) -> UltrasoundDevice | None:
    """The facility's filed, in-use device with this serial number, if any."""
    return UltrasoundDevice.objects.filter(
        facility=facility,
        serial_number=serial,
        filed_on__isnull=False,
        status=DeviceStatus.IN_USE,
    ).first()


def _filed_operator(device: UltrasoundDevice | None, name: str) -> Practitioner | None:
    """The practitioner filed for this very device under this name, if any."""
    if device is None:
        return None
    link = (
        DeviceOperator.objects.filter(
            device=device, practitioner__name=name, practitioner__is_active=True
        )
        .select_related("practitioner")
        .first()
    )
    return link.practitioner if link else None


@transaction.atomic
def record_ultrasound_exam(
    *,
    facility: Facility,
    recorded_by: User,
    id_number: str,
    woman_name: str,
    examined_on: date,
    examined_at: time | None = None,
    device_serial: str,
    operator_name: str,
    gestational_weeks: int,
    purpose: str,
    indication: str = "",
    village_code: str = "",
    source: str = ExamSource.CLERK,
    submission_key: UUID | None = None,
) -> UltrasoundExam:
    """Enter one exam; raise the off-file finding when the device or operator is not
    filed. A submission key seen before returns what it saved then."""
    if submission_key is not None:
        earlier = UltrasoundExam.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            if earlier.recorded_by_id != recorded_by.pk:
                raise ValidationError(_("该表单已由其他用户提交，请重新打开表单。"))
            return earlier
    if source not in ExamSource.values:
        raise ValidationError({"source": [_("来源无效。")]})
    if purpose not in ExamPurpose.values:
        raise ValidationError({"purpose": [_("请选择检查目的。")]})
    check_entry(
        facility=facility,
        pharmacy_refused=_("药店不能登记B超检查。"),
        on=examined_on,
        on_field="examined_on",
        future_refused=_("检查日期不能晚于今天。"),
        gestational_weeks=gestational_weeks,
    )
    serial = device_serial.strip()
    operator_name = operator_name.strip()
    if not serial:
        raise ValidationError({"device_serial": [_("请填写设备出厂编号。")]})
    if not operator_name:
        raise ValidationError({"operator_name": [_("请填写操作人员。")]})
    if purpose == ExamPurpose.OTHER and not indication.strip():
        raise ValidationError({"indication": [_("选择“其他医学指征”时请说明指征。")]})
    with _named_for_arguments():
        parsed = parse_woman_identity(id_number)
    if examined_on <= parsed.birth_on:
        raise ValidationError({"examined_on": [_("检查日期早于孕妇的出生日期。")]})
    name = real_name(name=woman_name, id_number=id_number)
    village = _village(village_code)
    if village is None and name.woman is not None:
        village = name.woman.village
    device = _filed_device(facility, serial)
    operator = _filed_operator(device, operator_name)
    exam = UltrasoundExam(
        facility=facility,
        examined_on=examined_on,
        examined_at=examined_at,
        device=device,
        device_serial=serial,
        operator=operator,
        operator_name=operator_name,
        gestational_weeks=gestational_weeks,
        purpose=purpose,
        indication=indication.strip(),
        village=village,
        source=source,
        submission_key=submission_key,
        recorded_by=recorded_by,
    )
    name.apply(exam)
    exam.full_clean()
    exam.save()
    if exam.off_file:
        missing = _("设备未备案") if device is None else _("操作人员未备案")
        raise_alert(
            kind=AlertKind.EXAM_OFF_FILE,
            area=facility.area,
            subject_type=EXAM_SUBJECT,
            subject_id=exam.pk,
            summary=_("%(facility)s %(date)s B超检查：%(missing)s（设备%(serial)s）")
            % {
                "facility": facility.name,
                "date": examined_on.isoformat(),
                "missing": missing,
                "serial": serial,
            },
        )
    if (
        device is not None
        and examined_at is not None
        and device.outside_hours(examined_at)
    ):
        raise_alert(
            kind=AlertKind.DEVICE_OUT_OF_HOURS,
            area=facility.area,
            subject_type=EXAM_SUBJECT,
            subject_id=exam.pk,
            summary=_(
                "%(facility)s %(date)s %(at)s B超检查：在诊室开放时间"
                "（%(opens)s–%(closes)s）以外使用设备%(serial)s"
            )
            % {
                "facility": facility.name,
                "date": examined_on.isoformat(),
                "at": examined_at.strftime("%H:%M"),
                "opens": f"{device.room_opens_at:%H:%M}",
                "closes": f"{device.room_closes_at:%H:%M}",
                "serial": serial,
            },
        )
    # An exam entered after the termination it preceded is a pattern too (imported
    # here: patterns.py reads EXAM_SUBJECT from this module).
    from srbgov.providers.services.patterns import raise_exam_termination_alerts

    raise_exam_termination_alerts(id_number_hash=exam.id_number_hash)
    hooks.exam_recorded(exam=exam)
    record(
        user=recorded_by,
        action=AuditAction.CREATE,
        obj=exam,
        detail={
            "source": source,
            "weeks": gestational_weeks,
            "off_file": exam.off_file,
            "linked": exam.woman_id is not None,
        },
    )
    return exam
