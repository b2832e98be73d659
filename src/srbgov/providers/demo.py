"""Demo registries for the demo county: facilities, B超 devices, staff, pledges, drug
purchases and a few register entries. Deterministic and idempotent (keyed by names)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

from srbgov.accounts.models import Role, User
from srbgov.alerts.models import AlertKind
from srbgov.alerts.services import raise_alert
from srbgov.areas.models import Area
from srbgov.people.crypto import identity_cipher
from srbgov.people.models import Woman
from srbgov.providers.models import (
    DeviceOperator,
    DrugItem,
    DrugPurchase,
    Facility,
    FacilityClerk,
    FacilityKind,
    Pledge,
    Practitioner,
    PractitionerKind,
    TerminationMethod,
    TerminationRecord,
    UltrasoundDevice,
)

STAFF = [
    "李建华",
    "王秀英",
    "张丽",
    "刘洋",
    "陈静",
    "杨帆",
    "赵敏",
    "黄磊",
    "周婷",
    "吴刚",
]


def _facilities(township: Area, index: int) -> list[Facility]:
    village = township.children.order_by("code").first() or township
    short = township.name[:-1]
    specs = [
        (f"{township.name}卫生院", FacilityKind.HEALTH_CENTER, township),
        (f"{short}仁爱诊所", FacilityKind.CLINIC, township),
        (f"{village.name}卫生室", FacilityKind.VILLAGE_CLINIC, village),
        (f"{short}康民大药房", FacilityKind.PHARMACY, township),
    ]
    if index == 0:
        specs.insert(0, ("示范县人民医院", FacilityKind.HOSPITAL, township))
    facilities = []
    for n, (name, kind, area) in enumerate(specs):
        facility, _created = Facility.objects.get_or_create(
            name=name,
            area=area,
            defaults={
                "kind": kind,
                "licence_number": f"PDY{township.code[6:9]}{n:03d}",
                "address": f"{township.name}{area.name if area != township else ''}街{n + 1}号",
                "head_name": STAFF[(index + n) % len(STAFF)],
            },
        )
        facilities.append(facility)
    return facilities


def _staff(facility: Facility, anchor: date, seed: int) -> None:
    """Operators and pledges, with one gap of each kind somewhere in the county."""
    if facility.practitioners.exists() or facility.pledges.exists():
        return
    kinds = {
        FacilityKind.HOSPITAL: [PractitionerKind.ULTRASOUND] * 2
        + [PractitionerKind.TERMINATION] * 2,
        FacilityKind.HEALTH_CENTER: [
            PractitionerKind.ULTRASOUND,
            PractitionerKind.TERMINATION,
        ],
        FacilityKind.CLINIC: [PractitionerKind.ULTRASOUND],
        FacilityKind.PHARMACY: [PractitionerKind.PHARMACIST],
    }.get(FacilityKind(facility.kind), [])
    people = [
        Practitioner.objects.create(
            facility=facility,
            name=STAFF[(seed + i * 3) % len(STAFF)][0] + "医" + "师生员"[i % 3],
            kind=kind,
            qualification=_("执业医师")
            if kind != PractitionerKind.PHARMACIST
            else _("执业药师"),
            qualification_number=f"ZY{seed:03d}{i:02d}",
        )
        for i, kind in enumerate(kinds)
    ]
    by = (
        User.objects.filter(role=Role.HEALTH_CENTER).order_by("pk").first()
        or User.objects.filter(role=Role.ADMIN).first()
    )
    if by is None:
        return
    if facility.kind in (
        FacilityKind.HOSPITAL,
        FacilityKind.HEALTH_CENTER,
        FacilityKind.CLINIC,
    ):
        device = UltrasoundDevice.objects.create(
            facility=facility,
            model_name=["迈瑞 DC-70", "开立 S50", "GE Voluson E8"][seed % 3],
            serial_number=f"SN{seed:04d}{facility.pk:04d}",
            purchased_on=anchor - timedelta(days=900 + 40 * seed),
            filed_on=anchor - timedelta(days=880 + 40 * seed),
            room=_("B超室"),
        )
        operators = [p for p in people if p.kind == PractitionerKind.ULTRASOUND]
        # Every third device lacks its filed operator: a gap to fix.
        if seed % 3 != 2:
            for p in operators:
                DeviceOperator.objects.create(
                    device=device, practitioner=p, filed_on=device.filed_on or anchor
                )
    signers: list[Practitioner | None] = [None, *people]
    for i, person in enumerate(signers):
        if (seed + i) % 5 == 4:
            continue  # a missing pledge
        signed = anchor - timedelta(days=300 + 20 * i)
        Pledge.objects.create(
            facility=facility,
            practitioner=person,
            signer_name=person.name if person else facility.head_name,
            signed_on=signed,
            # Some expire within the next two months: listed as expiring.
            expires_on=signed + timedelta(days=365 if (seed + i) % 4 else 330),
            recorded_by=by,
        )


def _drugs_and_terminations(facility: Facility, anchor: date, seed: int) -> None:
    if facility.kind not in (FacilityKind.HOSPITAL, FacilityKind.HEALTH_CENTER):
        return
    by = User.objects.filter(role=Role.HEALTH_CENTER).order_by("pk").first()
    if by is None or DrugPurchase.objects.filter(facility=facility).exists():
        return
    for drug in DrugItem.objects.filter(area__isnull=True):
        DrugPurchase.objects.create(
            facility=facility,
            drug=drug,
            quantity=20 + seed,
            purchased_on=anchor - timedelta(days=120),
            supplier=_("示范县医药公司"),
            batch_number=f"B{anchor:%y}{seed:03d}",
            recorded_by=by,
        )
    operator = facility.practitioners.filter(kind=PractitionerKind.TERMINATION).first()
    women = Woman.objects.filter(
        village__code__startswith=facility.area.scope_prefix
    ).order_by("pk")
    if operator is None:
        return
    weeks = [7, 9, 11, 16] if seed == 0 else [8, 10]
    for n, (woman, week) in enumerate(
        zip(women[5 : 5 + len(weeks)], weeks, strict=False)
    ):
        entry = TerminationRecord.objects.create(
            facility=facility,
            woman=woman,
            woman_name=woman.name,
            id_number_encrypted=woman.id_number_encrypted,
            id_number_hash=woman.id_number_hash,
            id_number_masked=woman.id_number_masked,
            terminated_on=anchor - timedelta(days=30 + 17 * n),
            gestational_weeks=week,
            method=TerminationMethod.INDUCTION
            if week >= 14
            else TerminationMethod.MEDICAL,
            operator=operator,
            medical_reason=_("本人要求，医学评估无禁忌")
            if week < 14
            else _("待补办查验"),
            recorded_by=by,
        )
        if entry.needs_verification:
            raise_alert(
                kind=AlertKind.LATE_TERMINATION_UNAPPROVED,
                area=facility.area,
                subject_type="providers.terminationrecord",
                subject_id=entry.pk,
                summary=f"{facility.name}：{entry.id_number_masked} 孕{week}周终止妊娠，无完成的查验",
            )


def load(*, townships: list[Area], anchor: date) -> list[Facility]:
    identity_cipher()  # fail early on a missing key, as the registry does
    facilities: list[Facility] = []
    for index, township in enumerate(townships):
        facilities += _facilities(township, index)
    for seed, facility in enumerate(facilities):
        _staff(facility, anchor, seed)
        _drugs_and_terminations(facility, anchor, seed)
    clerk = User.objects.filter(
        role=Role.FACILITY_CLERK, clerk_facility__isnull=True
    ).first()
    if clerk is not None and clerk.area is not None:
        health_center = Facility.objects.filter(
            area=clerk.area, kind=FacilityKind.HEALTH_CENTER
        ).first()
        if health_center is not None:
            FacilityClerk.objects.create(user=clerk, facility=health_center)
    return facilities
