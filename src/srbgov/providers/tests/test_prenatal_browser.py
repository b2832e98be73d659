"""Issue 17 item 3 in the browser: the health center records its facility's licence for
prenatal diagnosis and a cell-free DNA test whose report states the fetal sex without a
sex-linked indication; the test page shows the finding, and another township's
officer gets 404 on the test and its alert (docs/registers.md §7.1)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from srbgov.alerts.models import Alert, AlertKind
from srbgov.browser import BrowserTestCase
from srbgov.providers.models import GeneticTest, PrenatalLicence
from srbgov.providers.tests.builders import make_facility
from srbgov.testing import make_id_number


class PrenatalRegisterInBrowserTests(BrowserTestCase):
    def test_licence_and_a_sex_disclosing_test_show_the_finding_in_scope(
        self,
    ) -> None:
        today = timezone.localdate()
        facility = make_facility(by=self.health_a, area=self.town_a)
        number = make_id_number()

        page = self.log_in("health_a")
        page.goto(self.url("/providers/licences/new/"))
        page.select_option("#id_facility", str(facility.pk))
        page.fill("#id_number", "黔产诊字2026-15")
        page.select_option("#id_scope", "diagnosis")
        page.fill("#id_valid_from", (today - timedelta(days=200)).isoformat())
        page.fill("#id_valid_to", (today + timedelta(days=500)).isoformat())
        page.click("button:has-text('保存')")
        page.wait_for_url("**/providers/licences/")
        assert "黔产诊字2026-15" in page.content()
        licence = PrenatalLicence.objects.get()

        page.goto(self.url("/providers/genetic-tests/new/"))
        page.select_option("#id_facility", str(facility.pk))
        page.fill("#id_woman_name", "吴静")
        page.fill("#id_id_number", number)
        page.fill("#id_village_code", self.village_a.code)
        page.select_option("#id_kind", "cfdna")
        page.fill("#id_ordered_on", (today - timedelta(days=8)).isoformat())
        page.fill("#id_gestational_weeks", "15")
        page.select_option("#id_indication", "advanced_age")
        page.select_option("#id_result", "normal")
        page.fill("#id_result_on", (today - timedelta(days=2)).isoformat())
        page.check("#id_reports_sex")
        page.click("button:has-text('保存')")
        page.wait_for_url("**/providers/genetic-tests/*/")
        test = GeneticTest.objects.get()
        assert test.licence == licence
        content = page.content()
        assert "报告载明胎儿性别，但检测指征不是伴性遗传病（已预警）" in content
        # Licensed: the other finding is not shown.
        assert "没有覆盖本项目的有效产前诊断许可" not in content
        assert licence.number in content
        assert test.id_number_masked in content and number not in content
        alert = Alert.objects.get(kind=AlertKind.GENETIC_TEST_SEX_REPORTED)
        assert not Alert.objects.filter(kind=AlertKind.GENETIC_TEST_UNLICENSED).exists()

        officer = self.log_in("zhen_a", self.new_page())
        response = officer.goto(self.url(f"/alerts/{alert.pk}/"))
        assert response is not None and response.status == 200

        outsider = self.log_in("zhen_b", self.new_page())
        for url in (f"/providers/genetic-tests/{test.pk}/", f"/alerts/{alert.pk}/"):
            response = outsider.goto(self.url(url))
            assert response is not None and response.status == 404, url
        outsider.goto(self.url("/providers/licences/"))
        assert licence.number not in outsider.content()
