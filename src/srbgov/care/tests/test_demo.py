"""The demo's girl care and publicity: a paid year that reconciles, idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from srbgov.accounts.models import Role
from srbgov.care.models import Application, BenefitProgram, Payment
from srbgov.care.queries import totals
from srbgov.demo import care as care_demo
from srbgov.publicity.models import Activity
from srbgov.publicity.queries import plan_progress
from srbgov.testing import BaseTestCase, make_user


class CareDemoTest(BaseTestCase):
    def test_it_loads_a_paid_year_once(self) -> None:
        make_user("zhen", Role.TOWNSHIP_OFFICER, self.town_a)
        make_user("xian_cw", Role.COUNTY_OFFICER, self.county)
        townships = [self.town_a, self.town_b]
        anchor = date(2026, 11, 1)
        care_demo.load(county=self.county, townships=townships, anchor=anchor)
        counts = (
            BenefitProgram.objects.count(),
            Application.objects.count(),
            Payment.objects.count(),
            Activity.objects.count(),
        )
        care_demo.load(county=self.county, townships=townships, anchor=anchor)
        assert counts == (
            BenefitProgram.objects.count(),
            Application.objects.count(),
            Payment.objects.count(),
            Activity.objects.count(),
        )
        assert counts[0] == 3 and counts[1] >= 6
        rows = {(r.program, r.year): r for r in totals(Payment.objects.all())}
        reward = rows[(care_demo.REWARD, 2025)]
        assert reward.returned == 1
        assert reward.paid == reward.approved > Decimal(0)
        assert all(r.outstanding == 0 for r in rows.values())
        assert (care_demo.REWARD, 2026) in rows
        progress = plan_progress(area=self.county, year=2026)
        assert progress and any(p.done for p in progress)
