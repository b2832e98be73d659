"""Issue 17 item 4 in the browser: a township officer records a survey visit of an
unlicensed practice and what it seized, then opens a case from the visit with the
findings carried over (docs/registers.md §7.2)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from srbgov.browser import BrowserTestCase
from srbgov.oversight.models import Case, CaseSource, Department
from srbgov.oversight.practice_services import start_survey


class SurveyToCaseInBrowserTests(BrowserTestCase):
    def test_a_visit_and_its_seizure_open_a_case(self) -> None:
        today = timezone.localdate()
        survey = start_survey(
            by=self.zhen_a,
            area=self.town_a,
            name="甲镇非法行医排查",
            department=Department.PLANNING_OFFICE,
            started_on=today - timedelta(days=3),
        )
        page = self.log_in("zhen_a")
        page.goto(self.url(f"/oversight/surveys/{survey.pk}/"))
        page.click("text=登记排查场所")
        page.fill("#id_visited_on", today.isoformat())
        page.select_option("#id_place_kind", "unlicensed")
        page.fill("#id_place_name", "周某家中诊疗点")
        page.fill("#id_address", "一村五组")
        page.fill("#id_services_offered", "胎儿性别鉴定")
        page.click("button:has-text('保存')")
        page.wait_for_url(f"**/oversight/surveys/{survey.pk}/")
        page.select_option("form.seize #id_kind", "ultrasound")
        page.fill("form.seize #id_description", "便携式B超机")
        page.fill("form.seize #id_quantity", "1")
        page.fill("form.seize #id_unit", "台")
        # The seizure posts back to the page it is on: wait for that page to load
        # again, not for a URL that already matches.
        with page.expect_navigation():
            page.click("form.seize button")
        with page.expect_navigation():
            page.click("text=据此立案")
        assert "便携式B超机 1台" in page.input_value("#id_summary")
        page.click("button:has-text('保存')")
        page.wait_for_url("**/oversight/cases/*/")
        case = Case.objects.get()
        assert case.source == CaseSource.SURVEY
        assert case.subject_description == "周某家中诊疗点（一村五组）"
        assert "胎儿性别鉴定" in page.content()
        page.goto(self.url(f"/oversight/surveys/{survey.pk}/"))
        assert case.number in page.content()
        assert "据此立案" not in page.content()
