"""The scorecard's SRB indicator follows the error model (issue 11, docs/statistics.md):
"未达标" is the county-wide verdict (`srbgov.stats.srb_verdicts` against the plan figure,
Benjamini-Hochberg after Tarone's screen over the county's villages), not each village's
own 95 % interval. Through the scorecard service, its page, the sheet and the document."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

import time_machine
from django.db.models import Sum
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from srbgov.areas.models import Area
from srbgov.assessment.indicators import Period
from srbgov.assessment.models import Level
from srbgov.assessment.scorecard import build_scorecard
from srbgov.monitoring.models import BirthCount, VillageYearCount
from srbgov.testing import BaseTestCase, make_area

TODAY = date(2026, 11, 20)  # the scorecard of 2026 pools 2021-2025 (complete years)
WINDOW = range(2021, 2026)
KIND = "srb_pooled"
WEIGHT = 10  # the default village weight of the SRB indicator

# Five-year births of villages with about 40 births a year. A county of 40 such villages
# with no sex selection: most near 106, and four whose own Wilson interval lies above
# the plan figure 110 by chance (122:78 gives 117.8-207.7), as a county of 300 villages
# shows about four every year.
NOISY = [(122, 78), (123, 77), (124, 76), (122, 78)]
NORMAL = [(98 + i % 11, 102 - i % 11) for i in range(36)]
SELECTING = (267, 133)  # SRB 200 over 400 births: sex selection, not chance


def pool(village: Area, boys: int, girls: int) -> None:
    """The village's births of the window as the count tables hold them (the rows
    `count_birth` writes: by cell, and the village-year totals), spread over its years."""
    rows, years = [], []
    for i, year in enumerate(WINDOW):
        by_sex = {}
        for sex, total in (("M", boys), ("F", girls)):
            n = by_sex[sex] = total // len(WINDOW) + (i < total % len(WINDOW))
            rows.append(
                BirthCount(
                    village=village,
                    year=year,
                    order_bucket=1,
                    pattern="none",
                    sex=sex,
                    m06=n,
                    n=n,
                )
            )
        years.append(
            VillageYearCount(
                village=village, year=year, boys=by_sex["M"], girls=by_sex["F"]
            )
        )
    BirthCount.objects.bulk_create(rows)
    VillageYearCount.objects.bulk_create(years)


@time_machine.travel(TODAY, tick=False)
class ScorecardSrbTests(BaseTestCase):
    noisy: ClassVar[list[Area]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        extra = cls.more_villages(18, 19)
        villages = [cls.village_a, cls.village_b, cls.village_c, *extra]
        # 一村 (in the township officer's own township) and three others are the
        # noisy ones, spread over both townships.
        cls.noisy = [cls.village_a, extra[5], extra[20], extra[30]]
        normal = iter(NORMAL)
        for village in villages:
            if village in cls.noisy:
                pool(village, *NOISY[cls.noisy.index(village)])
            else:
                pool(village, *next(normal))

    def card(self, area: Any, level: str = Level.VILLAGE) -> Any:
        return build_scorecard(area=area, level=level, period=Period.of(2026))

    def srb(self, card: Any, unit: Area) -> Any:
        row = next(r for r in card.rows if r.unit == unit)
        return next(c for c in row.cells if c.indicator.kind == KIND)

    def add_selecting_village(self) -> Area:
        village = make_area("520999101230", "甲镇选择村", self.town_a)
        pool(village, *SELECTING)
        return village

    def test_villages_above_the_plan_by_chance_keep_their_srb_points(self) -> None:
        card = self.card(self.county)
        for village in self.noisy:
            figure = self.srb(card, village).figure
            # Their own interval lies above 110: the old rule docked each of them.
            assert figure.lower is not None and figure.lower > Decimal(110)
            assert figure.met is True and figure.score == WEIGHT
        assert all(self.srb(card, r.unit).figure.met for r in card.rows)
        # The township's own card judges 一村 within the county, and says the same.
        mine = self.srb(self.card(self.town_a), self.village_a).figure
        assert mine.met is True and mine.score == WEIGHT
        assert mine.lower == self.srb(card, self.village_a).figure.lower
        # and so does the village's own card.
        own = self.srb(self.card(self.village_a), self.village_a).figure
        assert own.met is True

    def test_a_village_with_a_selecting_srb_loses_its_points(self) -> None:
        selecting = self.add_selecting_village()
        card = self.card(self.town_a)
        cell = self.srb(card, selecting)
        assert cell.figure.met is False and cell.figure.score == 0
        assert cell.text.startswith("200.8（") and "男267/女133" in cell.text
        row = next(r for r in card.rows if r.unit == selecting)
        assert row.weak
        assert (
            "出生人口性别比（多年合并）："
            + cell.text
            + "，全县校正后仍显著高于规划指标110"
        ) in row.shortfalls()
        for village in self.noisy:
            if village.parent_id == self.town_a.pk:
                assert self.srb(card, village).figure.met is True
        # A month's card judges the same pooled window of complete years, never the
        # month or the year alone (DESIGN: no verdict on one year's raw data).
        june = build_scorecard(
            area=self.town_a, level=Level.VILLAGE, period=Period.of(2026, 6)
        )
        assert self.srb(june, selecting).figure == cell.figure

    def test_the_page_marks_only_the_selecting_village_and_says_what_it_means(
        self,
    ) -> None:
        selecting = self.add_selecting_village()
        self.login(self.zhen_a)
        page = self.client.get(reverse("assessment:scorecard"), {"year": 2026})
        html = page.content.decode()
        cells = {
            r.unit: next(c for c in r.cells if c.indicator.kind == KIND)
            for r in page.context["card"].rows
        }
        assert cells[selecting].figure.met is False
        assert cells[self.village_a].figure.met is True
        assert html.count(f'data-kind="{KIND}" class="miss"') == 1
        assert 'id="srb-meaning"' in html
        assert "把全县各村一起做精确检验并校正多重比较后" in html
        assert "仍显著高于规划指标" in html
        assert "区间下限高于规划指标才算未达标" not in html
        drill = self.client.get(
            reverse("assessment:indicator_records"),
            {"area": str(selecting.pk), "kind": KIND, "year": "2026"},
        ).content.decode()
        assert "200.8（" in drill
        assert "全县一起检验、校正多重比较后仍显著高于规划指标时未达标" in drill

    def test_the_sheet_and_the_document_score_and_explain_the_same(self) -> None:
        self.add_selecting_village()
        self.login(self.zhen_a)
        response = self.client.get(
            reverse("assessment:scorecard_export"), {"year": 2026}
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.iter_rows(values_only=True))
        headers = values[0]
        score = headers.index("出生人口性别比（多年合并）得分")
        rows = {r[0]: r for r in values[1:] if r[0]}
        # Scores are written as the page shows them (Decimal: text).
        assert rows["甲镇选择村"][score] == "0"
        assert rows["一村"][score] == str(WEIGHT)
        assert rows["甲镇8村"][score] == str(WEIGHT)  # noisy too, in 甲镇
        notes = [r[0] for r in values if r[0] and "未达标" in str(r[0])]
        assert len(notes) == 1 and "校正多重比较后" in notes[0]

        url = reverse("assessment:document_draft", args=["scorecard"])
        form = self.client.get(url, {"year": 2026}).context["form"]
        body = form.initial["body"]
        assert "该村的性别比仍显著高于规划指标" in body
        data = {k: form.initial[k] for k in ("issuer", "title", "signatory", "body")}
        data.update(number="", addressee="", date="2026-11-20", docx="1")
        doc = Document(io.BytesIO(self.client.post(url + "?year=2026", data).content))
        table = [[c.text for c in r.cells] for r in doc.tables[0].rows]
        column = table[0].index("出生人口性别比（多年合并）")
        by_unit = {r[0]: r for r in table[1:]}
        assert by_unit["甲镇选择村"][column].endswith("（0）")
        assert by_unit["一村"][column].endswith(f"（{WEIGHT}）")
        assert any("该村的性别比仍显著高于规划指标" in p.text for p in doc.paragraphs)

    def test_the_township_level_judges_the_county_townships_together(self) -> None:
        county = self.card(self.county, Level.TOWNSHIP)
        own = self.card(self.town_a, Level.TOWNSHIP)
        a = self.srb(county, self.town_a).figure
        boys = BirthCount.objects.filter(
            village__code__startswith="520999101", sex="M"
        ).aggregate(n=Sum("n"))["n"]
        assert a.numerator == boys and a.met is True and a.score == WEIGHT
        assert self.srb(own, self.town_a).figure == a
        assert "该乡镇的性别比仍显著高于规划指标" in county.srb_note

    def test_a_township_card_costs_the_queries_of_the_county_card(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.card(self.county, Level.TOWNSHIP)
        with CaptureQueriesContext(connection) as few:
            self.card(self.town_a, Level.TOWNSHIP)
        with CaptureQueriesContext(connection) as many:
            self.card(self.county, Level.TOWNSHIP)
        assert len(many) == len(few)
