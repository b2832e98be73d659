"""A township officer imports her women's register from Excel (issue 13, item 1)."""

from __future__ import annotations

import io
from unittest import mock

from django.urls import reverse
from openpyxl import load_workbook

from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.exchange import runner
from srbgov.exchange.kinds import women as women_kind
from srbgov.exchange.models import ImportJob, JobStatus
from srbgov.exchange.tests.helpers import (
    HEADERS,
    ExchangeTestCase,
    csv_bytes,
    future_birth_number,
    good_rows,
    number,
    upload,
    wrong_check_digit,
    xlsx_bytes,
)
from srbgov.files import storage
from srbgov.people.crypto import identity_cipher
from srbgov.people.models import Woman
from srbgov.testing import covers_scope, make_woman


def issue_workbook() -> bytes:
    """20 good rows of 甲镇, then the issue's three bad rows and a duplicate."""
    rows = good_rows(20)
    rows.append(["错校验", wrong_check_digit(number(100)), "甲镇 一村", "", "", ""])
    rows.append(["外乡镇", number(101), "乙镇 三村", "", "", ""])
    rows.append(["未来人", future_birth_number(102), "甲镇 二村", "", "", ""])
    rows.append(["重复者", number(3), "甲镇 二村", "", "", ""])  # same number as row 5
    return xlsx_bytes(rows)


