"""The demo's delivery register (srbgov/demo/deliveries.py): one 漏报, one sex
mismatch, the rest matched; loading twice enters nothing the second time."""

from __future__ import annotations

from datetime import date

from srbgov.accounts.models import Role
from srbgov.demo import deliveries
from srbgov.providers.models import FacilityDelivery
from srbgov.providers.services import assign_facility_clerk
from srbgov.providers.tests.builders import make_facility
from srbgov.reconciliation.queries import SEX, reconcile_month
from srbgov.reconciliation.tests.builders import village_birth
from srbgov.testing import BaseTestCase, make_user, make_woman

ANCHOR = date(2026, 11, 1)


class DemoDeliveriesTests(BaseTestCase):
    def test_it_enters_a_month_with_one_missed_birth_and_one_mismatch_once(
        self,
    ) -> None:
        facility = make_facility(by=self.health_a, area=self.town_a)
        clerk = make_user("jigou", Role.FACILITY_CLERK, self.town_a)
        assign_facility_clerk(by=self.health_a, clerk=clerk, facility=facility)
        for day, name in ((3, "王芳"), (9, "李娜"), (17, "张丽"), (25, "刘敏")):
            woman = make_woman(by=self.cun_a, village=self.village_a, name=name)
            village_birth(by=self.cun_a, woman=woman, on=date(2026, 10, day))
        self.assertEqual(deliveries.load(anchor=ANCHOR), 5)
        self.assertEqual(deliveries.load(anchor=ANCHOR), 0)
        self.assertEqual(FacilityDelivery.objects.count(), 5)
        births = reconcile_month(township=self.town_a, year=2026, month=10).births
        self.assertEqual(len(births.matched), 3)
        self.assertEqual([p.mismatches for p in births.pending], [(SEX,)])
        self.assertEqual(
            [e.name for e in births.facility_only], [deliveries.MISSED_MOTHER[0]]
        )
        self.assertEqual(births.registry_only, [])
