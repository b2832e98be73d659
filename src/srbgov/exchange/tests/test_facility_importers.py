"""The keepers of the facility registers import them (issue 13, docs/import.md §1a):
the township health centre its township's facilities, devices, staff, terminations,
ultrasound exams and deliveries; a facility clerk her own facility's terminations,
exams and deliveries only."""

from __future__ import annotations

import io
from typing import ClassVar

from django.urls import reverse
from openpyxl import load_workbook

from srbgov.accounts.models import Role, User
from srbgov.alerts.models import Alert, AlertKind
from srbgov.exchange.models import ImportJob
from srbgov.exchange.tests.helpers import number, upload, xlsx_bytes
from srbgov.exchange.tests.test_provider_import import (
    DEVICE_HEADERS,
    TERMINATION_HEADERS,
    ProviderImportWorld,
)
from srbgov.people.identity import mask
from srbgov.providers.models import (
    DeliverySource,
    Facility,
    FacilityClerk,
    FacilityDelivery,
    FacilityKind,
    TerminationRecord,
    UltrasoundDevice,
    UltrasoundExam,
)
from srbgov.providers.tests.builders import days_ago, make_practitioner
from srbgov.reconciliation.queries import reconcile_month
from srbgov.testing import covers_scope, make_user


def termination_row(facility: str, i: int, operator: str = "刘医生") -> list[str]:
    day = days_ago(2).isoformat()
    return [
        facility,
        f"孙{i}",
        number(400 + i),
        day,
        "8",
        "负压吸引术",
        operator,
        "本人要求",
    ]


EXAM_HEADERS = [
    "机构",
    "孕妇姓名",
    "身份证号码",
    "检查日期",
    "设备出厂编号",
    "操作人员",
    "孕周",
    "检查目的",
    "指征说明",
]


def exam_row(facility: str, i: int, weeks: str = "16") -> list[str]:
    return [
        facility,
        f"钱{i}",
        number(600 + i),
        days_ago(3).isoformat(),
        "SN-UNFILED",
        "刘医生",
        weeks,
        "常规产前检查",
        "",
    ]


DELIVERY_HEADERS = [
    "机构",
    "产妇姓名",
    "身份证号码",
    "产妇所在村区划代码",
    "分娩日期",
    *(
        f"第{n}个新生儿{part}"
        for n in (1, 2, 3)
        for part in ("性别", "结局", "孩次", "出生医学证明编号")
    ),
]


def delivery_row(facility: str, i: int, *children: tuple[str, ...]) -> list[str]:
    """A delivery at `facility` two days ago; each child as (sex, outcome, order,
    certificate), shorter tuples padded."""
    cells = [
        facility,
        f"李{i}",
        number(800 + i),
        "520999101201",
        days_ago(2).isoformat(),
    ]
    for n in range(3):
        child = children[n] if n < len(children) else ()
        cells.extend([*child, "", "", "", ""][:4])
    return cells


