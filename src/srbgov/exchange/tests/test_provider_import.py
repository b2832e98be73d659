"""Importing the provider registers (issue 13 item 1): facilities, their devices and
staff, and the termination register, from real workbooks, with the registry pages'
own checks (docs/import.md §1)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import ClassVar

from django.urls import reverse
from openpyxl import load_workbook

from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.exchange.models import ImportJob, JobStatus
from srbgov.exchange.tests.helpers import (
    ExchangeTestCase,
    number,
    upload,
    wrong_check_digit,
    xlsx_bytes,
)
from srbgov.providers.models import (
    Facility,
    Practitioner,
    PractitionerKind,
    TerminationRecord,
    UltrasoundDevice,
)
from srbgov.providers.tests.builders import days_ago, make_facility, make_practitioner
from srbgov.testing import covers_scope

FACILITY_HEADERS = ["机构名称*", "机构类别*", "所在区划*", "执业许可证号", "状态"]
DEVICE_HEADERS = ["机构名称", "型号", "出厂编号", "备案日期", "可鉴定胎儿性别"]
STAFF_HEADERS = ["机构名称", "姓名", "岗位", "在岗"]
TERMINATION_HEADERS = [
    "机构",
    "妇女姓名",
    "身份证号码",
    "手术日期",
    "孕周",
    "方式",
    "手术人员",
    "医学原因",
]


class ProviderImportWorld(ExchangeTestCase):
    facility: ClassVar[Facility]
    facility_b: ClassVar[Facility]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.facility = make_facility(by=cls.health_a, area=cls.town_a)
        cls.facility_b = make_facility(by=cls.xian, area=cls.town_b, name="乙镇卫生院")

    def check(
        self, kind: str, headers: Sequence[str], rows: Sequence[Sequence[object]]
    ) -> ImportJob:
        response = self.client.post(
            reverse("exchange:index"),
            {"kind": kind, "file": upload(f"{kind}.xlsx", xlsx_bytes(rows, headers))},
        )
        job = ImportJob.objects.order_by("-pk").first()
        assert job is not None, response.content.decode()[:3000]
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.CHECKED, job.message)
        return job

    def import_(self, job: ImportJob) -> ImportJob:
        self.client.post(reverse("exchange:job_import", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.IMPORTED, job.message)
        return job

    def errors(self, job: ImportJob) -> list[tuple[int, str, str]]:
        return [
            (p["row"], p["column"], p["message"])
            for p in job.problems
            if not p["is_duplicate"]
        ]

    def duplicates(self, job: ImportJob) -> list[int]:
        return [p["row"] for p in job.problems if p["is_duplicate"]]


class FacilityImportTests(ProviderImportWorld):
    def test_good_bad_duplicate_and_out_of_scope_rows(self) -> None:
        self.login(self.zhen_a)
        rows = [
            ["甲镇民营医院", "医院", "甲镇", "PDY9001", ""],
            ["一村卫生室", "村卫生室", "甲镇 一村", "", "正常执业"],
            ["甲镇卫生院", "乡镇卫生院", "甲镇", "PDY0001", "暂停执业"],  # update
            ["乙镇诊所", "个体诊所", "乙镇", "", ""],  # another township
            ["无类别", "养老院", "520999101201", "", ""],  # no such kind
            ["", "药店", "不存在村", "", ""],  # two errors in one row
            ["甲镇民营医院", "医院", "甲镇", "PDY9001", ""],  # same as row 2
        ]
        job = self.check("facilities", FACILITY_HEADERS, rows)
        self.assertEqual(
            job.counts,
            {"rows": 7, "new": 2, "updated": 1, "duplicates": 1, "errors": 3},
        )
        self.assertEqual(
            self.errors(job),
            [
                (5, "所在区划", "只能登记本辖区内的机构。"),
                (
                    6,
                    "机构类别",
                    "机构类别只能填写：医院、乡镇卫生院、个体诊所、村卫生室、药店。",
                ),
                (7, "机构名称", "请填写机构名称。"),
                (
                    7,
                    "所在区划",
                    "没有名为“不存在村”的区划：请填写名称或12位区划代码。",
                ),
            ],
        )
        self.assertEqual(self.duplicates(job), [8])
        self.assertEqual(Facility.objects.count(), 2, "the preview writes nothing")
        self.import_(job)
        self.assertEqual(Facility.objects.count(), 4)
        self.facility.refresh_from_db()
        self.assertEqual(self.facility.status, "suspended")
        self.assertEqual(Facility.objects.get(name="一村卫生室").area, self.village_a)
        entries = AuditEntry.objects.filter(
            action=AuditAction.IMPORT, object_id=str(job.pk)
        )
        self.assertEqual(entries.count(), 1)
        self.assertEqual(entries.get().detail["updated"], 1)
        self.assertEqual(entries.get().detail["kind"], "facilities")

    def test_the_template_has_the_chinese_headers_and_an_example_that_is_not_imported(
        self,
    ) -> None:
        self.login(self.zhen_a)
        for slug in (
            "facilities",
            "devices",
            "staff",
            "terminations",
            "exams",
            "deliveries",
        ):
            with self.subTest(slug=slug):
                response = self.client.get(reverse("exchange:template", args=[slug]))
                self.assertEqual(response.status_code, 200)
                sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
                header = [c.value for c in sheet[1]]
                self.assertTrue(all(isinstance(h, str) for h in header))
                self.assertTrue(str(sheet["A2"].value).startswith("【示例】"))
        response = self.client.get(reverse("exchange:template", args=["terminations"]))
        job = self.client.post(
            reverse("exchange:index"),
            {"kind": "terminations", "file": upload("模板.xlsx", response.content)},
        )
        self.assertEqual(job.status_code, 302)
        checked = ImportJob.objects.order_by("-pk").first()
        assert checked is not None
        self.assertEqual(checked.counts["rows"], 0)


class DeviceAndStaffImportTests(ProviderImportWorld):
    def test_devices_of_kept_facilities_only(self) -> None:
        self.login(self.zhen_a)
        rows = [
            ["甲镇卫生院", "DC-70", "SN-1", "2024-04-01", "是"],
            ["PDY0001", "DC-80", "SN-2", "", "否"],  # by licence number
            ["乙镇卫生院", "DC-70", "SN-3", "", ""],  # another township's facility
            ["甲镇卫生院", "DC-70", "SN-4", "2024-13-01", "也许"],
            ["甲镇卫生院", "DC-90", "SN-1", "", ""],  # the same device as row 2
        ]
        job = self.check("devices", DEVICE_HEADERS, rows)
        self.assertEqual(
            job.counts,
            {"rows": 5, "new": 2, "updated": 0, "duplicates": 1, "errors": 2},
        )
        self.assertEqual(
            [(r, c) for r, c, _m in self.errors(job)],
            [(4, "机构名称"), (5, "备案日期"), (5, "可鉴定胎儿性别")],
        )
        self.assertIn("本辖区没有名为“乙镇卫生院”的机构", self.errors(job)[0][2])
        self.import_(job)
        devices = UltrasoundDevice.objects.order_by("serial_number")
        self.assertEqual(
            [(d.serial_number, d.is_fetal_sex_capable) for d in devices],
            [("SN-1", True), ("SN-2", False)],
        )
        # A second file with a filed serial number updates the device.
        again = self.check(
            "devices", DEVICE_HEADERS, [["甲镇卫生院", "DC-75", "SN-1", "", ""]]
        )
        self.assertEqual(again.counts["updated"], 1)
        self.import_(again)
        self.assertEqual(
            UltrasoundDevice.objects.get(serial_number="SN-1").model_name, "DC-75"
        )
        self.assertEqual(UltrasoundDevice.objects.count(), 2)

    def test_staff_with_the_pages_rules(self) -> None:
        self.login(self.zhen_a)
        make_practitioner(by=self.health_a, facility=self.facility, name="李医生")
        rows = [
            ["甲镇卫生院", "王医生", "B超操作人员", "是"],
            ["甲镇卫生院", "李医生", "终止妊娠手术人员", "否"],  # update
            ["甲镇卫生院", "赵医生", "院长", ""],
            ["乙镇卫生院", "钱医生", "药师/药品销售人员", ""],
            ["甲镇卫生院", "王医生", "B超操作人员", ""],
        ]
        job = self.check("staff", STAFF_HEADERS, rows)
        self.assertEqual(
            job.counts,
            {"rows": 5, "new": 1, "updated": 1, "duplicates": 1, "errors": 2},
        )
        self.assertEqual(
            [(r, c) for r, c, _m in self.errors(job)], [(4, "岗位"), (5, "机构名称")]
        )
        self.import_(job)
        self.assertFalse(Practitioner.objects.get(name="李医生").is_active)
        self.assertEqual(
            Practitioner.objects.get(name="王医生").kind, PractitionerKind.ULTRASOUND
        )


class TerminationImportTests(ProviderImportWorld):
    def test_good_bad_duplicate_and_out_of_scope_rows(self) -> None:
        make_practitioner(by=self.health_a, facility=self.facility, name="刘医生")
        make_practitioner(by=self.xian, facility=self.facility_b, name="周医生")
        self.login(self.zhen_a)
        day = days_ago(3).isoformat()
        good = [
            [
                "甲镇卫生院",
                f"孙{i}",
                number(200 + i),
                day,
                "8",
                "负压吸引术",
                "刘医生",
                "本人要求",
            ]
            for i in range(3)
        ]
        rows = [
            *good,
            [
                "甲镇卫生院",
                "错号",
                wrong_check_digit(number(210)),
                day,
                "8",
                "药物流产",
                "刘医生",
                "本人要求",
            ],
            [
                "乙镇卫生院",
                "外镇",
                number(211),
                day,
                "8",
                "药物流产",
                "周医生",
                "本人要求",
            ],
            [
                "甲镇卫生院",
                "未来",
                number(212),
                "2999-01-01",
                "8",
                "药物流产",
                "刘医生",
                "本人要求",
            ],
            [
                "甲镇卫生院",
                "无人",
                number(213),
                day,
                "8",
                "药物流产",
                "不在册",
                "本人要求",
            ],
            good[1],
        ]
        job = self.check("terminations", TERMINATION_HEADERS, rows)
        self.assertEqual(
            job.counts,
            {"rows": 8, "new": 3, "updated": 0, "duplicates": 1, "errors": 4},
        )
        errors = self.errors(job)
        self.assertEqual(
            [(r, c) for r, c, _m in errors],
            [(5, "身份证号码"), (6, "机构"), (7, "手术日期"), (8, "手术人员")],
        )
        self.assertIn("校验位错误", errors[0][2])
        self.assertEqual(errors[2][2], "手术日期不能晚于今天。")
        self.assertEqual(self.duplicates(job), [9])
        self.assertFalse(TerminationRecord.objects.exists())
        self.import_(job)
        self.assertEqual(TerminationRecord.objects.count(), 3)
        entry = AuditEntry.objects.get(action=AuditAction.IMPORT, object_id=str(job.pk))
        self.assertEqual(entry.detail["new"], 3)
        self.assertNotIn(number(200), str(entry.detail))
        # The same file again: every row is already in the register.
        again = self.check("terminations", TERMINATION_HEADERS, good)
        self.assertEqual(again.counts["duplicates"], 3)
        self.assertEqual(again.counts["new"], 0)

    def test_a_row_the_register_refuses_at_import_time_writes_nothing_else_twice(
        self,
    ) -> None:
        operator = make_practitioner(
            by=self.health_a, facility=self.facility, name="刘医生"
        )
        self.login(self.zhen_a)
        day = days_ago(3).isoformat()
        rows = [
            [
                "甲镇卫生院",
                "孙丽",
                number(300),
                day,
                "8",
                "负压吸引术",
                "刘医生",
                "本人要求",
            ],
        ]
        job = self.check("terminations", TERMINATION_HEADERS, rows)
        self.assertEqual(job.counts["new"], 1)
        # Between the preview and the import, the operator changes post.
        operator.kind = PractitionerKind.ULTRASOUND
        operator.save()
        job = self.import_(job)
        self.assertEqual(job.counts["new"], 0)
        self.assertFalse(TerminationRecord.objects.exists())
        self.assertEqual(self.errors(job)[0][1], "手术人员")


class ProviderImportScopeTests(ProviderImportWorld):
    @covers_scope("exchange:template")
    def test_a_village_worker_has_no_provider_kinds_and_sees_no_provider_job(
        self,
    ) -> None:
        self.login(self.zhen_a)
        job = self.check(
            "facilities",
            FACILITY_HEADERS,
            [["一村卫生室", "村卫生室", "甲镇 一村", "", ""]],
        )
        self.login(self.cun_a)
        response = self.client.get(reverse("exchange:template", args=["facilities"]))
        self.assertEqual(response.status_code, 404)
        refused = self.client.post(
            reverse("exchange:index"),
            {
                "kind": "devices",
                "file": upload("d.xlsx", xlsx_bytes([], DEVICE_HEADERS)),
            },
        )
        self.assertEqual(refused.status_code, 200)
        self.assertEqual(ImportJob.objects.count(), 1)
        for name in ("job_detail", "job_report", "job_progress"):
            with self.subTest(name=name):
                url = reverse(f"exchange:{name}", args=[job.pk])
                self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.zhen_b)
        for name in ("job_detail", "job_report"):
            url = reverse(f"exchange:{name}", args=[job.pk])
            self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.xian)
        url = reverse("exchange:job_detail", args=[job.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
