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
from srbgov.oversight import practice_services, services
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


class CaseFromVisitTests(PracticeWorld):
    """A survey visit that found a problem opens a case (docs/registers.md §7.2)."""

    def _seize(self) -> None:
        record_seized_item(
            by=self.health_a,
            visit=self.visit,
            kind="ultrasound",
            description="便携式B超机 DP-10",
            quantity=1,
            unit="台",
        )

    def test_the_officer_opens_a_case_with_the_subject_and_findings_carried_over(
        self,
    ) -> None:
        self._seize()
        self.login(self.zhen_a)
        survey = self.client.get(
            reverse("oversight:survey_detail", args=[self.survey.pk])
        )
        start = reverse("oversight:case_create") + f"?visit={self.visit.pk}"
        self.assertContains(survey, start)
        form = self.client.get(start)
        self.assertContains(form, "便携式B超机 DP-10 1台")
        self.assertContains(form, "B超检查、胎儿性别鉴定")
        self.assertNotContains(form, 'name="source"')
        initial = form.context["form"].initial
        response = self.client.post(
            start,
            {
                "title": initial["title"],
                "area": self.town_a.pk,
                "subject_kind": initial["subject_kind"],
                "subject_description": initial["subject_description"],
                "summary": initial["summary"],
            },
        )
        case = Case.objects.get(survey_visit=self.visit)
        self.assertRedirects(response, reverse("oversight:case_detail", args=[case.pk]))
        self.assertEqual(case.source, CaseSource.SURVEY)
        self.assertEqual(case.subject_kind, SubjectKind.INTERMEDIARY)
        self.assertEqual(case.subject_description, "李某家中诊疗点（一村三组）")
        self.assertEqual(case.title, "非法行医排查发现：李某家中诊疗点")
        for found in ("米非司酮片", "未持有执业许可", "查扣物品：B超机 便携式B超机"):
            self.assertIn(found, case.summary)
        entry = AuditEntry.objects.get(
            action=AuditAction.CREATE,
            object_type="oversight.case",
            object_id=str(case.pk),
        )
        self.assertEqual(entry.detail, {"survey_visit": self.visit.pk})
        detail = self.client.get(reverse("oversight:case_detail", args=[case.pk]))
        self.assertContains(detail, "甲镇2026年非法行医排查")
        # The visit now links to its case; a second case from it is refused.
        survey = self.client.get(
            reverse("oversight:survey_detail", args=[self.survey.pk])
        )
        self.assertContains(survey, case.number)
        self.assertNotContains(survey, start)
        self.client.post(
            start,
            {
                "title": "再立",
                "area": self.town_a.pk,
                "subject_kind": SubjectKind.UNKNOWN,
                "summary": "x",
            },
        )
        self.assertEqual(Case.objects.filter(survey_visit=self.visit).count(), 1)

    def test_a_visit_at_a_filed_facility_names_the_facility(self) -> None:
        from srbgov.providers.tests.builders import make_facility

        clinic = make_facility(
            by=self.health_a, area=self.town_a, name="甲镇某诊所", kind="clinic"
        )
        visit = record_survey_visit(
            by=self.health_a,
            survey=self.survey,
            visited_on=timezone.localdate(),
            place_kind="clinic",
            place_name="",
            facility=clinic,
            is_licensed=True,
            devices_found="未备案B超机1台",
            has_problem=True,
        )
        case = services.open_case(
            by=self.zhen_a,
            source=CaseSource.SURVEY,
            survey_visit=visit,
            **practice_services.case_from_visit(visit)
            | {"area": self.town_a, "subject_facility": clinic},
        )
        self.assertEqual(case.subject_kind, SubjectKind.FACILITY)
        self.assertEqual(case.subject_facility, clinic)
        self.assertNotIn("未持有执业许可", case.summary)
        self.assertIn("未备案B超机1台", case.summary)

    def test_a_visit_without_a_problem_or_without_a_visit_opens_nothing(self) -> None:
        quiet = record_survey_visit(
            by=self.health_a,
            survey=self.survey,
            visited_on=timezone.localdate(),
            place_kind="pharmacy",
            place_name="一村药店",
            is_licensed=True,
        )
        values = {
            "by": self.zhen_a,
            "area": self.town_a,
            "title": "x",
            "source": CaseSource.SURVEY,
            "summary": "x",
            "subject_kind": SubjectKind.UNKNOWN,
        }
        for visit in (quiet, None):
            with self.assertRaises(ValidationError):
                services.open_case(survey_visit=visit, **values)  # type: ignore[arg-type]
        self.assertFalse(Case.objects.filter(source=CaseSource.SURVEY).exists())
        # The general 立案 form does not offer the survey as a source.
        self.login(self.zhen_a)
        form = self.client.get(reverse("oversight:case_create"))
        self.assertNotContains(form, 'value="survey"')

    def test_outsiders_and_the_health_center_cannot_open_from_the_visit(self) -> None:
        start = reverse("oversight:case_create") + f"?visit={self.visit.pk}"
        for user in (self.zhen_b, self.other_xian, self.health_a, self.cun_a):
            self.login(user)
            self.assertEqual(self.client.get(start).status_code, 404, user)
            self.client.post(
                start,
                {
                    "title": "x",
                    "area": user.area_id,
                    "subject_kind": SubjectKind.UNKNOWN,
                    "summary": "x",
                },
            )
        self.assertFalse(Case.objects.filter(survey_visit=self.visit).exists())
        # The health center sees the visit but no button to open a case.
        self.login(self.health_a)
        survey = self.client.get(
            reverse("oversight:survey_detail", args=[self.survey.pk])
        )
        self.assertNotContains(survey, "据此立案")
