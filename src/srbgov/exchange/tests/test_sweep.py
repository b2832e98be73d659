"""The sweep deletes the stored files of finished import jobs after the retention
period (docs/import.md §4)."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.exchange.models import ImportJob, JobStatus
from srbgov.exchange.sweep import clear_stale_plans, sweep_import_files
from srbgov.exchange.tests.helpers import (
    ExchangeTestCase,
    good_rows,
    number,
    upload,
    wrong_check_digit,
    xlsx_bytes,
)
from srbgov.files import storage
from srbgov.operations.registry import BY_NAME


class SweepTests(ExchangeTestCase):
    def upload(self, rows: list[list[str]]) -> ImportJob:
        self.login(self.zhen_a)
        self.client.post(
            reverse("exchange:index"),
            {"kind": "women", "file": upload("妇女.xlsx", xlsx_bytes(rows))},
        )
        job = ImportJob.objects.order_by("-pk").first()
        assert job is not None
        return job

    def finished(self, status: JobStatus, days_ago: int) -> ImportJob:
        job = self.upload(good_rows(2))
        ImportJob.objects.filter(pk=job.pk).update(
            status=status, finished_at=timezone.now() - timedelta(days=days_ago)
        )
        job.refresh_from_db()
        return job

    def sweep(self) -> int:
        with self.captureOnCommitCallbacks(execute=True):
            return sweep_import_files()

    def test_files_of_finished_jobs_past_the_retention_are_deleted(self) -> None:
        imported = self.finished(JobStatus.IMPORTED, 31)
        discarded = self.finished(JobStatus.DISCARDED, 40)
        failed = self.finished(JobStatus.FAILED, 31)
        recent = self.finished(JobStatus.IMPORTED, 29)
        waiting = self.finished(JobStatus.CHECKED, 90)  # her import is still to come
        self.assertEqual(self.sweep(), 3)
        for job in (imported, discarded, failed):
            job.refresh_from_db()
            self.assertIsNotNone(job.source_swept_at)
            self.assertFalse(storage.absolute(job.source.path).exists())
        for job in (recent, waiting):
            job.refresh_from_db()
            self.assertIsNone(job.source_swept_at)
            self.assertTrue(storage.absolute(job.source.path).exists())
        entry = AuditEntry.objects.get(action=AuditAction.DELETE)
        self.assertEqual(
            sorted(entry.detail["jobs"]), sorted([imported.pk, discarded.pk, failed.pk])
        )
        self.assertEqual(self.sweep(), 0)  # idempotent: nothing is swept twice
        self.assertEqual(
            AuditEntry.objects.filter(action=AuditAction.DELETE).count(), 1
        )

    def test_the_retention_is_a_setting(self) -> None:
        job = self.finished(JobStatus.IMPORTED, 8)
        with self.settings(EXCHANGE_FILE_RETENTION_DAYS=7):
            self.assertEqual(self.sweep(), 1)
        job.refresh_from_db()
        self.assertIsNotNone(job.source_swept_at)

    def test_the_error_report_of_a_swept_job_keeps_rows_and_messages(self) -> None:
        rows = good_rows(3)
        rows[1][1] = wrong_check_digit(number(1))
        job = self.upload(rows)
        job.refresh_from_db()
        self.assertEqual(job.counts["errors"], 1)
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DISCARDED,
            finished_at=timezone.now() - timedelta(days=31),
        )
        self.assertEqual(self.sweep(), 1)
        response = self.client.get(reverse("exchange:job_report", args=[job.pk]))
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content))
        values = [list(r) for r in sheet.worksheets[0].iter_rows(values_only=True)]
        self.assertEqual(values[0][:2], ["行号", "错误"])
        self.assertEqual(values[1][0], 3)
        self.assertIn("校验位错误", str(values[1][1]))
        self.assertNotIn(number(0), str(values))

    def test_the_command_is_a_scheduled_job(self) -> None:
        self.finished(JobStatus.IMPORTED, 31)
        out = io.StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command(BY_NAME["sweep_import_files"].command, stdout=out)
        self.assertIn("import files deleted: 1", out.getvalue())

    def test_a_preview_left_from_an_earlier_day_loses_its_plan(self) -> None:
        old = self.upload(good_rows(2))
        today = self.upload(good_rows(2))
        ImportJob.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - timedelta(days=1, hours=1)
        )
        self.assertIsNotNone(ImportJob.objects.get(pk=old.pk).plan)
        self.assertEqual(clear_stale_plans(), 1)
        self.assertIsNone(ImportJob.objects.get(pk=old.pk).plan)
        # Today's preview keeps it: her import may come this afternoon.
        self.assertIsNotNone(ImportJob.objects.get(pk=today.pk).plan)
        entry = AuditEntry.objects.get(action=AuditAction.DELETE)
        self.assertEqual(entry.detail["plans"], [old.pk])
        self.assertEqual(clear_stale_plans(), 0)
        # Imported later, the old job checks every row again and still imports.
        self.login(self.zhen_a)
        self.client.post(reverse("exchange:job_import", args=[old.pk]))
        old.refresh_from_db()
        self.assertEqual(old.status, JobStatus.IMPORTED)