class WomenImportTests(ExchangeTestCase):
    def upload(self, name: str, content: bytes) -> ImportJob:
        response = self.client.post(
            reverse("exchange:index"), {"kind": "women", "file": upload(name, content)}
        )
        job = ImportJob.objects.order_by("-pk").first()
        assert job is not None, response.content.decode()[:3000]
        self.assertRedirects(response, reverse("exchange:job_detail", args=[job.pk]))
        return job

    def test_it_previews_exactly_the_three_errors_and_the_duplicate_and_imports_20(
        self,
    ) -> None:
        self.login(self.zhen_a)
        job = self.upload("甲镇妇女.xlsx", issue_workbook())
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.CHECKED)
        self.assertEqual(
            job.counts,
            {"rows": 24, "new": 20, "updated": 0, "duplicates": 1, "errors": 3},
        )
        errors = [
            (p["row"], p["column"], p["message"])
            for p in job.problems
            if not p["is_duplicate"]
        ]
        self.assertEqual(
            [(r, c) for r, c, _m in errors],
            [(22, "身份证号码"), (23, "所在村"), (24, "身份证号码")],
        )
        self.assertIn("校验位错误", errors[0][2])
        self.assertIn("只能登记本辖区内的村", errors[1][2])
        self.assertIn("不合理", errors[2][2])
        duplicates = [p for p in job.problems if p["is_duplicate"]]
        self.assertEqual(
            [(d["row"], d["message"]) for d in duplicates],
            [(25, "与第5行的身份证号码相同，本行跳过。")],
        )
        self.assertFalse(Woman.objects.exists(), "the preview writes nothing")
        page = self.client.get(reverse("exchange:job_detail", args=[job.pk]))
        self.assertContains(page, "校验位错误")
        self.assertContains(page, 'data-count="new">20<')

        response = self.client.post(reverse("exchange:job_import", args=[job.pk]))
        self.assertRedirects(response, reverse("exchange:job_detail", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.IMPORTED)
        self.assertEqual(Woman.objects.count(), 20)
        self.assertEqual(
            set(Woman.objects.values_list("village", flat=True)), {self.village_a.pk}
        )
        stored = Woman.objects.get(
            id_number_hash=identity_cipher().lookup_hash(number(3))
        )
        self.assertEqual(
            identity_cipher().decrypt(stored.id_number_encrypted), number(3)
        )
        self.assertEqual(stored.id_number_masked, number(3)[:6] + "*" * 12)
        entries = AuditEntry.objects.filter(action=AuditAction.IMPORT)
        self.assertEqual(entries.count(), 1, "one audit entry for the whole import")
        entry = entries.get()
        self.assertEqual(entry.detail["new"], 20)
        self.assertEqual(entry.detail["errors"], 3)
        self.assertNotIn(number(3), str(entry.detail) + entry.object_repr)
        self.assertFalse(
            AuditEntry.objects.filter(
                object_type="people.woman", action=AuditAction.CREATE
            ).exists()
        )

    def test_the_error_report_has_the_original_columns_the_row_and_the_message(
        self,
    ) -> None:
        self.login(self.zhen_a)
        job = self.upload("甲镇妇女.xlsx", issue_workbook())
        response = self.client.get(reverse("exchange:job_report", args=[job.pk]))
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(list(rows[0]), [*HEADERS, "行号", "错误"])
        self.assertEqual([r[6] for r in rows[1:]], [22, 23, 24, 25])
        self.assertEqual(rows[2][0], "外乡镇")
        self.assertEqual(rows[2][2], "乙镇 三村")
        self.assertIn("【所在村】只能登记本辖区内的村", rows[2][7])
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.EXPORT, object_type="exchange.importjob"
            ).exists()
        )

    def test_the_fixed_error_report_imports_once_uploaded_again(self) -> None:
        self.login(self.zhen_a)
        first = self.upload("甲镇妇女.xlsx", issue_workbook())
        self.client.post(reverse("exchange:job_import", args=[first.pk]))
        report = load_workbook(
            io.BytesIO(
                self.client.get(reverse("exchange:job_report", args=[first.pk])).content
            )
        )
        sheet = report.active
        sheet["B2"] = number(100)  # the right check digit
        sheet["C3"] = "甲镇 二村"
        sheet["B4"] = number(102)
        buffer = io.BytesIO()
        report.save(buffer)
        second = self.upload("改正后.xlsx", buffer.getvalue())
        second.refresh_from_db()
        self.assertEqual(second.counts["new"], 3)
        self.assertEqual(
            second.counts["updated"], 1, "the duplicate row is now an update"
        )
        self.assertEqual(second.counts["errors"], 0)
        self.client.post(reverse("exchange:job_import", args=[second.pk]))
        self.assertEqual(Woman.objects.count(), 23)

    def test_it_reads_a_gb18030_csv_and_a_utf8_csv_with_bom(self) -> None:
        self.login(self.cun_a)
        rows = good_rows(3, village="一村")
        for encoding, name in (("gb18030", "gb.csv"), ("utf-8-sig", "bom.csv")):
            with self.subTest(encoding=encoding):
                job = self.upload(name, csv_bytes(rows, encoding=encoding))
                job.refresh_from_db()
                self.assertEqual(job.counts["errors"], 0, job.problems)
        gb = ImportJob.objects.get(original_name="gb.csv")
        self.client.post(reverse("exchange:job_import", args=[gb.pk]))
        self.assertEqual(
            sorted(Woman.objects.values_list("name", flat=True)),
            sorted(r[0] for r in rows),
        )

    def test_a_village_worker_cannot_import_into_the_next_village(self) -> None:
        self.login(self.cun_a)
        job = self.upload("二村.xlsx", xlsx_bytes(good_rows(2, village="甲镇 二村")))
        job.refresh_from_db()
        self.assertEqual(job.counts["errors"], 2)
        self.assertEqual(
            {p["message"] for p in job.problems}, {"只能登记本辖区内的村。"}
        )

    def test_a_number_registered_in_another_township_is_an_error_not_an_update(
        self,
    ) -> None:
        make_woman(by=self.zhen_b, village=self.village_c, id_number=number(7))
        mine = make_woman(
            by=self.zhen_a, village=self.village_a, name="旧名", id_number=number(8)
        )
        self.login(self.zhen_a)
        job = self.upload("x.xlsx", xlsx_bytes(good_rows(10)))
        job.refresh_from_db()
        self.assertEqual(job.counts["new"], 8)
        self.assertEqual(job.counts["updated"], 1)
        self.assertEqual(job.counts["errors"], 1)
        self.assertIn("已在其他辖区登记", job.problems[0]["message"])
        self.client.post(reverse("exchange:job_import", args=[job.pk]))
        mine.refresh_from_db()
        self.assertEqual(mine.name, good_rows(10)[8][0])

    def test_an_import_that_fails_half_way_writes_nothing(self) -> None:
        self.login(self.zhen_a)
        job = self.upload("大文件.xlsx", xlsx_bytes(good_rows(30)))
        real = women_kind.write_batch
        calls: list[int] = []

        def second_batch_breaks(women: list[tuple[object, ...]]) -> None:
            calls.append(len(women))
            if len(calls) == 2:
                raise RuntimeError("disk gone")
            real(women)

        with (
            mock.patch.object(women_kind, "BATCH", 10),
            mock.patch.object(women_kind, "write_batch", second_batch_breaks),
        ):
            self.client.post(reverse("exchange:job_import", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual(calls, [10, 10])
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertIn("没有写入任何记录", job.message)
        self.assertFalse(Woman.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action=AuditAction.IMPORT).exists())

    def test_a_wrong_header_is_reported_and_nothing_can_be_imported(self) -> None:
        self.login(self.zhen_a)
        job = self.upload(
            "x.csv",
            csv_bytes(good_rows(2), encoding="utf-8", headers=["名字", *HEADERS[1:]]),
        )
        job.refresh_from_db()
        self.assertEqual(
            job.problems[0]["message"], "缺少必填列“姓名”。请使用下载的模板。"
        )
        self.client.post(reverse("exchange:job_import", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.CHECKED)

    def test_other_files_are_refused_by_the_upload_pipeline(self) -> None:
        self.login(self.zhen_a)
        for name, content in (
            ("x.xlsx", b"PK\x03\x04not a zip"),
            ("x.xls", b"\xd0\xcf\x11\xe0"),
            ("x.pdf", b"%PDF-1.4"),
        ):
            with self.subTest(name=name):
                response = self.client.post(
                    reverse("exchange:index"),
                    {"kind": "women", "file": upload(name, content)},
                )
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "errorlist")
        self.assertFalse(ImportJob.objects.exists())

    def test_the_stored_file_is_encrypted(self) -> None:
        self.login(self.zhen_a)
        content = csv_bytes(good_rows(2), encoding="utf-8")
        job = self.upload("x.csv", content)
        stored = storage.read(job.source.path)
        self.assertNotIn(number(0).encode(), stored)
        self.assertNotIn("张".encode(), stored)

    def test_the_template_has_chinese_headers_an_example_row_and_notes(self) -> None:
        self.login(self.cun_a)
        response = self.client.get(reverse("exchange:template", args=["women"]))
        workbook = load_workbook(io.BytesIO(response.content))
        self.assertEqual(workbook.sheetnames, ["育龄妇女导入", "填写说明"])
        rows = list(workbook.active.iter_rows(values_only=True, max_row=2))
        self.assertEqual(list(rows[0]), HEADERS)
        self.assertTrue(str(rows[1][0]).startswith("【示例】"))
        # Uploaded back as it is, the example row imports nothing.
        job = self.upload("模板.xlsx", response.content)
        job.refresh_from_db()
        self.assertEqual(job.counts["rows"], 0)


class ImportScopeTests(ExchangeTestCase):
    @covers_scope(
        "exchange:job_detail",
        "exchange:job_report",
        "exchange:job_progress",
        "exchange:job_import",
        "exchange:job_discard",
    )
    def test_another_townships_officer_gets_404_on_the_preview_and_the_report(
        self,
    ) -> None:
        self.login(self.zhen_a)
        self.client.post(
            reverse("exchange:index"),
            {"kind": "women", "file": upload("a.xlsx", issue_workbook())},
        )
        job = ImportJob.objects.get()
        for outsider in (self.zhen_b, self.cun_b, self.other_xian):
            self.login(outsider)
            for name in ("job_detail", "job_report", "job_progress"):
                with self.subTest(user=outsider.username, route=name):
                    response = self.client.get(
                        reverse(f"exchange:{name}", args=[job.pk])
                    )
                    self.assertEqual(response.status_code, 404)
            for name in ("job_import", "job_discard"):
                response = self.client.post(reverse(f"exchange:{name}", args=[job.pk]))
                self.assertEqual(response.status_code, 404)
        self.assertEqual(ImportJob.objects.get().status, JobStatus.CHECKED)
        self.login(self.xian)  # the county sees its townships' jobs
        self.assertEqual(
            self.client.get(reverse("exchange:job_detail", args=[job.pk])).status_code,
            200,
        )

    @covers_scope("exchange:index", "exchange:template", "exchange:job_export")
    def test_roles_without_the_registry_get_404(self) -> None:
        # The health centre imports the facility registers (docs/import.md §1a),
        # not the women's: only the women's template is refused to her.
        self.login(self.health_a)
        url = reverse("exchange:template", args=["women"])
        self.assertEqual(self.client.get(url).status_code, 404)
        for user in (self.police_a, self.auditor, self.tips):
            self.login(user)
            for url in (
                reverse("exchange:index"),
                reverse("exchange:template", args=["women"]),
                reverse("exchange:job_export"),
            ):
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)


