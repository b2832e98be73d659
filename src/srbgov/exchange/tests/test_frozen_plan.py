"""The import resumes from the preview's sealed plan, and checks every row again as
soon as anything the plan depended on has changed (docs/import.md §6)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from srbgov.exchange import services
from srbgov.exchange.models import ImportJob, JobStatus
from srbgov.exchange.tests.helpers import (
    ExchangeTestCase,
    good_rows,
    number,
    upload,
    xlsx_bytes,
)
from srbgov.files import storage
from srbgov.people.crypto import identity_cipher
from srbgov.people.models import Woman
from srbgov.testing import make_woman


class FrozenPlanTests(ExchangeTestCase):
    def preview(self, rows: list[list[str]]) -> ImportJob:
        self.login(self.zhen_a)
        self.client.post(
            reverse("exchange:index"),
            {"kind": "women", "file": upload("x.xlsx", xlsx_bytes(rows))},
        )
        job = ImportJob.objects.get()
        self.assertEqual(job.status, JobStatus.CHECKED)
        return job

    def run_import(self, job: ImportJob) -> ImportJob:
        self.client.post(reverse("exchange:job_import", args=[job.pk]))
        job.refresh_from_db()
        return job

    def spoil_the_stored_file(self, job: ImportJob) -> None:
        storage.absolute(job.source.path).write_bytes(b"not the upload any more")

    def test_an_unchanged_registry_imports_from_the_plan_without_reading_the_file(
        self,
    ) -> None:
        job = self.preview(good_rows(20))
        self.spoil_the_stored_file(job)
        job = self.run_import(job)
        self.assertEqual(job.status, JobStatus.IMPORTED)
        self.assertEqual(job.counts["new"], 20)
        self.assertEqual(Woman.objects.count(), 20)
        stored = Woman.objects.get(
            id_number_hash=identity_cipher().lookup_hash(number(7))
        )
        self.assertEqual(
            identity_cipher().decrypt(stored.id_number_encrypted), number(7)
        )
        self.assertEqual(stored.birth_on.isoformat(), f"{number(7)[6:10]}-01-08")
        self.assertIsNone(job.plan, "the plan is cleared once imported")

    def test_the_plan_is_sealed_and_cleared_when_discarded(self) -> None:
        job = self.preview(good_rows(3))
        sealed = bytes(job.plan or b"")
        self.assertTrue(sealed.startswith(services.PLAN_PREFIX))
        self.assertNotIn(number(1).encode(), sealed)
        self.assertIn(number(1).encode(), services.unseal_plan(sealed))
        self.client.post(reverse("exchange:job_discard", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.DISCARDED)
        self.assertIsNone(job.plan)

    def test_a_number_registered_elsewhere_since_the_preview_is_an_error_of_the_import(
        self,
    ) -> None:
        job = self.preview(good_rows(10))
        make_woman(by=self.zhen_b, village=self.village_c, id_number=number(4))
        job = self.run_import(job)
        self.assertEqual(job.status, JobStatus.IMPORTED)
        self.assertEqual((job.counts["new"], job.counts["errors"]), (9, 1))
        self.assertIn("已在其他辖区登记", job.problems[0]["message"])
        self.assertEqual(Woman.objects.count(), 10)

    def test_a_number_registered_in_the_area_since_the_preview_becomes_an_update(
        self,
    ) -> None:
        job = self.preview(good_rows(5))
        make_woman(
            by=self.zhen_a, village=self.village_a, name="旧名", id_number=number(2)
        )
        job = self.run_import(job)
        self.assertEqual((job.counts["new"], job.counts["updated"]), (4, 1))
        self.assertEqual(
            Woman.objects.get(
                id_number_hash=identity_cipher().lookup_hash(number(2))
            ).name,
            good_rows(5)[2][0],
        )

    def test_a_user_moved_to_another_township_imports_nothing_of_the_old_one(
        self,
    ) -> None:
        job = self.preview(good_rows(6))
        # Moved between the click and the worker (after the move her old
        # township's jobs are 404 to her: the page cannot be used).
        services.start_import(by=self.zhen_a, job=job)
        self.zhen_a.area = self.town_b
        self.zhen_a.save()
        job = services.import_job(
            job=ImportJob.objects.select_related("created_by").get(pk=job.pk),
            progress=lambda _done: None,
        )
        self.assertEqual((job.counts["new"], job.counts["errors"]), (0, 6))
        self.assertIn("只能登记本辖区内的村", job.problems[0]["message"])
        self.assertFalse(Woman.objects.exists())

    def test_a_plan_of_another_day_is_not_used_the_file_is_checked_again(self) -> None:
        job = self.preview(good_rows(4))
        tomorrow = timezone.localdate() + timedelta(days=1)
        with (
            mock.patch.object(timezone, "localdate", return_value=tomorrow),
            mock.patch.object(
                services, "load_table", wraps=services.load_table
            ) as reads,
        ):
            job = self.run_import(job)
        self.assertEqual(reads.call_count, 1, "the file is read and checked again")
        self.assertEqual(job.counts["new"], 4)
        self.assertEqual(Woman.objects.count(), 4)

    def test_tabs_backslashes_and_line_breaks_in_a_cell_are_stored_as_typed(
        self,
    ) -> None:
        rows = good_rows(2)
        rows[0][4] = "一组\\12号"
        rows[0][5] = "第一行\n第二行\t制表\r回车\\N"
        rows[1][5] = "\\N"
        self.run_import(self.preview(rows))
        first, second = (
            Woman.objects.get(id_number_hash=identity_cipher().lookup_hash(number(i)))
            for i in (0, 1)
        )
        self.assertEqual(first.household, "一组\\12号")
        self.assertEqual(first.note, "第一行\n第二行\t制表\r回车\\N")
        self.assertEqual(second.note, "\\N")
