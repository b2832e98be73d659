"""The error report masks the identity numbers it does not need to show, and the
uploader's corrected report gets them back (exchange/report.py, docs/import.md §3)."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from srbgov.exchange.models import ImportJob
from srbgov.exchange.tests.helpers import ExchangeTestCase, number, upload
from srbgov.exchange.tests.test_women_import import issue_workbook
from srbgov.people.identity import mask
from srbgov.people.models import Woman
from srbgov.testing import covers_scope


class ErrorReportMaskingTests(ExchangeTestCase):
    def upload(self, name: str, content: bytes) -> ImportJob:
        self.client.post(
            reverse("exchange:index"), {"kind": "women", "file": upload(name, content)}
        )
        job = ImportJob.objects.order_by("-pk").first()
        assert job is not None
        job.refresh_from_db()
        return job

    def report(self, job: ImportJob) -> bytes:
        response = self.client.get(reverse("exchange:job_report", args=[job.pk]))
        self.assertEqual(response.status_code, 200)
        return response.content

    def test_only_the_numbers_in_error_are_in_clear(self) -> None:
        self.login(self.zhen_a)
        job = self.upload("甲镇妇女.xlsx", issue_workbook())
        book = load_workbook(io.BytesIO(self.report(job)))
        sheet = book.active
        self.assertEqual(sheet.title, f"错误报告-{job.pk}")
        rows = {r[6]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
        # Rows 22 and 24: the error is in the number, which she must see to fix.
        self.assertEqual(rows[22][1][:17], number(100)[:17])
        self.assertNotIn("*", rows[22][1])
        self.assertNotIn("*", rows[24][1])
        # Row 23 (a village outside her area) and row 25 (a duplicate): masked.
        self.assertEqual(rows[23][1], mask(number(101)))
        self.assertEqual(rows[25][1], mask(number(3)))
        everything = " ".join(
            str(v) for r in sheet.iter_rows(values_only=True) for v in r
        )
        for hidden in (number(101), number(3)):
            self.assertNotIn(hidden, everything)
            self.assertNotIn(hidden[-4:], everything.replace(number(100), ""))

    def _corrected(self, job: ImportJob) -> bytes:
        book = load_workbook(io.BytesIO(self.report(job)))
        sheet = book.active
        sheet["C3"] = "甲镇 二村"  # row 23's village, its number left masked
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    def test_the_uploaders_corrected_report_gets_its_numbers_back(self) -> None:
        self.login(self.zhen_a)
        first = self.upload("甲镇妇女.xlsx", issue_workbook())
        second = self.upload("改正后.xlsx", self._corrected(first))
        errors = [p for p in second.problems if not p["is_duplicate"]]
        self.assertNotIn(23, [p["row"] for p in errors if p["row"] != 2], errors)
        self.assertEqual(second.counts["new"], 2, second.problems)
        self.client.post(reverse("exchange:job_import", args=[second.pk]))
        self.assertTrue(Woman.objects.filter(name="外乡镇").exists())

    @covers_scope("exchange:job_report")
    def test_anyone_elses_upload_of_the_report_restores_nothing(self) -> None:
        self.login(self.zhen_a)
        first = self.upload("甲镇妇女.xlsx", issue_workbook())
        corrected = self._corrected(first)
        # The county officer may open the job and its report, but she did not
        # upload the original: the masked number stays masked, an error.
        self.login(self.xian)
        self.assertEqual(
            self.client.get(
                reverse("exchange:job_report", args=[first.pk])
            ).status_code,
            200,
        )
        other = self.upload("县里改的.xlsx", corrected)
        row_3 = [p for p in other.problems if p["row"] == 3]
        self.assertEqual([p["column"] for p in row_3], ["身份证号码"])
        self.assertFalse(Woman.objects.filter(name="外乡镇").exists())
        # Another township's officer cannot even open the report.
        self.login(self.zhen_b)
        response = self.client.get(reverse("exchange:job_report", args=[first.pk]))
        self.assertEqual(response.status_code, 404)

    def test_a_row_number_not_in_the_original_restores_nothing(self) -> None:
        self.login(self.zhen_a)
        first = self.upload("甲镇妇女.xlsx", issue_workbook())
        book = load_workbook(io.BytesIO(self.report(first)))
        sheet = book.active
        sheet["C3"] = "甲镇 二村"
        sheet["G3"] = 999  # no such row in the original
        buffer = io.BytesIO()
        book.save(buffer)
        second = self.upload("改错行号.xlsx", buffer.getvalue())
        row_3 = [p for p in second.problems if p["row"] == 3]
        self.assertEqual([p["column"] for p in row_3], ["身份证号码"])


def test_every_kinds_identity_column_is_the_one_the_report_masks() -> None:
    """A column of identity numbers under another key would travel in clear in the
    error report: the report masks the columns keyed `id_number` only."""
    from srbgov.exchange.kinds import KINDS
    from srbgov.exchange.report import IDENTITY_KEY

    for kind in KINDS.values():
        for column in kind.columns:
            if "身份证" in column.header:
                assert column.key == IDENTITY_KEY, (kind.slug, column.header)
