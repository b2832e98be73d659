"""Builders for provider-oversight tests (imported only by tests)."""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

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

# A real one-page PDF (A4, blank) with no metadata, exactly as the upload pipeline
# writes it (srbgov.files.clean rewrites every PDF; this one comes back unchanged).
PDF = (
    b"%PDF-1.3\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n"
    b"2 0 obj\n<<\n/Type /Pages\n/Count 1\n/Kids [ 3 0 R ]\n>>\nendobj\n3 0 obj\n<<\n"
    b"/Type /Page\n/Resources <<\n>>\n/MediaBox [ 0.0 0.0 595 842 ]\n/Parent 2 0 R\n>>\n"
    b"endobj\nxref\n0 4\n0000000000 65535 f \n0000000015 00000 n \n"
    b"0000000064 00000 n \n0000000123 00000 n \ntrailer\n<<\n/Size 4\n/Root 1 0 R\n>>\n"
    b"startxref\n217\n%%EOF\n"
)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (255, 255, 255)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


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
