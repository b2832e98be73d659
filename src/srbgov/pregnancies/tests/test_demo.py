"""The follow-up demo registers nothing in the future."""

from __future__ import annotations

from datetime import date

from srbgov.pregnancies import demo
from srbgov.pregnancies.models import Pregnancy
from srbgov.testing import BaseTestCase, make_area, make_woman


class DemoDatesTests(BaseTestCase):
    def test_no_pregnancy_is_registered_after_the_day_it_is_loaded(self) -> None:
        villages = [self.village_a, self.village_b, self.village_c] + [
            make_area(f"520999101{210 + i:03d}", f"甲镇{i + 10}村", self.town_a)
            for i in range(9)
        ]
        for village in villages:
            for i in range(6):
                make_woman(by=self.xian, village=village, name=f"王芳{i}")
        today = date(2026, 6, 15)
        assert demo.load(villages=villages, by=self.xian, today=today) > 0
        rows = Pregnancy.objects.filter(note=demo.MARK)
        assert rows.exists()
        assert not rows.filter(registered_on__gt=today).exists()
        for p in rows.exclude(lmp_on=None):
            assert p.lmp_on is not None and p.lmp_on <= p.registered_on <= today
