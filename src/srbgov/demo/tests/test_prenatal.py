"""The demo's prenatal register, survey and priority villages (srbgov/demo/prenatal.py):
a licensed hospital with tests and one unlicensed test, a survey with a seizure, two
priority villages (one overdue); loading twice enters nothing the second time."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from srbgov.alerts.models import Alert, AlertKind
from srbgov.demo import prenatal
from srbgov.oversight.models import SeizedItem, Survey
from srbgov.providers.models import GeneticTest, PriorityDesignation
from srbgov.providers.services import overdue_reviews, priority_village_ids
from srbgov.providers.tests.builders import make_facility
from srbgov.testing import BaseTestCase, make_woman

ANCHOR = date(2026, 11, 1)


class DemoPrenatalTests(BaseTestCase):
    def test_it_enters_the_register_survey_and_priorities_once(self) -> None:
        make_facility(
            by=self.health_a, area=self.town_a, name="示范县人民医院", kind="hospital"
        )
        make_facility(
            by=self.health_a, area=self.town_a, name="个体诊所", kind="clinic"
        )
        for index in range(len(prenatal.TESTS) + 1):
            make_woman(by=self.cun_a, village=self.village_a, name=f"孕妇{index}")
        self.assertEqual(prenatal.load(anchor=ANCHOR), len(prenatal.TESTS) + 1)
        self.assertEqual(prenatal.load(anchor=ANCHOR), 0)
        self.assertEqual(GeneticTest.objects.count(), len(prenatal.TESTS) + 1)
        self.assertEqual(
            Alert.objects.filter(kind=AlertKind.GENETIC_TEST_UNLICENSED).count(), 1
        )
        # The sex-linked diagnosis names the sex lawfully: no finding.
        self.assertFalse(
            Alert.objects.filter(kind=AlertKind.GENETIC_TEST_SEX_REPORTED).exists()
        )
        self.assertEqual(Survey.objects.count(), 1)
        self.assertEqual(SeizedItem.objects.count(), 2)
        self.assertEqual(PriorityDesignation.objects.count(), 2)
        today = timezone.localdate()
        self.assertEqual(
            priority_village_ids(area=self.town_a, on=today),
            {self.village_a.pk, self.village_b.pk},
        )
        self.assertEqual(overdue_reviews(area=self.town_a, today=today).count(), 1)
