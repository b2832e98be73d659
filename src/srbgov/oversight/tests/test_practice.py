"""Unlicensed practice (issue 17 item 4): survey rounds with what was found and the
items seized, private persons as case subjects (number encrypted when given), and
the health center working its township's cases — 404 on another township's."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.oversight import services
from srbgov.oversight.models import (
    Case,
    CasePerson,
    CaseSource,
    Department,
    SeizedItem,
    SubjectKind,
    Survey,
    SurveyVisit,
)
from srbgov.oversight.practice_services import (
    add_case_person,
    record_seized_item,
    record_survey_visit,
    start_survey,
)
from srbgov.testing import BaseTestCase, covers_scope, make_id_number


def _rows(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


class PracticeWorld(BaseTestCase):
    survey: ClassVar[Survey]
    visit: ClassVar[SurveyVisit]
    case: ClassVar[Case]
    case_b: ClassVar[Case]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        today = timezone.localdate()
        cls.survey = start_survey(
            by=cls.health_a,
            area=cls.town_a,
            name="甲镇2026年非法行医排查",
            department=Department.HEALTH_CENTER,
            started_on=today - timedelta(days=10),
        )
        cls.visit = record_survey_visit(
            by=cls.health_a,
            survey=cls.survey,
            visited_on=today - timedelta(days=5),
            place_kind="unlicensed",
            place_name="李某家中诊疗点",
            address="一村三组",
            village=cls.village_a,
            devices_found="便携式B超机1台",
            drugs_found="米非司酮片",
            services_offered="B超检查、胎儿性别鉴定",
            has_problem=True,
        )
        cls.case = services.open_case(
            by=cls.zhen_a,
            area=cls.town_a,
            title="非法鉴定胎儿性别",
            source=CaseSource.TIP,
            tip_reference="JB-2026-001",
            summary="排查发现",
            subject_kind=SubjectKind.INTERMEDIARY,
            subject_description="中介人员",
        )
        cls.case_b = services.open_case(
            by=cls.zhen_b,
            area=cls.town_b,
            title="乙镇中介",
            source=CaseSource.TIP,
            tip_reference="JB-2026-002",
            summary="举报",
            subject_kind=SubjectKind.INTERMEDIARY,
            subject_description="中介人员",
        )


class SurveyTests(PracticeWorld):
    def test_a_seizure_is_recorded_with_its_quantity_and_audited(self) -> None:
        item = record_seized_item(
            by=self.health_a,
            visit=self.visit,
            kind="ultrasound",
            description="便携式B超机 KX-5",
            quantity=1,
            unit="台",
        )
        record_seized_item(
            by=self.health_a,
            visit=self.visit,
            kind="drug",
            description="米非司酮片",
            quantity=12,
            unit="盒",
        )
        self.assertEqual(
            sorted(SeizedItem.objects.values_list("quantity", flat=True)), [1, 12]
        )
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.CREATE, object_id=str(item.pk)
            ).exists()
        )
        with self.assertRaises(ValidationError):
            record_seized_item(
                by=self.health_a,
                visit=self.visit,
                kind="drug",
                description="x",
                quantity=0,
                unit="盒",
            )

    def test_a_visit_outside_the_surveyed_township_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            record_survey_visit(
                by=self.health_a,
                survey=self.survey,
                visited_on=timezone.localdate(),
                place_kind="clinic",
                place_name="乙镇诊所",
                village=self.village_c,
            )

    def test_the_pages_record_a_visit_and_a_seizure_and_export_them(self) -> None:
        self.login(self.zhen_a)
        today = timezone.localdate().isoformat()
        response = self.client.post(
            reverse("oversight:survey_visit_add", args=[self.survey.pk]),
            {
                "visited_on": today,
                "place_kind": "clinic",
                "place_name": "王氏诊所",
                "village": self.village_b.pk,
                "services_offered": "输液",
            },
        )
        self.assertRedirects(
            response, reverse("oversight:survey_detail", args=[self.survey.pk])
        )
        visit = SurveyVisit.objects.get(place_name="王氏诊所")
        self.client.post(
            reverse("oversight:survey_item_add", args=[visit.pk]),
            {
                "kind": "instrument",
                "description": "刮宫器械",
                "quantity": "3",
                "unit": "件",
            },
        )
        visit.refresh_from_db()
        self.assertTrue(visit.has_problem)
        rows = _rows(
            self.client.get(
                reverse("oversight:survey_visits_export", args=[self.survey.pk])
            ).content
        )
        by_place = {r[2]: r for r in rows[1:]}
        self.assertEqual(by_place["王氏诊所"][9], "刮宫器械 3件")
        listed = _rows(self.client.get(reverse("oversight:survey_export")).content)
        self.assertEqual(listed[1][5:7], (2, 2))

    @covers_scope(
        "oversight:survey_list",
        "oversight:survey_export",
        "oversight:survey_create",
        "oversight:survey_detail",
        "oversight:survey_visits_export",
        "oversight:survey_visit_add",
        "oversight:survey_item_add",
    )
    def test_another_township_or_county_gets_404(self) -> None:
        for user in (self.zhen_b, self.other_xian):
            self.login(user)
            for name in ("survey_detail", "survey_visits_export", "survey_visit_add"):
                url = reverse(f"oversight:{name}", args=[self.survey.pk])
                self.assertEqual(self.client.get(url).status_code, 404, (user, name))
            url = reverse("oversight:survey_item_add", args=[self.visit.pk])
            response = self.client.post(
                url, {"kind": "drug", "description": "x", "quantity": "1", "unit": "盒"}
            )
            self.assertEqual(response.status_code, 404)
            self.assertNotContains(
                self.client.get(reverse("oversight:survey_list")), "甲镇2026年"
            )
        self.login(self.cun_a)
        for name in ("survey_list", "survey_export", "survey_create"):
            self.assertEqual(
                self.client.get(reverse(f"oversight:{name}")).status_code, 404
            )
        self.assertFalse(SeizedItem.objects.exists())


class CasePersonTests(PracticeWorld):
    def test_a_private_person_is_named_with_an_encrypted_number(self) -> None:
        number = make_id_number(sex="M")
        person = add_case_person(
            by=self.zhen_a,
            case=self.case,
            role="intermediary",
            name="张某",
            id_number=number,
            address="一村五组",
        )
        self.assertNotIn(number, person.id_number_encrypted)
        self.assertIn("*", person.id_number_masked)
        self.assertEqual(len(person.id_number_hash), 64)
        unnamed = add_case_person(
            by=self.zhen_a, case=self.case, role="unlicensed", name="刘某"
        )
        self.assertEqual(unnamed.id_number_hash, "")
        with self.assertRaises(ValidationError):
            add_case_person(
                by=self.zhen_a,
                case=self.case,
                role="unlicensed",
                name="错号",
                id_number="110101199001011234",
            )

    def test_the_officer_adds_a_person_on_the_case_page_masked(self) -> None:
        number = make_id_number(sex="M")
        self.login(self.zhen_a)
        self.client.post(
            reverse("oversight:case_person_add", args=[self.case.pk]),
            {"role": "intermediary", "name": "赵某", "id_number": number},
        )
        person = CasePerson.objects.get()
        page = self.client.get(reverse("oversight:case_detail", args=[self.case.pk]))
        self.assertContains(page, "赵某")
        self.assertContains(page, person.id_number_masked)
        self.assertNotContains(page, number)

    @covers_scope("oversight:case_person_add")
    def test_only_the_case_managers_of_the_area_add_persons(self) -> None:
        for user in (self.zhen_b, self.other_xian, self.health_a, self.police_a):
            self.login(user)
            response = self.client.post(
                reverse("oversight:case_person_add", args=[self.case.pk]),
                {"role": "intermediary", "name": "赵某"},
            )
            self.assertEqual(response.status_code, 404, user)
        self.assertFalse(CasePerson.objects.exists())


class HealthCenterCaseTests(PracticeWorld):
    def test_the_health_center_sees_its_township_case_and_works_its_task(self) -> None:
        task = services.add_case_task(
            by=self.zhen_a,
            case=self.case,
            department=Department.HEALTH_CENTER,
            description="核查诊疗点B超设备",
            due_on=timezone.localdate() + timedelta(days=7),
        )
        planning = services.add_case_task(
            by=self.zhen_a,
            case=self.case,
            department=Department.PLANNING_OFFICE,
            description="走访当事人",
            due_on=timezone.localdate() + timedelta(days=7),
        )
        self.login(self.health_a)
        listed = self.client.get(reverse("oversight:case_list"))
        self.assertContains(listed, "非法鉴定胎儿性别")
        self.assertNotContains(listed, "乙镇中介")
        page = self.client.get(reverse("oversight:case_detail", args=[self.case.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertIsNotNone(page.context["record_form"])
        self.assertIsNone(page.context["dispose_form"])
        self.assertIsNone(page.context["task_form"])
        today = timezone.localdate().isoformat()
        self.client.post(
            reverse("oversight:case_task_done", args=[task.pk]),
            {"done_on": today, "result": "已查扣设备"},
        )
        task.refresh_from_db()
        self.assertEqual(task.result, "已查扣设备")
        # Not the planning office's task (it sees it on the case page).
        self.client.post(
            reverse("oversight:case_task_done", args=[planning.pk]),
            {"done_on": today, "result": "x"},
        )
        planning.refresh_from_db()
        self.assertIsNone(planning.done_on)
        self.client.post(
            reverse("oversight:case_record_add", args=[self.case.pk]),
            {
                "recorded_on": today,
                "interviewee": "李某",
                "investigators": "王院长、陈医生",
                "content": "现场检查笔录",
            },
        )
        self.assertEqual(self.case.records.count(), 1)
        # It neither opens nor disposes of cases.
        self.assertEqual(
            self.client.get(reverse("oversight:case_create")).status_code, 404
        )
        response = self.client.post(
            reverse("oversight:case_dispose", args=[self.case.pk]),
            {"disposition": "unfounded", "disposed_on": today},
        )
        self.assertEqual(response.status_code, 404)

    def test_the_health_center_gets_404_on_another_townships_case(self) -> None:
        self.login(self.health_a)
        for name in ("case_detail",):
            url = reverse(f"oversight:{name}", args=[self.case_b.pk])
            self.assertEqual(self.client.get(url).status_code, 404)
        response = self.client.post(
            reverse("oversight:case_record_add", args=[self.case_b.pk]),
            {
                "recorded_on": timezone.localdate().isoformat(),
                "interviewee": "x",
                "investigators": "甲、乙",
                "content": "x",
            },
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.case_b.records.count(), 0)
