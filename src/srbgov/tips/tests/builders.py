"""Builders for the tips tests (imported only by tests)."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from srbgov.areas.models import Area
from srbgov.tips import pow, services
from srbgov.tips.models import Category

GPS_IFD = 0x8825
# A place to be found out by: 26°35'N 106°43'E (Guiyang), as a phone writes it.
GPS = {
    1: "N",
    2: (26.0, 35.0, 0.0),
    3: "E",
    4: (106.0, 43.0, 0.0),
}


def jpeg_with_gps(*, size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG carrying EXIF with a GPS IFD, camera make and orientation."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0112] = 1  # Orientation
    gps = exif.get_ifd(GPS_IFD)
    gps.update(GPS)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def gps_of(content: bytes) -> dict[int, Any]:
    image = Image.open(io.BytesIO(content))
    return dict(image.getexif().get_ifd(GPS_IFD))


def photo_upload(name: str = "IMG_20260301_王家.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_with_gps(), content_type="image/jpeg")


def solved(purpose: str) -> dict[str, str]:
    challenge = pow.issue(purpose)
    return {"pow_challenge": challenge, "pow_nonce": pow.solve(challenge)}


def file_tip(county: Area, **overrides: Any) -> services.Filed:
    values: dict[str, Any] = {
        "county": county,
        "category": Category.SEX_IDENTIFICATION,
        "description": "镇东头某诊所晚上用B超给孕妇看男女，收费800元。",
        "contact": "13912345678 王先生",
        "name": "王某某",
        "wants_reward": True,
    }
    values.update(overrides)
    return services.submit_tip(**values)
