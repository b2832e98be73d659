"""Issue 17 in the browser: a facility clerk records an exam at 16 weeks and a delivery;
a termination of the same woman at another facility 10 days later raises the
cross-register alert for her township; another township's officer gets 404 on all of
it (docs/registers.md §3)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from srbgov.accounts.models import Role
from srbgov.alerts.models import Alert, AlertKind
from srbgov.browser import BrowserTestCase
from srbgov.providers.models import (
    FacilityDelivery,
    PractitionerKind,
    UltrasoundExam,
)
from srbgov.providers.services import (
    assign_facility_clerk,
    file_operator,
    record_termination,
    save_device,
)
from srbgov.providers.tests.builders import make_facility, make_practitioner
from srbgov.testing import make_id_number, make_user


class ExamRegisterInBrowserTests(BrowserTestCase):
    def test_exam_delivery_and_the_cross_register_alert_stay_in_scope(self) -> None:
        today = timezone.localdate()
        facility = make_facility(by=self.health_a, area=self.town_a)
        device = save_device(
            by=self.health_a,
            facility=facility,
            model_name="DC-70",
            serial_number="SN-1",
            filed_on=today - timedelta(days=90),
        )
        sonographer = make_practitioner(
            by=self.health_a,
            facility=facility,
            name="王医生",
            kind=PractitionerKind.ULTRASOUND,
        )
        file_operator(by=self.health_a, device=device, practitioner=sonographer)
        other = make_facility(by=self.health_a, area=self.town_a, name="甲镇医院")
        surgeon = make_practitioner(by=self.health_a, facility=other, name="钱医生")
        clerk = make_user("clerk_browser", Role.FACILITY_CLERK, self.town_a)
        assign_facility_clerk(by=self.health_a, clerk=clerk, facility=facility)
        number = make_id_number()

        page = self.log_in("clerk_browser")
        page.goto(self.url("/providers/exams/new/"))
        page.fill("#id_woman_name", "孙倩")
        page.fill("#id_id_number", number)
        page.fill("#id_village_code", self.village_a.code)
        page.fill("#id_examined_on", (today - timedelta(days=12)).isoformat())
        page.fill("#id_gestational_weeks", "16")
        page.select_option("#id_purpose", "routine")
        page.fill("#id_device_serial", "SN-1")
        page.fill("#id_operator_name", "王医生")
        page.click("button:has-text('保存')")
        page.wait_for_url("**/providers/exams/*/")
        exam = UltrasoundExam.objects.get()
        assert exam.id_number_masked in page.content()
        assert number not in page.content()

        page.goto(self.url("/providers/deliveries/new/"))
        page.fill("#id_mother_name", "周敏")
        page.fill("#id_mother_id_number", make_id_number())
        page.fill("#id_village_code", self.village_a.code)
        page.fill("#id_delivered_on", (today - timedelta(days=1)).isoformat())
        page.select_option("#id_child1_sex", "F")
        page.click("button:has-text('保存')")
        page.wait_for_url("**/providers/deliveries/*/")
        delivery = FacilityDelivery.objects.get()

        record_termination(
            by=self.health_a,
            facility=other,
            woman_name="孙倩",
            id_number=number,
            terminated_on=today - timedelta(days=2),
            gestational_weeks=17,
            method="induction",
            operator=surgeon,
            medical_reason="本人要求",
        )
        alert = Alert.objects.get(kind=AlertKind.EXAM_THEN_TERMINATION)
        urls = [
            f"/alerts/{alert.pk}/",
            f"/providers/exams/{exam.pk}/",
            f"/providers/deliveries/{delivery.pk}/",
        ]
        officer = self.log_in("zhen_a", self.new_page())
        officer.goto(self.url(urls[0]))
        assert "另一机构终止妊娠" in officer.content()
        outsider = self.log_in("zhen_b", self.new_page())
        for url in urls:
            response = outsider.goto(self.url(url))
            assert response is not None and response.status == 404, url
