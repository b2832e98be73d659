"""The demo's prenatal register, survey and priority villages (srbgov/demo/prenatal.py):
a licensed hospital with tests and one unlicensed test, a survey with a seizure, two
priority villages (one overdue); loading twice enters nothing the second time."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from srbgov.alerts.models import Alert, AlertKind
from srbgov.alerts.services import raise_alert
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

    def test_the_srb_priority_reason_is_the_county_familys_flag(self) -> None:
        # The SRB alert rule flagged 二村 (its villages tested with the county's):
        # that village is designated, for that reason, not for a shrunken estimate.
        raise_alert(
            kind=AlertKind.SRB_HIGH,
            area=self.village_b,
            subject_type="village",
            subject_id=self.village_b.pk,
            summary="二村 2021–2025年 全部出生：经全县多重检验后仍显著高于107",
            key_suffix="pooled",
        )
        for index in range(len(prenatal.TESTS) + 1):
            make_woman(by=self.cun_a, village=self.village_a, name=f"孕妇{index}")
        prenatal.load(anchor=ANCHOR)
        reasons = dict(PriorityDesignation.objects.values_list("village_id", "reason"))
        assert set(reasons) == {self.village_a.pk, self.village_b.pk}
        assert "全县各村一起检验" in reasons[self.village_b.pk]
        assert not any("收缩估计" in r for r in reasons.values())
