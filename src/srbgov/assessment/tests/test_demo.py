"""The demo's assessment part is deterministic and idempotent (srbgov/demo/assessment.py)."""

from __future__ import annotations

from datetime import date

from srbgov.assessment.models import Rectification
from srbgov.demo import assessment as demo
from srbgov.testing import BaseTestCase
from srbgov.villagereports.models import MonthlyReport, ReportStatus
from srbgov.workplans.models import Member, PlanTask, WorkPlan

ANCHOR = date(2026, 11, 1)


class AssessmentDemoTests(BaseTestCase):
    def test_it_loads_once_with_a_late_village_and_a_weak_village_under_rectification(
        self,
    ) -> None:
        demo.load(townships=[self.town_a], anchor=ANCHOR)
        counts = [
            m.objects.count()
            for m in (Member, WorkPlan, PlanTask, MonthlyReport, Rectification)
        ]
        assert counts[0] == len(demo.MEMBERS) and counts[2] == len(demo.TASKS)
        # ten months, two villages, the last village's October report missing
        assert counts[3] == 10 * 2 - 1
        october = MonthlyReport.objects.filter(month=date(2026, 10, 1))
        assert [r.status for r in october] == [ReportStatus.SUBMITTED]
        assert counts[4] == 1
        demo.load(townships=[self.town_a], anchor=ANCHOR)
        again = [
            m.objects.count()
            for m in (Member, WorkPlan, PlanTask, MonthlyReport, Rectification)
        ]
        assert again == counts
