"""A village is judged in one family wherever it is shown (docs/statistics.md,
"Families"): its overview total, its birth-order cells and the home page say what its
row of the county's village ranking says, never a test of the village alone or of its
own table's rows. The county world: 一村 has more boys than 107 allows if it is
tested alone (98 boys / 62 girls; second births after a girl 28 / 12), but not once
its county's twelve villages are tested together; 二村 (80 / 40) is flagged there."""

from __future__ import annotations

import io
from datetime import date
from typing import ClassVar

from django.urls import reverse
from openpyxl import load_workbook

from srbgov.areas.models import Area
from srbgov.monitoring import queries
from srbgov.monitoring.tests.builders import ended_outcome, make_births
from srbgov.pregnancies.models import Outcome
from srbgov.stats import srb_verdicts
from srbgov.testing import BaseTestCase, make_woman

WINDOW = {"period": "window5", "year": "2025"}  # 2021–2025
SINGLE_YEAR = {"period": "year", "year": "2023"}
HIGH = "显著高于107"
SCORE_HELP = "排序分（收缩估计高于107的后验概率，非检验）"


class CountyFamilyWorld(BaseTestCase):
    outcome: ClassVar[Outcome]
    extra: ClassVar[list[Area]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.extra = cls.more_villages(5, 4)
        woman = make_woman(by=cls.cun_a, village=cls.village_a)
        cls.outcome = ended_outcome(by=cls.cun_a, woman=woman, on=date(2023, 6, 1))
        # (village, boys, girls, birth order, earlier girls)
        plan = [
            (cls.village_a, 70, 50, 1, 0),
            (cls.village_a, 28, 12, 2, 1),
            (cls.village_b, 70, 30, 1, 0),
            (cls.village_b, 10, 10, 2, 1),
        ]
        for village in [cls.village_c, *cls.extra]:
            plan += [(village, 10, 10, 1, 0), (village, 10, 10, 2, 1)]
        make_births(cls.outcome, plan, year=2023)

    def ranking_row(self, village: Area, **cell: object) -> queries.VillageRow:
        policy = queries.policy_for(village)
        period = queries.window_period(2025, 5)
        stats = queries.village_statistics(
            self.county,
            period,
            policy,
            **cell,  # type: ignore[arg-type]
        )
        return next(r for r in stats.rows if r.village_id == village.pk)


class VillageVerdictsFollowTheCountyTests(CountyFamilyWorld):
    def test_the_world_is_one_where_testing_a_village_alone_would_flag_it(
        self,
    ) -> None:
        # Not a claim about the pages: checks that the world below is a real test
        # (the old pages judged the total alone and the cells as their own table).
        import numpy as np

        alone = srb_verdicts(np.array([98]), np.array([62]), reference_srb=106.3)
        assert alone.flagged_high[0]
        cells = srb_verdicts(
            np.array([70, 28, 0, 28]), np.array([50, 12, 0, 12]), reference_srb=106.3
        )
        assert cells.flagged_high[1] and cells.flagged_high[3]
        assert not self.ranking_row(self.village_a).flagged_high
        assert not self.ranking_row(
            self.village_a, order=2, pattern="girls"
        ).flagged_high
        assert self.ranking_row(self.village_b).flagged_high

    def test_a_village_not_flagged_in_its_county_is_not_flagged_on_its_overview(
        self,
    ) -> None:
        self.login(self.cun_a)
        response = self.client.get(reverse("monitoring:overview"), WINDOW)
        self.assertContains(response, "出生 160 人")
        assert response.context["total"].verdict_label == "未见显著异常"
        self.assertNotContains(response, 'class="flag-high"')
        home = self.client.get(reverse("core:home"))
        self.assertNotContains(home, "显著高于正常上限107")

    def test_a_village_flagged_in_its_county_shows_the_flag_on_its_overview(
        self,
    ) -> None:
        self.login(self.cun_b)
        response = self.client.get(reverse("monitoring:overview"), WINDOW)
        self.assertContains(response, "出生 120 人")
        self.assertContains(
            response, f'<strong class="flag-high" style="font-size:1.1rem">{HIGH}'
        )

    def test_a_villages_cells_carry_the_verdicts_of_the_county_family(self) -> None:
        self.login(self.cun_a)
        response = self.client.get(reverse("monitoring:breakdowns"), WINDOW)
        self.assertContains(response, "二孩·此前只有女孩")
        self.assertContains(response, "233.3")  # 28 / 12
        self.assertNotContains(response, 'class="flag-high"')
        self.assertContains(response, "全县各村的同一格一起")
        export = self.client.get(
            reverse("monitoring:export", args=["breakdowns"]), WINDOW
        )
        sheet = load_workbook(io.BytesIO(export.content)).active
        assert sheet is not None
        rows = {r[0]: r for r in sheet.iter_rows(values_only=True)}
        assert rows["二孩·此前只有女孩"][1:5] == (40, 28, 12, 233.3)
        assert rows["二孩·此前只有女孩"][7] == "未见显著异常"
        assert rows["二孩（合计）"][7] == "未见显著异常"
        assert HIGH not in {r[7] for r in rows.values()}

    def test_a_villages_facility_table_gives_no_verdict_and_says_why(self) -> None:
        self.login(self.cun_b)
        response = self.client.get(reverse("monitoring:breakdowns"), WINDOW)
        self.assertContains(response, 'id="facility-no-verdict"')
        self.assertContains(response, "村内按接生机构不作判断")
        export = self.client.get(
            reverse("monitoring:export", args=["facilities"]), WINDOW
        )
        sheet = load_workbook(io.BytesIO(export.content)).active
        assert sheet is not None
        verdicts = {r[7] for r in list(sheet.iter_rows(values_only=True))[1:]}
        assert verdicts == {"村内按接生机构不作判断"}

    def test_a_townships_total_says_what_the_countys_township_table_says(
        self,
    ) -> None:
        self.login(self.xian)
        county = self.client.get(reverse("monitoring:export", args=["areas"]), WINDOW)
        sheet = load_workbook(io.BytesIO(county.content)).active
        assert sheet is not None
        by_name = {r[0]: r[7] for r in sheet.iter_rows(values_only=True)}
        self.login(self.zhen_a)
        town = self.client.get(reverse("monitoring:overview"), WINDOW)
        total = town.context["total"]
        assert total.verdict_label == by_name["甲镇"]


class RankingScoreIsNotAProbabilityTests(CountyFamilyWorld):
    def test_the_ranking_calls_the_posterior_a_score_on_the_page_and_sheet(
        self,
    ) -> None:
        self.login(self.xian)
        for params in (WINDOW, SINGLE_YEAR):
            page = self.client.get(reverse("monitoring:villages"), params)
            self.assertContains(page, "排序分")
            self.assertContains(page, SCORE_HELP)
            self.assertNotContains(page, "高于107的概率")
            funnel = self.client.get(reverse("monitoring:funnel"), params)
            self.assertNotContains(funnel, "高于107的概率")
            export = self.client.get(
                reverse("monitoring:export", args=["villages"]), params
            )
            sheet = load_workbook(io.BytesIO(export.content)).active
            assert sheet is not None
            headers = next(sheet.iter_rows(values_only=True))
            assert "排序分（收缩估计高于107的后验概率，非检验，%）" in headers
            assert not any("高于107的概率" in str(h) for h in headers)
        # The order is unchanged: the flagged village first.
        page = self.client.get(reverse("monitoring:villages"), WINDOW)
        assert page.context["page"].object_list[0].name == "二村"

    def test_the_township_cusum_figure_says_which_county_it_was_simulated_for(
        self,
    ) -> None:
        self.login(self.xian)
        page = self.client.get(reverse("monitoring:overview"), WINDOW)
        self.assertContains(page, "模拟县为15个乡镇、每乡镇20个村")


class TownshipTotalFollowsTheCountyTests(BaseTestCase):
    """甲镇 63 boys / 37 girls: significant tested alone (p ≈ 0.02), not among the
    county's two townships (BH needs p ≤ 0.0125 at rank 1 of 2); 乙镇 10 / 10."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        woman = make_woman(by=cls.cun_a, village=cls.village_a)
        outcome = ended_outcome(by=cls.cun_a, woman=woman, on=date(2023, 6, 1))
        plan = [(cls.village_a, 63, 37, 1, 0), (cls.village_c, 10, 10, 1, 0)]
        make_births(outcome, plan, year=2023)

    def test_a_townships_overview_says_what_the_countys_township_table_says(
        self,
    ) -> None:
        import numpy as np

        alone = srb_verdicts(np.array([63]), np.array([37]), reference_srb=106.3)
        assert alone.flagged_high[0]  # the old overview's verdict
        self.login(self.xian)
        county = self.client.get(reverse("monitoring:overview"), WINDOW)
        by_name = {r.label: r for r in county.context["sub_areas"]}
        assert by_name["甲镇"].verdict_label == "未见显著异常"
        self.login(self.zhen_a)
        town = self.client.get(reverse("monitoring:overview"), WINDOW)
        self.assertContains(town, "出生 100 人")
        assert town.context["total"].verdict_label == "未见显著异常"
        self.assertNotContains(
            town, f'class="flag-high" style="font-size:1.1rem">{HIGH}'
        )
