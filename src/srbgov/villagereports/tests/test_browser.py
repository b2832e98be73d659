"""In chromium: the worker submits the month's report, the township officer sends it back
with a comment, the worker corrects and resubmits, the officer approves; the township
scorecard then shows the village's indicators with drill-down to its records."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from srbgov.browser import BrowserTestCase
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.testing import make_woman
from srbgov.villagereports.models import MonthlyReport, ReportStatus
from srbgov.villagereports.queries import previous_month


class MonthlyReportBrowserTest(BrowserTestCase):
    def test_submit_return_correct_approve_then_the_scorecard(self) -> None:
        month = previous_month(timezone.localdate())
        registered = month + timedelta(days=2)
        woman = make_woman(by=self.cun_a, village=self.village_a, name="赵敏")
        make_pregnancy(
            by=self.cun_a,
            woman=woman,
            lmp_on=registered - timedelta(weeks=8),
            registered_on=registered,
            visits=[registered + timedelta(days=5)],
        )
        worker = self.log_in("cun_a")
        worker.goto(self.url(f"/village-reports/?month={month:%Y-%m}"))
        worker.click("#fill")
        worker.wait_for_selector("#edit")
        assert worker.input_value("#id_pregnancies_registered") == "1"
        worker.fill("#id_visits", "2")
        worker.click("#submit")
        worker.wait_for_selector("#status")
        assert worker.inner_text("#status") == "已上报"
        report = MonthlyReport.objects.get(village=self.village_a, month=month)

        officer = self.log_in("zhen_a", self.new_page())
        officer.goto(self.url(f"/village-reports/{report.pk}/"))
        officer.fill("#id_comment", "随访数与系统记录不符，请核对。")
        officer.click("#return")
        officer.wait_for_selector("#comment")
        assert officer.inner_text("#status") == "退回修改"

        worker.goto(self.url(f"/village-reports/{report.pk}/"))
        assert "请核对" in worker.inner_text("#comment")
        worker.fill("#id_visits", "1")
        worker.fill("#id_notes", "已核对，随访一次。")
        worker.click("#submit")
        worker.wait_for_selector("#status")
        assert worker.inner_text("#status") == "已上报"

        officer.goto(self.url(f"/village-reports/{report.pk}/"))
        officer.click("#approve")
        officer.wait_for_selector("#status")
        assert officer.inner_text("#status") == "已审核"
        report.refresh_from_db()
        assert report.status == ReportStatus.APPROVED and report.figures["visits"] == 1

        officer.goto(self.url(f"/assessment/?year={month.year}&month={month.month}"))
        cell = officer.locator(
            '#scorecard tr[data-unit="一村"] td[data-kind="on_time_registration"] a'
        )
        assert "1/1" in cell.inner_text()
        cell.click()
        officer.wait_for_selector("#records")
        assert "赵敏" in officer.inner_text("#records")
        _ = date
