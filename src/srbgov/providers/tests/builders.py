"""Builders for provider-oversight tests (imported only by tests)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from srbgov.accounts.models import User
from srbgov.areas.models import Area
from srbgov.providers.models import (
    Facility,
    FacilityKind,
    Practitioner,
    PractitionerKind,
    TerminationVerification,
)
from srbgov.providers.services import (
    request_verification,
    save_facility,
    save_practitioner,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf_upload(name: str = "诊断证明.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_facility(
    *,
    by: User,
    area: Area,
    name: str = "甲镇卫生院",
    kind: str = FacilityKind.HEALTH_CENTER,
) -> Facility:
    return save_facility(
        by=by,
        name=name,
        kind=kind,
        area=area,
        licence_number="PDY0001",
        head_name="院长",
    )


def make_practitioner(
    *,
    by: User,
    facility: Facility,
    name: str = "李医生",
    kind: str = PractitionerKind.TERMINATION,
) -> Practitioner:
    return save_practitioner(by=by, facility=facility, name=name, kind=kind)


def make_verification(
    *, by: User, facility: Facility, name: str, id_number: str
) -> TerminationVerification:
    return request_verification(
        by=by,
        facility=facility,
        woman_name=name,
        id_number=id_number,
        reason="fetal_defect",
        diagnosis_facility="示范县人民医院",
        diagnosis="胎儿严重心脏畸形",
        diagnosed_on=timezone.localdate() - timedelta(days=2),
        evidence=pdf_upload(),
    )


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)
