"""Pregnancies and visits imported through the pregnancies app's own services."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from srbgov.exchange.models import ImportJob, JobStatus
from srbgov.exchange.tests.helpers import ExchangeTestCase, number, upload, xlsx_bytes
from srbgov.pregnancies.models import Pregnancy, PregnancyStatus, Visit
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.testing import make_woman

PREGNANCY_HEADERS = ["身份证号码*", "末次月经*", "责任人*", "孩次", "备注"]
VISIT_HEADERS = ["身份证号码*", "随访日期*", "随访人*", "随访方式*", "随访结果*"]


class PregnancyImportTests(ExchangeTestCase):
    def run_upload(self, kind: str, content: bytes) -> ImportJob:
        self.client.post(
            reverse("exchange:index"), {"kind": kind, "file": upload("x.xlsx", content)}
        )
        job = ImportJob.objects.order_by("-pk").first()
        assert job is not None
        return job

    def test_pregnancies_are_checked_by_the_registration_service_and_the_preview_writes_nothing(
        self,
    ) -> None:
        today = timezone.localdate()
        for i in range(4):
            make_woman(
                by=self.zhen_a,
                village=self.village_a,
                name=f"孕{i}",
                id_number=number(i),
            )
        make_woman(
            by=self.zhen_b, village=self.village_c, name="乙镇人", id_number=number(9)
        )
        lmp = (today - timedelta(weeks=8)).isoformat()
        future = (today + timedelta(days=3)).isoformat()
        rows = [
            [number(0), lmp, "张计生、李医生", "", ""],
            [number(1), lmp, "张计生、李医生", "1", ""],
            [number(2), future, "张计生、李医生", "", ""],  # in the future
            [number(3), lmp, "张计生", "", ""],  # one responsible person
            [number(9), lmp, "张计生、李医生", "", ""],  # another township's woman
            [number(0), lmp, "张计生、李医生", "", ""],  # duplicate of row 2
            [number(1), "昨天", "张计生、李医生", "", ""],
        ]
        self.login(self.zhen_a)
        job = self.run_upload("pregnancies", xlsx_bytes(rows, PREGNANCY_HEADERS))
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.CHECKED)
        self.assertEqual(job.counts["new"], 2)
        self.assertEqual(job.counts["duplicates"], 1)
        self.assertEqual(job.counts["errors"], 4)
        by_row = {p["row"]: (p["column"], p["message"]) for p in job.problems}
        self.assertEqual(by_row[4][0], "末次月经")
        self.assertIn("不能晚于今天", by_row[4][1])
        self.assertEqual(by_row[5][0], "责任人")
        self.assertIn("本辖区没有登记", by_row[6][1])
        self.assertIn("不是有效日期", by_row[8][1])
        self.assertFalse(
            Pregnancy.objects.exists(), "the preview rolled every row back"
        )

        self.client.post(reverse("exchange:job_import", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.IMPORTED)
        self.assertEqual(
            Pregnancy.objects.filter(status=PregnancyStatus.PREGNANT).count(), 2
        )

    def test_visits_go_to_her_open_pregnancy_and_bad_choices_are_named(self) -> None:
        woman = make_woman(by=self.cun_a, village=self.village_a, id_number=number(0))
        make_woman(
            by=self.cun_a, village=self.village_a, name="无孕情", id_number=number(1)
        )
        pregnancy = make_pregnancy(by=self.cun_a, woman=woman, weeks=12)
        day = (timezone.localdate() - timedelta(days=2)).isoformat()
        rows = [
            [number(0), day, "张计生、李医生", "入户", "仍在孕期"],
            [number(0), day, "张计生、李医生", "入户", "仍在孕期"],  # duplicate
            [number(1), day, "张计生、李医生", "入户", "仍在孕期"],
            [number(0), day, "张计生、李医生", "飞鸽", "仍在孕期"],
        ]
        self.login(self.cun_a)
        job = self.run_upload("visits", xlsx_bytes(rows, VISIT_HEADERS))
        job.refresh_from_db()
        self.assertEqual(
            (job.counts["new"], job.counts["duplicates"], job.counts["errors"]),
            (1, 1, 2),
        )
        messages = {p["row"]: p["message"] for p in job.problems}
        self.assertIn("没有未结束的孕情", messages[4])
        self.assertIn("随访方式只能填写：入户、电话、来站/门诊", messages[5])
        self.client.post(reverse("exchange:job_import", args=[job.pk]))
        self.assertEqual(Visit.objects.filter(pregnancy=pregnancy).count(), 1)


BIRTH_HEADERS = [
    "身份证号码*",
    "分娩日期*",
    "结局*",
    "婴儿性别",
    "出生体重（克）",
    "接生机构",
]


class BirthImportTests(ExchangeTestCase):
    def test_births_add_her_children_and_twins_and_terminations_are_refused(
        self,
    ) -> None:
        today = timezone.localdate()
        mothers = [
            make_woman(
                by=self.cun_a,
                village=self.village_a,
                name=f"母{i}",
                id_number=number(i),
            )
            for i in range(4)
        ]
        for mother in mothers:
            make_pregnancy(by=self.cun_a, woman=mother, weeks=39)
        born = (today - timedelta(days=1)).isoformat()
        rows = [
            [number(0), born, "活产", "女", "3100", ""],
            [number(1), born, "活产", "男、女", "", ""],
            [number(2), born, "人工终止妊娠", "", "", ""],
            [number(3), born, "活产", "未知", "", "不存在的医院"],
        ]
        self.login(self.cun_a)
        self.client.post(
            reverse("exchange:index"),
            {
                "kind": "births",
                "file": upload("b.xlsx", xlsx_bytes(rows, BIRTH_HEADERS)),
            },
        )
        job = ImportJob.objects.get()
        self.assertEqual(
            (job.counts["new"], job.counts["errors"]), (2, 2), job.problems
        )
        columns = sorted((p["row"], p["column"]) for p in job.problems)
        self.assertEqual(
            columns, sorted([(4, "结局"), (5, "接生机构"), (5, "婴儿性别")])
        )
        self.client.post(reverse("exchange:job_import", args=[job.pk]))
        self.assertEqual(mothers[0].children.get().sex, "F")
        self.assertEqual(
            sorted(mothers[1].children.values_list("sex", flat=True)), ["F", "M"]
        )
        self.assertFalse(mothers[2].children.exists())
