"""Workbooks and CSV files as offices send them (imported only by tests)."""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Sequence
from datetime import date, timedelta
from typing import ClassVar

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from openpyxl import Workbook

from srbgov.people.identity import make_number
from srbgov.testing import BaseTestCase

HEADERS = ["姓名*", "身份证号码*", "所在村*", "联系电话", "户籍地址/门牌", "备注"]


def number(i: int, *, birth_on: date | None = None) -> str:
    return make_number(
        "520999", birth_on or date(1990, 1, 1) + timedelta(days=i), i, "F"
    )


def wrong_check_digit(good: str) -> str:
    return good[:17] + ("0" if good[17] != "0" else "1")


def future_birth_number(i: int) -> str:
    """A number whose check digit is right and whose birth date is next year."""
    return number(i, birth_on=timezone.localdate() + timedelta(days=400))


def good_rows(n: int, *, village: str = "甲镇 一村", start: int = 0) -> list[list[str]]:
    return [
        [
            f"张{chr(0x4E00 + i)}",
            number(start + i),
            village,
            "13800001234",
            f"{i}组",
            "",
        ]
        for i in range(n)
    ]


def xlsx_bytes(
    rows: Sequence[Sequence[object]], headers: Sequence[str] = HEADERS
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[object]], *, encoding: str, headers: Sequence[str] = HEADERS
) -> bytes:
    lines = [",".join(headers)] + [",".join(str(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


class ExchangeTestCase(BaseTestCase):
    media: ClassVar[str]

    @classmethod
    def setUpClass(cls) -> None:
        cls.media = tempfile.mkdtemp(prefix="srbgov-exchange-")
        cls.enterClassContext(override_settings(PRIVATE_MEDIA_ROOT=cls.media))
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(cls.media, ignore_errors=True)