class FacilityImporterTests(ProviderImportWorld):
    clinic: ClassVar[Facility]
    clerk: ClassVar[User]
    clinic_clerk: ClassVar[User]
    health_b: ClassVar[User]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.clinic = Facility.objects.create(
            name="甲镇诊所", kind=FacilityKind.CLINIC, area=cls.town_a
        )
        cls.clerk = make_user("clerk_a", Role.FACILITY_CLERK, cls.town_a)
        FacilityClerk.objects.create(user=cls.clerk, facility=cls.facility)
        cls.clinic_clerk = make_user("clerk_c", Role.FACILITY_CLERK, cls.town_a)
        FacilityClerk.objects.create(user=cls.clinic_clerk, facility=cls.clinic)
        cls.health_b = make_user("health_b", Role.HEALTH_CENTER, cls.town_b)
        make_practitioner(by=cls.health_a, facility=cls.facility, name="刘医生")
        make_practitioner(by=cls.health_a, facility=cls.clinic, name="陈医生")
        make_practitioner(by=cls.xian, facility=cls.facility_b, name="周医生")

    def kinds_offered(self) -> list[str]:
        page = self.client.get(reverse("exchange:index"))
        self.assertEqual(page.status_code, 200)
        form = page.context["form"]
        return [slug for slug, _label in form.fields["kind"].choices]

    def test_the_health_centre_imports_its_townships_registers_and_not_the_womens(
        self,
    ) -> None:
        self.login(self.health_a)
        self.assertEqual(
            self.kinds_offered(),
            ["facilities", "devices", "staff", "terminations", "exams", "deliveries"],
        )
        self.assertEqual(
            self.client.get(reverse("exchange:template", args=["women"])).status_code,
            404,
        )
        job = self.check(
            "devices",
            DEVICE_HEADERS,
            [
                ["甲镇卫生院", "DC-70", "SN-9", "", "是"],
                ["乙镇卫生院", "DC-70", "SN-10", "", "是"],
            ],
        )
        self.assertEqual((job.counts["new"], job.counts["errors"]), (1, 1))
        self.assertEqual(
            self.errors(job),
            [
                (
                    3,
                    "机构名称",
                    "本辖区没有名为“乙镇卫生院”的机构：请先登记机构，或核对名称。",
                )
            ],
        )
        self.import_(job)
        self.assertEqual(
            list(UltrasoundDevice.objects.values_list("facility", "serial_number")),
            [(self.facility.pk, "SN-9")],
        )
        terminations = self.check(
            "terminations",
            TERMINATION_HEADERS,
            [
                termination_row("甲镇卫生院", 1),
                termination_row("乙镇卫生院", 2, "周医生"),
            ],
        )
        self.assertEqual(
            (terminations.counts["new"], terminations.counts["errors"]), (1, 1)
        )
        self.assertEqual(self.errors(terminations)[0][:2], (3, "机构"))

    @covers_scope("exchange:job_detail", "exchange:job_report")
    def test_another_townships_health_centre_gets_404_on_the_job(self) -> None:
        self.login(self.health_a)
        job = self.check("devices", DEVICE_HEADERS, [["甲镇卫生院", "M", "S1", "", ""]])
        self.login(self.health_b)
        for name in ("job_detail", "job_report", "job_progress", "job_import"):
            with self.subTest(name=name):
                url = reverse(f"exchange:{name}", args=[job.pk])
                method = self.client.post if name == "job_import" else self.client.get
                self.assertEqual(method(url).status_code, 404)
        self.assertNotIn(
            job, self.client.get(reverse("exchange:index")).context["page"]
        )

    def test_a_clerk_imports_her_facilitys_terminations_only(self) -> None:
        self.login(self.clerk)
        self.assertEqual(self.kinds_offered(), ["terminations", "exams", "deliveries"])
        job = self.check(
            "terminations",
            TERMINATION_HEADERS,
            [
                termination_row("甲镇卫生院", 1),
                termination_row("PDY0001", 2),  # her facility by its licence
                termination_row("甲镇诊所", 3, "陈医生"),  # same township, not hers
                termination_row("乙镇卫生院", 4, "周医生"),
            ],
        )
        self.assertEqual((job.counts["new"], job.counts["errors"]), (2, 2))
        self.assertEqual(
            [(r, c) for r, c, _m in self.errors(job)], [(4, "机构"), (5, "机构")]
        )
        self.assertIn("只能登记本机构（甲镇卫生院）的手术", self.errors(job)[0][2])
        self.import_(job)
        self.assertEqual(
            set(TerminationRecord.objects.values_list("facility", "recorded_by")),
            {(self.facility.pk, self.clerk.pk)},
        )
        self.assertEqual(TerminationRecord.objects.count(), 2)
        refused = self.client.post(
            reverse("exchange:index"),
            {
                "kind": "devices",
                "file": upload("d.xlsx", xlsx_bytes([], DEVICE_HEADERS)),
            },
        )
        self.assertEqual(refused.status_code, 200)
        self.assertEqual(ImportJob.objects.count(), 1)

    @covers_scope("exchange:job_detail", "exchange:job_report", "exchange:job_progress")
    def test_clerks_do_not_open_each_others_jobs_the_township_does(self) -> None:
        self.login(self.clerk)
        job = self.check(
            "terminations", TERMINATION_HEADERS, [termination_row("甲镇卫生院", 1)]
        )
        self.login(self.clinic_clerk)
        for name in ("job_detail", "job_report", "job_progress"):
            with self.subTest(name=name):
                url = reverse(f"exchange:{name}", args=[job.pk])
                self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(
            self.client.post(reverse("exchange:job_import", args=[job.pk])).status_code,
            404,
        )
        for keeper in (self.zhen_a, self.health_a, self.xian):
            self.login(keeper)
            url = reverse("exchange:job_detail", args=[job.pk])
            self.assertEqual(self.client.get(url).status_code, 200, keeper.username)
        self.login(self.zhen_b)
        url = reverse("exchange:job_detail", args=[job.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_clerk_without_a_facility_is_offered_nothing(self) -> None:
        loose = make_user("clerk_x", Role.FACILITY_CLERK, self.town_a)
        self.login(loose)
        self.assertEqual(self.kinds_offered(), [])
        self.client.post(
            reverse("exchange:index"),
            {
                "kind": "terminations",
                "file": upload("t.xlsx", xlsx_bytes([], TERMINATION_HEADERS)),
            },
        )
        self.assertFalse(ImportJob.objects.exists())

    def test_a_clerk_imports_her_facilitys_exams_through_the_registers_service(
        self,
    ) -> None:
        self.login(self.clerk)
        rows = [
            exam_row("甲镇卫生院", 1),
            exam_row("甲镇诊所", 2),  # same township, not hers
            exam_row("甲镇卫生院", 3, weeks="45"),  # the service's own check
            exam_row("甲镇卫生院", 4),
            exam_row("甲镇卫生院", 1),  # the file's own duplicate
        ]
        rows[3][7] = "看性别"
        job = self.check("exams", EXAM_HEADERS, rows)
        self.assertEqual((job.counts["new"], job.counts["errors"]), (1, 3))
        errors = self.errors(job)
        self.assertEqual(
            [(r, c) for r, c, _m in errors], [(3, "机构"), (4, "孕周"), (5, "检查目的")]
        )
        self.assertIn("只能登记本机构（甲镇卫生院）的检查", errors[0][2])
        self.assertIn("孕周应在1到42之间", errors[1][2])
        self.import_(job)
        (exam,) = UltrasoundExam.objects.all()
        self.assertEqual(
            (exam.facility_id, exam.recorded_by_id, exam.gestational_weeks),
            (self.facility.pk, self.clerk.pk, 16),
        )
        self.assertNotEqual(exam.id_number_masked, number(601))
        # The device is not on file: recorded, and a finding as on the page.
        self.assertTrue(
            Alert.objects.filter(
                kind=AlertKind.EXAM_OFF_FILE, subject_id=exam.pk
            ).exists()
        )
        # Imported again: the register's entry makes the row a skipped duplicate.
        again = self.check("exams", EXAM_HEADERS, [exam_row("甲镇卫生院", 1)])
        self.assertEqual((again.counts["new"], again.counts["errors"]), (0, 0))

    def test_another_townships_health_centre_cannot_import_into_this_one(
        self,
    ) -> None:
        self.login(self.health_b)
        job = self.check("exams", EXAM_HEADERS, [exam_row("甲镇卫生院", 1)])
        self.assertEqual((job.counts["new"], job.counts["errors"]), (0, 1))
        self.assertEqual(self.errors(job)[0][1], "机构")

    def test_a_clerk_imports_her_facilitys_deliveries_through_the_registers_service(
        self,
    ) -> None:
        self.login(self.clerk)
        future = delivery_row("甲镇卫生院", 5, ("女",))
        future[4] = days_ago(-3).isoformat()
        rows = [
            delivery_row("甲镇卫生院", 1, ("男", "", "2", "o26000001")),
            delivery_row("甲镇卫生院", 2, ("男", "活产", "1"), ("女", "活产", "1")),
            delivery_row("甲镇诊所", 3, ("女",)),  # same township, not hers
            delivery_row("甲镇卫生院", 4, ("男",), ("", "", "2")),  # no sex
            future,
            delivery_row("甲镇卫生院", 6, ("女", "死胎死产", "", "O26000009")),
            delivery_row("甲镇卫生院", 7, ("女", "", "", "O26000001")),  # row 2's
            delivery_row("甲镇卫生院", 8, ("男", "", "16")),
            delivery_row("甲镇卫生院", 2, ("男",)),  # the file's own duplicate
        ]
        job = self.check("deliveries", DELIVERY_HEADERS, rows)
        self.assertEqual(
            (job.counts["new"], job.counts["duplicates"], job.counts["errors"]),
            (2, 1, 6),
        )
        self.assertEqual(
            self.errors(job),
            [
                (
                    4,
                    "机构",
                    "只能登记本机构（甲镇卫生院）的分娩：请填写本机构名称或执业许可证号。",
                ),
                (5, "第2个新生儿性别", "已填写第2个新生儿的其他信息，请填写其性别。"),
                (6, "分娩日期", "分娩日期不能晚于今天。"),
                (7, "第1个新生儿出生医学证明编号", "死胎死产不签发出生医学证明。"),
                (
                    8,
                    "第1个新生儿出生医学证明编号",
                    "该出生医学证明编号已登记在另一次分娩中。",
                ),
                (9, "第1个新生儿孩次", "第1个新生儿孩次应为1到15之间的整数。"),
            ],
        )
        self.assertEqual(self.duplicates(job), [10])
        # Row 10 repeats row 3's mother and day: the file's duplicate, although the
        # preview already holds row 3's entry.
        (repeat,) = [p for p in job.problems if p["is_duplicate"]]
        self.assertEqual(repeat["message"], "与第3行重复，本行跳过。")
        # The error report travels: the mothers' numbers in it are masked.
        report = self.client.get(reverse("exchange:job_report", args=[job.pk]))
        book = load_workbook(io.BytesIO(report.content))
        cells = " ".join(
            str(v) for r in book.active.iter_rows(values_only=True) for v in r
        )
        self.assertIn(mask(number(803)), cells)
        self.assertNotIn(number(803), cells)
        self.import_(job)
        deliveries = FacilityDelivery.objects.order_by("pk")
        self.assertEqual(
            [
                (d.facility_id, d.recorded_by_id, d.source, d.village_id)
                for d in deliveries
            ],
            [
                (
                    self.facility.pk,
                    self.clerk.pk,
                    DeliverySource.IMPORT,
                    self.village_a.pk,
                )
            ]
            * 2,
        )
        self.assertEqual(
            [
                [
                    (c.sex, c.birth_order, c.birth_certificate_number)
                    for c in d.children.all()
                ]
                for d in deliveries
            ],
            [[("M", 2, "O26000001")], [("M", 1, ""), ("F", 1, "")]],
        )
        self.assertNotIn(number(801), {d.id_number_masked for d in deliveries})
        # Imported again: the register's entries make both rows skipped duplicates.
        again = self.check("deliveries", DELIVERY_HEADERS, rows[:2])
        self.assertEqual(
            (again.counts["new"], again.counts["duplicates"], again.counts["errors"]),
            (0, 2, 0),
        )

    def test_an_imported_delivery_the_village_did_not_register_is_facility_only(
        self,
    ) -> None:
        self.login(self.health_a)
        job = self.check(
            "deliveries", DELIVERY_HEADERS, [delivery_row("PDY0001", 1, ("女",))]
        )
        self.import_(job)
        day = days_ago(2)
        month = reconcile_month(township=self.town_a, year=day.year, month=day.month)
        (entry,) = month.births.facility_only
        self.assertEqual(entry.pk, FacilityDelivery.objects.get().pk)

    def test_another_townships_health_centre_cannot_import_deliveries_here(
        self,
    ) -> None:
        self.login(self.health_b)
        job = self.check(
            "deliveries", DELIVERY_HEADERS, [delivery_row("甲镇卫生院", 1, ("女",))]
        )
        self.assertEqual((job.counts["new"], job.counts["errors"]), (0, 1))
        self.assertEqual(self.errors(job)[0][:2], (2, "机构"))
        self.assertFalse(FacilityDelivery.objects.exists())

    def test_a_registered_delivery_with_other_newborns_is_an_error_not_a_skip(
        self,
    ) -> None:
        self.login(self.clerk)
        self.import_(
            self.check(
                "deliveries", DELIVERY_HEADERS, [delivery_row("甲镇卫生院", 1, ("男",))]
            )
        )
        job = self.check(
            "deliveries",
            DELIVERY_HEADERS,
            [
                delivery_row("甲镇卫生院", 1, ("女",)),  # the register says a boy
                delivery_row("甲镇卫生院", 1, ("M", "live")),  # the same, by codes
            ],
        )
        self.assertEqual(
            self.errors(job),
            [
                (
                    2,
                    "第1个新生儿性别",
                    "登记簿中已有该产妇同日在本机构的分娩，但新生儿的人数、性别或结局"
                    "与本行不同：请核对，在分娩登记页更正。",
                )
            ],
        )
        self.assertEqual(self.duplicates(job), [3])

    def test_a_refused_row_does_not_hide_its_corrected_copy_below_it(self) -> None:
        self.login(self.clerk)
        wrong = delivery_row("甲镇卫生院", 1, ("女",))
        wrong[3] = "520999101299"  # no such village: the service's refusal
        gap = delivery_row("甲镇卫生院", 2, ("女",), (), ("男",))
        job = self.check(
            "deliveries",
            DELIVERY_HEADERS,
            [wrong, delivery_row("甲镇卫生院", 1, ("女",)), gap],
        )
        self.assertEqual(
            self.errors(job),
            [
                (2, "产妇所在村区划代码", "没有这个村级区划代码。"),
                (
                    4,
                    "第2个新生儿性别",
                    "已填写第3个新生儿，请按顺序从第2个新生儿填起。",
                ),
            ],
        )
        self.assertEqual((job.counts["new"], job.counts["duplicates"]), (1, 0))

    def test_a_certificate_number_longer_than_the_forms_is_an_error_of_its_cell(
        self,
    ) -> None:
        self.login(self.clerk)
        job = self.check(
            "deliveries",
            DELIVERY_HEADERS,
            [delivery_row("甲镇卫生院", 1, ("男",), ("女", "", "", "O" * 41))],
        )
        self.assertEqual(
            self.errors(job),
            [(2, "第2个新生儿出生医学证明编号", "出生医学证明编号最多40个字符。")],
        )

    def test_a_mothers_name_longer_than_the_register_takes_names_its_column(
        self,
    ) -> None:
        self.login(self.clerk)
        row = delivery_row("甲镇卫生院", 1, ("男",))
        row[1] = "李" * 41
        job = self.check("deliveries", DELIVERY_HEADERS, [row])
        self.assertEqual([(r, c) for r, c, _m in self.errors(job)], [(2, "产妇姓名")])
