"""The demo county's device hours (issue 17 item 5, docs/registers.md §3): the demo
clerk's health center keeps its B超 room open 08:00–17:30, and one exam of the
register was done at 19:20 — an open `device_out_of_hours` alert for the township.
After demo/registers.py (it needs the filed device and the exams); deterministic from
the anchor day, and a second load changes nothing."""

from __future__ import annotations

from datetime import date, time, timedelta

from srbgov.accounts.models import Role, User
from srbgov.people.crypto import identity_cipher
from srbgov.people.models import Woman
from srbgov.providers.models import DeviceOperator, FacilityClerk, UltrasoundExam
from srbgov.providers.services import record_ultrasound_exam, save_device

OPENS, CLOSES = time(8, 0), time(17, 30)
LATE_EXAM = time(19, 20)


def load(*, anchor: date) -> int:
    """Returns how many exams it entered (0 when it was there already)."""
    link = (
        FacilityClerk.objects.filter(user__role=Role.FACILITY_CLERK)
        .select_related("user", "facility")
        .order_by("user__username")
        .first()
    )
    if link is None:
        return 0
    clerk, facility = link.user, link.facility
    filed = (
        DeviceOperator.objects.filter(device__facility=facility)
        .select_related("device", "practitioner")
        .order_by("device_id", "practitioner_id")
        .first()
    )
    if filed is None:
        return 0
    if UltrasoundExam.objects.filter(
        facility=facility, examined_at__isnull=False
    ).exists():
        return 0
    device = filed.device
    # The health center keeps the device file; the clerk only enters exams.
    keeper = (
        User.objects.filter(role=Role.HEALTH_CENTER, area=facility.area)
        .order_by("username")
        .first()
    )
    save_device(
        by=keeper or clerk,
        facility=facility,
        device=device,
        model_name=device.model_name,
        serial_number=device.serial_number,
        purchased_on=device.purchased_on,
        filed_on=device.filed_on,
        room=device.room,
        room_opens_at=OPENS,
        room_closes_at=CLOSES,
        is_fetal_sex_capable=device.is_fetal_sex_capable,
        status=device.status,
    )
    woman = Woman.objects.in_area(facility.area).order_by("-pk").first()
    if woman is None:
        return 0
    record_ultrasound_exam(
        facility=facility,
        recorded_by=clerk,
        id_number=identity_cipher().decrypt(woman.id_number_encrypted),
        woman_name=woman.name,
        examined_on=anchor - timedelta(days=5),
        examined_at=LATE_EXAM,
        device_serial=device.serial_number,
        operator_name=filed.practitioner.name,
        gestational_weeks=12,
        purpose="routine",
    )
    return 1
