"""The loaded demo county's births are believable (docs/statistics.md, "Demo"): no
village-year has more births than the women living in the village could have had, and
nothing is registered, conceived, ended or born after the day the demo is loaded."""

from __future__ import annotations

from datetime import date

from django.test import TestCase
from django.utils import timezone

from srbgov.demo.county import load_demo_county
from srbgov.people.models import Woman
from srbgov.pregnancies.models import Birth, Outcome, Pregnancy

# A general fertility rate (live births a year per woman aged 15–49) of 0.2 is above
# any recorded population's; China's has been near 0.05.
MAX_GENERAL_FERTILITY = 0.2


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class LoadedDemoBirthsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo_county()

    def test_no_village_year_has_more_births_than_its_women_could_have(self) -> None:
        women: dict[int, list[date]] = {}
        for village_id, born in Woman.objects.values_list("village_id", "birth_on"):
            women.setdefault(village_id, []).append(born)
        births: dict[tuple[int, int], int] = {}
        for village_id, born_on in Birth.objects.values_list("village_id", "born_on"):
            births[(village_id, born_on.year)] = (
                births.get((village_id, born_on.year), 0) + 1
            )
        assert births, "the demo has births"
        worst = 0.0
        for (village_id, year), n in births.items():
            mid = date(year, 7, 1)
            fertile = sum(
                1 for born in women.get(village_id, []) if 15 <= age_on(born, mid) <= 49
            )
            assert fertile > 0, (village_id, year)
            worst = max(worst, n / fertile)
            assert n <= MAX_GENERAL_FERTILITY * fertile, (village_id, year, n, fertile)
        assert worst > 0.0

    def test_nothing_happens_after_the_day_it_is_loaded(self) -> None:
        today = timezone.localdate()
        assert not Pregnancy.objects.filter(registered_on__gt=today).exists()
        assert not Pregnancy.objects.filter(lmp_on__gt=today).exists()
        assert not Outcome.objects.filter(occurred_on__gt=today).exists()
        assert not Birth.objects.filter(born_on__gt=today).exists()
        for pregnancy in Pregnancy.objects.exclude(lmp_on=None):
            assert pregnancy.lmp_on is not None
            assert pregnancy.lmp_on <= pregnancy.registered_on, pregnancy.pk
