"""The demo county's ultrasound exam register (issue 17 items 1 and 5): a month of exams
at the demo clerk's health center on its filed device, and one pattern worth an alert —
a woman examined at 16 weeks there who ended the pregnancy at another facility ten
days later (docs/registers.md §3). Entered through the register's own services, so
the demo follows the same rules; deterministic from the anchor day, and a second load
enters nothing."""

from __future__ import annotations

from datetime import date, timedelta

from srbgov.accounts.models import Role
from srbgov.people import identity
from srbgov.people.crypto import identity_cipher
from srbgov.people.models import Woman
from srbgov.providers.models import (
    DeviceOperator,
    FacilityClerk,
    FacilityKind,
    Practitioner,
    PractitionerKind,
    UltrasoundExam,
)
from srbgov.providers.services import (
    raise_exam_termination_alerts,
    record_termination,
    record_ultrasound_exam,
)

# Exams of the month: enough for the register to page.
EXAMS = 30
PATTERN_WOMAN = ("韦秀兰", date(1996, 9, 3))


def _free_number(address: str) -> str:
    """A valid number no registry woman holds (the first free sequence)."""
    cipher = identity_cipher()
    for sequence in range(500, 700):
        number = identity.make_number(address, PATTERN_WOMAN[1], sequence, "F")
        if not Woman.objects.filter(id_number_hash=cipher.lookup_hash(number)).exists():
            return number
    raise RuntimeError("no free identity number for the demo's pattern woman")


def load(*, anchor: date) -> int:
    """Returns how many exams it entered (0 when they were there already)."""
    link = (
        FacilityClerk.objects.filter(user__role=Role.FACILITY_CLERK)
        .select_related("user", "facility", "facility__area")
        .order_by("user__username")
        .first()
    )
    if link is None:
        return 0
    clerk, facility = link.user, link.facility
    if UltrasoundExam.objects.filter(facility=facility).exists():
        return 0
    filed = (
        DeviceOperator.objects.filter(device__facility=facility)
        .select_related("device", "practitioner")
        .order_by("device_id", "practitioner_id")
        .first()
    )
    if filed is None:
        return 0
    township = facility.area
    village = township.children.order_by("code").first()
    women = list(Woman.objects.in_area(township).order_by("pk")[:EXAMS])
    cipher = identity_cipher()
    entered = 0
    for index, woman in enumerate(women):
        record_ultrasound_exam(
            facility=facility,
            recorded_by=clerk,
            id_number=cipher.decrypt(woman.id_number_encrypted),
            woman_name=woman.name,
            examined_on=anchor - timedelta(days=2 + index),
            device_serial=filed.device.serial_number,
            operator_name=filed.practitioner.name,
            gestational_weeks=8 + (index * 5) % 30,
            purpose="routine" if index % 4 else "dating",
        )
        entered += 1
    # The termination at another facility of the county with termination staff:
    # the township's clinic has none, the county hospital has.
    surgeon = (
        Practitioner.objects.filter(kind=PractitionerKind.TERMINATION, is_active=True)
        .exclude(facility=facility)
        .exclude(facility__kind=FacilityKind.PHARMACY)
        .select_related("facility")
        .order_by("facility__kind", "pk")
        .first()
    )
    if surgeon is None or village is None:
        return entered
    number = _free_number(village.code[:6])
    record_ultrasound_exam(
        facility=facility,
        recorded_by=clerk,
        id_number=number,
        woman_name=PATTERN_WOMAN[0],
        examined_on=anchor - timedelta(days=20),
        device_serial=filed.device.serial_number,
        operator_name=filed.practitioner.name,
        gestational_weeks=16,
        purpose="routine",
        village_code=village.code,
    )
    record_termination(
        by=clerk,
        facility=surgeon.facility,
        woman_name=PATTERN_WOMAN[0],
        id_number=number,
        terminated_on=anchor - timedelta(days=10),
        gestational_weeks=17,
        method="induction",
        operator=surgeon,
        medical_reason="本人要求",
    )
    raise_exam_termination_alerts()
    return entered + 1
