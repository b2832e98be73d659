"""The publicity, care and training counts in the assessment scorecards (docs/care.md §4):
registered by the publicity app, counted from the activities recorded, with drill-down."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from srbgov.assessment.indicators import REGISTRY, Period
from srbgov.assessment.models import Level, RuleChoice
from srbgov.assessment.scorecard import build_scorecard
from srbgov.assessment.services import save_indicator
from srbgov.publicity import services
from srbgov.testing import BaseTestCase

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@time_machine.travel(NOW, tick=False)
class PublicityIndicatorTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for level, kinds in (
            (Level.VILLAGE, ("publicity_activities", "care_activities")),
            (Level.TOWNSHIP, ("publicity_activities", "staff_training")),
        ):
            for position, kind in enumerate(kinds):
                save_indicator(
                    by=cls.xian,
                    county=cls.county,
                    year=2026,
                    level=level,
                    kind=kind,
                    name=str(REGISTRY[kind].label),
                    target=Decimal(2) if kind == "publicity_activities" else Decimal(1),
                    weight=10,
                    rule=RuleChoice.THRESHOLD,
                    position=position,
                )
        held = [
            (cls.village_a, "banner", date(2026, 3, 2)),
            (cls.village_a, "leaflet", date(2026, 4, 2)),
            (cls.village_a, "care_for_girls", date(2026, 5, 2)),
            (cls.village_b, "broadcast", date(2026, 5, 3)),
            # Last year's banner counts in no 2026 scorecard.
            (cls.village_b, "banner", date(2025, 12, 30)),
            (cls.town_a, "training", date(2026, 3, 15)),
        ]
        for area, kind, day in held:
            services.record_activity(
                by=cls.zhen_a, area=area, kind=kind, held_on=day, place="村委会"
            )

    def cell(self, level: str, unit: Any, kind: str) -> Any:
        card = build_scorecard(area=self.county, level=level, period=Period.of(2026))
        row = next(r for r in card.rows if r.unit == unit)
        return next(c for c in row.cells if c.indicator.kind == kind)

    def test_each_village_counts_its_own_activities_of_the_year(self) -> None:
        a = self.cell(Level.VILLAGE, self.village_a, "publicity_activities")
        b = self.cell(Level.VILLAGE, self.village_b, "publicity_activities")
        assert (a.figure.numerator, a.figure.met) == (2, True)
        assert (b.figure.numerator, b.figure.met) == (1, False)
        care_a = self.cell(Level.VILLAGE, self.village_a, "care_activities")
        care_b = self.cell(Level.VILLAGE, self.village_b, "care_activities")
        assert (care_a.figure.numerator, care_b.figure.numerator) == (1, 0)

    def test_the_township_pools_its_villages_and_counts_its_training(self) -> None:
        pooled = self.cell(Level.TOWNSHIP, self.town_a, "publicity_activities")
        assert (pooled.figure.numerator, pooled.figure.denominator) == (3, 2)
        training = self.cell(Level.TOWNSHIP, self.town_a, "staff_training")
        assert training.figure.numerator == 1
        other = self.cell(Level.TOWNSHIP, self.town_b, "staff_training")
        assert other.figure.numerator == 0

    def test_the_drill_down_lists_the_activities_behind_the_figure(self) -> None:
        kind = REGISTRY["publicity_activities"]
        assert kind.records is not None
        rows = kind.records(self.zhen_a, self.village_a, Period.of(2026))
        assert rows is not None
        assert [r.on for r in rows] == [date(2026, 3, 2), date(2026, 4, 2)]
        assert all(r.url for r in rows)
        # A role that cannot open activities gets no drill-down at all.
        assert kind.records(self.police_a, self.village_a, Period.of(2026)) is None
