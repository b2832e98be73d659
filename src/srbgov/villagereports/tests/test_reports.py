"""The monthly village report: filled from the records, corrected, submitted, returned,
approved, locked, reopened with a reason; late villages and totals (docs/assessment.md)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.testing import BaseTestCase, covers_scope, make_woman
from srbgov.villagereports import services
from srbgov.villagereports.models import MonthlyReport, ReportStatus
from srbgov.villagereports.queries import month_view

TODAY = date(2026, 11, 20)
OCTOBER = date(2026, 10, 1)


@time_machine.travel(TODAY, tick=False)
class MonthlyReportTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with time_machine.travel(TODAY, tick=False):
            for i in range(3):
                woman = make_woman(by=cls.cun_a, village=cls.village_a, name=f"月报{i}")
                make_pregnancy(
                    by=cls.cun_a,
                    woman=woman,
                    lmp_on=date(2026, 8, 1),
                    registered_on=date(2026, 10, 3 + i),
                    visits=[date(2026, 10, 20)],
                )

    def test_it_is_filled_from_the_month_records(self) -> None:
        report = services.fill_report(
            by=self.cun_a, village=self.village_a, month=OCTOBER
        )
        assert report.figures["pregnancies_registered"] == 3
        assert report.figures["visits"] == 3
        assert report.computed == report.figures
        again = services.fill_report(
            by=self.cun_a, village=self.village_a, month=OCTOBER
        )
        assert again.pk == report.pk

    def test_the_workflow_locks_once_approved_and_reopens_with_a_reason(self) -> None:
        report = services.fill_report(
            by=self.cun_a, village=self.village_a, month=OCTOBER
        )
        figures = dict(report.figures, visits=4)
        services.correct_report(
            by=self.cun_a, report=report, figures=figures, notes="补录一次"
        )
        services.submit_report(by=self.cun_a, report=report)
        with self.assertRaises(ValidationError):
            services.correct_report(
                by=self.cun_a, report=report, figures=figures, notes=""
            )
        with self.assertRaises(ValidationError):
            services.return_report(by=self.zhen_a, report=report, comment=" ")
        services.return_report(
            by=self.zhen_a, report=report, comment="随访数与记录不符"
        )
        services.correct_report(
            by=self.cun_a, report=report, figures=dict(figures, visits=3), notes=""
        )
        services.submit_report(by=self.cun_a, report=report)
        services.approve_report(by=self.zhen_a, report=report)
        assert report.status == ReportStatus.APPROVED
        with self.assertRaises(ValidationError):
            services.correct_report(
                by=self.cun_a, report=report, figures=figures, notes=""
            )
        with self.assertRaises(ValidationError):
            services.reopen_report(by=self.zhen_a, report=report, reason="")
        services.reopen_report(by=self.zhen_a, report=report, reason="补报一例迁入")
        assert report.status == ReportStatus.RETURNED
        assert AuditEntry.objects.filter(
            action=AuditAction.UPDATE,
            object_type="villagereports.monthlyreport",
            detail__reopened="补报一例迁入",
        ).exists()

    def test_late_villages_and_totals_from_approved_reports_only(self) -> None:
        report = services.fill_report(
            by=self.cun_a, village=self.village_a, month=OCTOBER
        )
        services.correct_report(
            by=self.cun_a,
            report=report,
            figures=dict(report.figures, visits=5),
            notes="",
        )
        services.submit_report(by=self.cun_a, report=report)
        reports = list(MonthlyReport.objects.in_area(self.town_a).filter(month=OCTOBER))
        view = month_view(area=self.town_a, month=OCTOBER, reports=reports, today=TODAY)
        assert [v.village for v in view.late] == [self.village_b]
        assert view.approved_totals["visits"] == 0  # submitted, not yet approved
        services.approve_report(by=self.zhen_a, report=report)
        reports = list(MonthlyReport.objects.in_area(self.town_a).filter(month=OCTOBER))
        view = month_view(area=self.town_a, month=OCTOBER, reports=reports, today=TODAY)
        assert view.approved_totals["visits"] == 5
        assert view.live_totals["visits"] == 3
        row = next(v for v in view.villages if v.village == self.village_a)
        assert row.differences == {"visits": 2}
        # before the due day nobody is late
        early = month_view(
            area=self.town_a, month=OCTOBER, reports=[], today=date(2026, 11, 5)
        )
        assert early.late == []

    def test_the_pages_and_export(self) -> None:
        self.login(self.cun_a)
        response = self.client.post(
            reverse("villagereports:report_fill"), {"month": "2026-10"}
        )
        report = MonthlyReport.objects.get(village=self.village_a, month=OCTOBER)
        assert response.status_code == 302
        page = self.client.get(
            reverse("villagereports:report_detail", args=[report.pk])
        )
        assert page.status_code == 200 and page.context["edit_form"] is not None
        self.login(self.zhen_a)
        listing = self.client.get(
            reverse("villagereports:report_list"), {"month": "2026-10"}
        )
        assert [v.village for v in listing.context["view"].late] == [
            self.village_a,
            self.village_b,
        ]
        sheet = self.client.get(
            reverse("villagereports:report_export"), {"month": "2026-10"}
        )
        rows = list(
            load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True)
        )
        assert rows[1][0] == "一村" and 3 in rows[1]

    @covers_scope(
        "villagereports:report_detail",
        "villagereports:report_edit",
        "villagereports:report_submit",
        "villagereports:report_return",
        "villagereports:report_approve",
        "villagereports:report_reopen",
        "villagereports:report_list",
        "villagereports:report_export",
        "villagereports:report_fill",
    )
    def test_outsiders_get_404(self) -> None:
        report = services.fill_report(
            by=self.cun_a, village=self.village_a, month=OCTOBER
        )
        for user in (self.cun_b, self.zhen_b, self.other_xian):
            self.login(user)
            assert (
                self.client.get(
                    reverse("villagereports:report_detail", args=[report.pk])
                ).status_code
                == 404
            )
            for name in (
                "report_edit",
                "report_submit",
                "report_return",
                "report_approve",
            ):
                url = reverse(f"villagereports:{name}", args=[report.pk])
                assert self.client.post(url).status_code == 404, (user, name)
        self.login(self.police_a)
        assert self.client.get(reverse("villagereports:report_list")).status_code == 404
        self.login(self.zhen_a)
        assert (
            self.client.post(reverse("villagereports:report_fill")).status_code == 404
        )
        self.login(self.cun_a)
        approve = reverse("villagereports:report_approve", args=[report.pk])
        assert self.client.post(approve).status_code == 404
        _ = timedelta
