from __future__ import annotations

from datetime import date

from srbgov.oversight import demo
from srbgov.oversight.models import Campaign, Case, Inspection
from srbgov.providers.models import (
    Facility,
    Pledge,
    TerminationRecord,
    UltrasoundDevice,
)
from srbgov.testing import BaseTestCase, make_woman


class OversightDemoTests(BaseTestCase):
    def counts(self) -> list[int]:
        return [
            m.objects.count()
            for m in (
                Facility,
                UltrasoundDevice,
                Pledge,
                TerminationRecord,
                Campaign,
                Inspection,
                Case,
            )
        ]

    def test_it_loads_registries_campaigns_and_cases_once(self) -> None:
        for n in range(10):
            make_woman(by=self.cun_a, village=self.village_a, name=f"示范{n}")
        demo.load(
            county=self.county,
            townships=[self.town_a, self.town_b],
            anchor=date(2026, 11, 1),
        )
        first = self.counts()
        facilities, devices, pledges, terminations, campaigns, inspections, cases = (
            first
        )
        self.assertGreaterEqual(facilities, 9)
        self.assertGreaterEqual(devices, 5)
        self.assertGreater(pledges, 0)
        self.assertGreater(terminations, 0)
        self.assertEqual(campaigns, 7)  # four last year, three this year: shown short
        self.assertGreater(inspections, 0)
        self.assertGreaterEqual(cases, 1)
        self.assertTrue(
            Case.objects.filter(referred_to_police_at__isnull=False).exists()
        )
        demo.load(
            county=self.county,
            townships=[self.town_a, self.town_b],
            anchor=date(2026, 11, 1),
        )
        self.assertEqual(self.counts(), first)
