"""The keepers of the facility registers import them (issue 13, docs/import.md §1a):
the township health centre its township's facilities, devices, staff, terminations
and ultrasound exams; a facility clerk her own facility's terminations and exams
only."""

from __future__ import annotations

from typing import ClassVar

from django.urls import reverse

from srbgov.accounts.models import Role, User
from srbgov.alerts.models import Alert, AlertKind
from srbgov.exchange.models import ImportJob
from srbgov.exchange.tests.helpers import number, upload, xlsx_bytes
from srbgov.exchange.tests.test_provider_import import (
    DEVICE_HEADERS,
    TERMINATION_HEADERS,
    ProviderImportWorld,
)
from srbgov.providers.models import (
    Facility,
    FacilityClerk,
    FacilityKind,
    TerminationRecord,
    UltrasoundDevice,
    UltrasoundExam,
)
from srbgov.providers.tests.builders import days_ago, make_practitioner
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
            ["facilities", "devices", "staff", "terminations", "exams"],
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
        self.assertEqual(self.kinds_offered(), ["terminations", "exams"])
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
