"""Issue 13 item 3 in the browser: a facility clerk records a delivery the village
never registered; the township officer's reconciliation page lists it as 漏报, and
the officer confirms a pair whose sexes differ."""

from __future__ import annotations

from django.utils import timezone

from srbgov.accounts.models import Role
from srbgov.alerts.models import Alert, AlertKind
from srbgov.browser import BrowserTestCase
from srbgov.providers.models import FacilityDelivery
from srbgov.providers.services import assign_facility_clerk
from srbgov.providers.tests.builders import make_facility
from srbgov.reconciliation.tests.builders import facility_delivery, village_birth
from srbgov.testing import make_id_number, make_user, make_woman


class ReconciliationInBrowserTests(BrowserTestCase):
    def test_a_birth_the_facility_reported_and_the_village_did_not(self) -> None:
        today = timezone.localdate()
        facility = make_facility(by=self.health_a, area=self.town_a)
        clerk = make_user("clerk_a", Role.FACILITY_CLERK, self.town_a)
        assign_facility_clerk(by=self.health_a, clerk=clerk, facility=facility)
        # A birth both registers hold, with the sexes differing.
        number = make_id_number()
        woman = make_woman(
            by=self.cun_a, village=self.village_a, name="赵丽", id_number=number
        )
        village_birth(by=self.cun_a, woman=woman, on=today, sexes=["F"])
        facility_delivery(
            by=clerk,
            facility=facility,
            id_number=number,
            name="赵丽",
            on=today,
            sexes=["M"],
        )

        page = self.log_in("clerk_a")
        page.click("nav >> text=医疗机构")
        page.click("text=分娩登记")
        page.click("text=新增分娩登记")
        page.fill("#id_mother_name", "陈静")
        page.fill("#id_mother_id_number", make_id_number())
        page.fill("#id_village_code", self.village_b.code)
        page.fill("#id_delivered_on", today.isoformat())
        page.select_option("#id_child1_sex", "F")
        page.fill("#id_child1_certificate", "Q5209990001")
        page.click("button:has-text('保存')")
        page.wait_for_url("**/providers/deliveries/*/")
        assert "分娩已登记" in page.content()
        assert FacilityDelivery.objects.filter(woman_name="陈静").exists()

        officer = self.log_in("zhen_a", self.new_page())
        officer.click("nav >> text=数据比对")
        officer.wait_for_url("**/reconciliation/*/*/*/")
        missed = officer.locator("#births-facility-only")
        assert "陈静" in missed.inner_text()
        assert "二村" in missed.inner_text()
        assert officer.locator("#count-facility-only").inner_text() == "1"
        pending = officer.locator("#births-pending")
        assert "性别不一致" in pending.inner_text()
        with officer.expect_navigation():
            pending.locator("button:has-text('确认为同一例')").click()
        assert "已保存比对结论" in officer.content()
        assert "赵丽" in officer.locator("#births-mismatched").inner_text()
        assert Alert.objects.filter(kind=AlertKind.RECONCILED_SEX_MISMATCH).exists()
