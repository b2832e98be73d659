from __future__ import annotations

import io
from datetime import date
from typing import ClassVar

from django.urls import reverse
from openpyxl import load_workbook

from srbgov.audit.models import AuditEntry
from srbgov.monitoring.models import SrbPolicy
from srbgov.monitoring.tests.builders import ended_outcome, make_births
from srbgov.pregnancies.models import Outcome
from srbgov.testing import BaseTestCase, covers_scope, make_woman

YEAR = {"period": "year", "year": "2025"}


class StatisticsPageTests(BaseTestCase):
    outcome: ClassVar[Outcome]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        woman = make_woman(by=cls.cun_a, village=cls.village_a)
        cls.outcome = ended_outcome(by=cls.cun_a, woman=woman, on=date(2025, 6, 1))
        # 一村 30 boys / 20 girls, 二村 11 / 9, 三村 (乙镇) 7 / 13, all in 2025;
        # second births after a girl in 一村: 8 boys / 2 girls.
        plan = [
            (cls.village_a, 22, 18, 1, 0),
            (cls.village_a, 8, 2, 2, 1),
            (cls.village_b, 11, 9, 1, 0),
            (cls.village_c, 7, 13, 1, 0),
        ]
        make_births(cls.outcome, plan, year=2025)

    def test_it_shows_the_county_overview_with_interval_and_trend(self) -> None:
        self.login(self.xian)
        response = self.client.get(reverse("monitoring:overview"), YEAR)
        # County: 48 boys / 42 girls = 114.3, Wilson 95 % interval 75.8–172.4.
        self.assertContains(response, "114.3")
        self.assertContains(response, "75.8–172.4")
        self.assertContains(response, "出生 90 人")
        self.assertContains(response, "甲镇")
        self.assertContains(response, "<svg")

    def test_the_village_worker_sees_only_her_village(self) -> None:
        self.login(self.cun_a)
        response = self.client.get(reverse("monitoring:overview"), YEAR)
        self.assertContains(response, "150.0")  # 30 / 20
        self.assertNotContains(response, "二村")
        villages = self.client.get(reverse("monitoring:villages"), YEAR)
        self.assertContains(villages, "一村")
        self.assertNotContains(villages, "二村")
        other = self.client.get(
            reverse("monitoring:overview"), {"area": self.village_b.code}
        )
        assert other.status_code == 404

    def test_the_ranking_exports_the_numbers_the_page_shows(self) -> None:
        self.login(self.zhen_a)
        page = self.client.get(reverse("monitoring:villages"), YEAR)
        self.assertContains(page, "一村")
        self.assertNotContains(page, "三村")
        export = self.client.get(reverse("monitoring:export", args=["villages"]), YEAR)
        sheet = load_workbook(io.BytesIO(export.content)).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:4] == ("排序", "乡镇", "村", "出生数")
        by_name = {r[2]: r for r in rows[1:]}
        assert set(by_name) == {"一村", "二村"}
        first = by_name["一村"]
        assert first[3:7] == (50, 30, 20, 150.0)
        for value in (first[7], first[8], first[9], first[12]):
            self.assertContains(page, f"{value:.1f}")
        assert AuditEntry.objects.filter(action="export").exists()

    def test_breakdowns_show_second_births_after_a_girl(self) -> None:
        self.login(self.zhen_a)
        response = self.client.get(reverse("monitoring:breakdowns"), YEAR)
        self.assertContains(response, "二孩·此前只有女孩")
        self.assertContains(response, "400.0")  # 8 / 2
        export = self.client.get(
            reverse("monitoring:export", args=["breakdowns"]), YEAR
        )
        sheet = load_workbook(io.BytesIO(export.content)).active
        assert sheet is not None
        rows = {r[0]: r for r in sheet.iter_rows(values_only=True)}
        assert rows["二孩·此前只有女孩"][1:5] == (10, 8, 2, 400.0)
        for table in ("trend", "areas", "facilities"):
            response = self.client.get(reverse("monitoring:export", args=[table]), YEAR)
            assert response.status_code == 200, table

    def test_the_funnel_lists_villages_with_hover_details(self) -> None:
        self.login(self.xian)
        response = self.client.get(reverse("monitoring:funnel"), YEAR)
        self.assertContains(response, 'data-village="一村"')
        self.assertContains(response, "<title>一村（甲镇）：出生 50")

    def test_the_county_officer_sets_the_reference_level(self) -> None:
        self.login(self.xian)
        self.assertContains(self.client.get(reverse("monitoring:policy")), "106.3")
        self.client.post(
            reverse("monitoring:policy_save"),
            {
                "reference_level": "srb_105",
                "interval_method": "jeffreys",
                "window_years": 3,
            },
        )
        policy = SrbPolicy.objects.get(county=self.county)
        assert (policy.reference_level, policy.window_years) == ("srb_105", 3)
        response = self.client.get(reverse("monitoring:overview"), YEAR)
        self.assertContains(response, "参考水平 105.0")
        bad = self.client.post(
            reverse("monitoring:policy_save"),
            {
                "reference_level": "srb_105",
                "interval_method": "jeffreys",
                "window_years": 9,
            },
        )
        assert bad.status_code == 302
        policy.refresh_from_db()
        assert policy.window_years == 3

    @covers_scope(
        "monitoring:overview",
        "monitoring:funnel",
        "monitoring:villages",
        "monitoring:breakdowns",
        "monitoring:export",
        "monitoring:policy",
        "monitoring:policy_save",
    )
    def test_outsiders_and_roles_without_statistics_get_404(self) -> None:
        pages = [
            reverse("monitoring:overview"),
            reverse("monitoring:funnel"),
            reverse("monitoring:villages"),
            reverse("monitoring:breakdowns"),
            reverse("monitoring:export", args=["villages"]),
        ]
        for user in (self.auditor, self.admin, self.police_a, self.health_a, self.tips):
            self.login(user)
            for url in pages:
                assert self.client.get(url).status_code == 404, (user, url)
        # Another township's, village's or county's area is not there for them.
        for user, area in (
            (self.zhen_b, self.village_a),
            (self.cun_b, self.village_a),
            (self.other_xian, self.town_a),
            (self.zhen_a, self.county),
        ):
            self.login(user)
            for url in pages:
                response = self.client.get(url, {"area": area.code})
                assert response.status_code == 404, (user, url)
        self.login(self.other_xian)
        response = self.client.get(pages[0], YEAR)
        self.assertNotContains(response, "甲镇")
        self.login(self.xian)
        assert (
            self.client.get(reverse("monitoring:export", args=["nope"])).status_code
            == 404
        )
        for user in (self.zhen_a, self.cun_a, self.auditor, self.admin):
            self.login(user)
            assert self.client.get(reverse("monitoring:policy")).status_code == 404
            response = self.client.post(
                reverse("monitoring:policy_save"),
                {
                    "reference_level": "srb_107",
                    "interval_method": "wilson",
                    "window_years": 3,
                },
            )
            assert response.status_code == 404
        assert not SrbPolicy.objects.exists()