class BackgroundJobTests(ExchangeTestCase):
    def test_a_large_file_runs_after_the_request_and_the_page_polls_it(self) -> None:
        self.login(self.zhen_a)
        with (
            self.settings(EXCHANGE_INLINE_BYTES=0),
            self.captureOnCommitCallbacks() as started,
        ):
            response = self.client.post(
                reverse("exchange:index"),
                {"kind": "women", "file": upload("a.xlsx", xlsx_bytes(good_rows(5)))},
            )
        job = ImportJob.objects.get()
        # Nothing ran in the request: the worker waits for the commit (the callbacks
        # are the file's commit watch and the thread's start).
        self.assertEqual(len(started), 2)
        self.assertEqual(job.status, JobStatus.CHECKING)
        self.assertIsNone(job.heartbeat_at)
        page = self.client.get(response["Location"])
        self.assertContains(page, "exchange/progress.js")
        self.assertEqual(
            self.client.get(reverse("exchange:job_progress", args=[job.pk])).json()[
                "running"
            ],
            True,
        )
        runner.run_job(
            job.pk
        )  # what the thread does (TestCase cannot share its transaction)
        progress = self.client.get(
            reverse("exchange:job_progress", args=[job.pk])
        ).json()
        self.assertEqual(
            progress,
            {
                "status": "checked",
                "running": False,
                "done": 5,
                "total": 5,
                "percent": 100,
            },
        )

    def test_a_job_whose_worker_died_is_resumed_and_one_with_a_live_worker_is_not(
        self,
    ) -> None:
        self.login(self.zhen_a)
        with self.settings(EXCHANGE_INLINE_BYTES=0), self.captureOnCommitCallbacks():
            self.client.post(
                reverse("exchange:index"),
                {"kind": "women", "file": upload("a.xlsx", xlsx_bytes(good_rows(5)))},
            )
        job = ImportJob.objects.get()
        self.assertTrue(runner.claim(job.pk))  # a worker that then dies
        self.assertFalse(runner.claim(job.pk), "a live heartbeat is not claimed twice")
        self.assertEqual(runner.run_pending(), 0)
        ImportJob.objects.filter(pk=job.pk).update(
            heartbeat_at=job.created_at - runner.STALE
        )
        self.assertEqual(runner.run_pending(), 1)
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.CHECKED)
        self.assertEqual(job.counts["new"], 5)
