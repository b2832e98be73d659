"""Writes to the provider registries: facilities, B超 devices and their operators,
practitioners and pledges (责任书). Keyword-only, atomic, audited."""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.areas.models import Area
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.files.services import Upload, clean_uploads_first, store_upload
from srbgov.providers.models import (
    DeviceOperator,
    Facility,
    Pledge,
    Practitioner,
    PractitionerKind,
    UltrasoundDevice,
)

if TYPE_CHECKING:
    from srbgov.accounts.models import User


def _apply(obj: Any, values: dict[str, Any]) -> list[str]:
    changed = []
    for field, value in values.items():
        value = value.strip() if isinstance(value, str) else value
        if obj.pk is None or getattr(obj, field) != value:
            setattr(obj, field, value)
            changed.append(field)
    return changed


def _audit_save(by: User, obj: Any, created: bool, changed: list[str]) -> None:
    obj.full_clean()
    obj.save()
    record(
        user=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=obj,
        detail={} if created else {"fields": changed},
    )


@transaction.atomic
def save_facility(
    *,
    by: User,
    facility: Facility | None = None,
    name: str,
    kind: str,
    area: Area,
    licence_number: str = "",
    address: str = "",
    status: str = "open",
    head_name: str = "",
    phone: str = "",
) -> Facility:
    """Register or edit a facility in one's own area (卫生院/计生办/县卫健局)."""
    if not by.scope.contains(area):
        raise ValidationError({"area": ["只能登记本辖区内的机构。"]})
    created = facility is None
    facility = facility or Facility()
    changed = _apply(
        facility,
        {
            "name": name,
            "kind": kind,
            "area": area,
            "licence_number": licence_number,
            "address": address,
            "status": status,
            "head_name": head_name,
            "phone": phone,
        },
    )
    _audit_save(by, facility, created, changed)
    return facility


@transaction.atomic
def save_device(
    *,
    by: User,
    facility: Facility,
    device: UltrasoundDevice | None = None,
    model_name: str,
    serial_number: str,
    purchased_on: date | None = None,
    filed_on: date | None = None,
    room: str = "",
    room_opens_at: time | None = None,
    room_closes_at: time | None = None,
    is_fetal_sex_capable: bool = True,
    status: str = "in_use",
) -> UltrasoundDevice:
    """File (备案) a B超 device or edit it. Serial numbers are unique per facility.
    The room's hours are both given or neither, opening before closing."""
    if (room_opens_at is None) != (room_closes_at is None) or (
        room_opens_at is not None
        and room_closes_at is not None
        and room_opens_at >= room_closes_at
    ):
        raise ValidationError(
            {"room_closes_at": [_("请同时填写开放和关闭时间，且开放早于关闭。")]}
        )
    created = device is None
    device = device or UltrasoundDevice(facility=facility)
    if (
        UltrasoundDevice.objects.filter(
            facility=facility, serial_number=serial_number.strip()
        )
        .exclude(pk=device.pk)
        .exists()
    ):
        raise ValidationError(
            {"serial_number": ["本机构已登记该出厂编号的设备，请勿重复登记。"]}
        )
    changed = _apply(
        device,
        {
            "model_name": model_name,
            "serial_number": serial_number,
            "purchased_on": purchased_on,
            "filed_on": filed_on,
            "room": room,
            "room_opens_at": room_opens_at,
            "room_closes_at": room_closes_at,
            "is_fetal_sex_capable": is_fetal_sex_capable,
            "status": status,
        },
    )
    _audit_save(by, device, created, changed)
    return device


@transaction.atomic
def file_operator(
    *,
    by: User,
    device: UltrasoundDevice,
    practitioner: Practitioner,
    filed_on: date | None = None,
) -> DeviceOperator:
    """File an operator for a device: an ultrasound operator of the same facility."""
    if practitioner.facility_id != device.facility_id:
        raise ValidationError({"practitioner": ["操作人员必须是本机构的人员。"]})
    if practitioner.kind != PractitionerKind.ULTRASOUND:
        raise ValidationError({"practitioner": ["只能备案岗位为“B超操作人员”的人员。"]})
    if DeviceOperator.objects.filter(device=device, practitioner=practitioner).exists():
        raise ValidationError({"practitioner": ["该人员已备案为本设备操作人员。"]})
    link = DeviceOperator(
        device=device,
        practitioner=practitioner,
        filed_on=filed_on or timezone.localdate(),
    )
    link.full_clean()
    link.save()
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=device,
        detail={"operator_filed": practitioner.pk},
    )
    return link


@transaction.atomic
def save_practitioner(
    *,
    by: User,
    facility: Facility,
    practitioner: Practitioner | None = None,
    name: str,
    kind: str,
    qualification: str = "",
    qualification_number: str = "",
    phone: str = "",
    is_active: bool = True,
) -> Practitioner:
    created = practitioner is None
    practitioner = practitioner or Practitioner(facility=facility)
    changed = _apply(
        practitioner,
        {
            "name": name,
            "kind": kind,
            "qualification": qualification,
            "qualification_number": qualification_number,
            "phone": phone,
            "is_active": is_active,
        },
    )
    _audit_save(by, practitioner, created, changed)
    return practitioner


@clean_uploads_first("scan")
@transaction.atomic
def record_pledge(
    *,
    by: User,
    facility: Facility,
    practitioner: Practitioner | None,
    signed_on: date,
    expires_on: date,
    signer_name: str = "",
    scan: Upload | None = None,
) -> Pledge:
    """A signed 责任书: by the facility head (no practitioner) or one practitioner."""
    if practitioner is not None and practitioner.facility_id != facility.pk:
        raise ValidationError({"practitioner": ["签订人员必须是本机构的人员。"]})
    if expires_on <= signed_on:
        raise ValidationError({"expires_on": ["有效期必须晚于签订日期。"]})
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": ["签订日期不能晚于今天。"]})
    signer = signer_name.strip() or (
        practitioner.name if practitioner else facility.head_name
    )
    if not signer:
        raise ValidationError({"signer_name": ["请填写签订人（机构负责人）姓名。"]})
    pledge = Pledge(
        facility=facility,
        practitioner=practitioner,
        signer_name=signer,
        signed_on=signed_on,
        expires_on=expires_on,
        recorded_by=by,
    )
    if scan is not None:
        pledge.scan = store_upload(by=by, upload=scan, folder="pledges", field="scan")
    pledge.full_clean()
    pledge.save()
    record(user=by, action=AuditAction.CREATE, obj=pledge)
    return pledge
