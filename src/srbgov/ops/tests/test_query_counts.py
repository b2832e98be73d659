"""The pages of the load bench's working day run a fixed number of queries, whatever
the number of rows they show: an N+1 (a query per row) fails here before it reaches a
county (docs/operations.md, "Load and faults"). Each page is counted with a few rows
and again with more; the counts must be equal and within the page's budget.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from srbgov.accounts.models import User
from srbgov.alerts.models import Alert, AlertNote
from srbgov.areas.models import Area
from srbgov.monitoring.models import BirthCount, VillageYearCount
from srbgov.pregnancies.models import Pregnancy, Visit
from srbgov.pregnancies.nightly import raise_alerts
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.testing import BaseTestCase, make_area, make_id_number, make_woman

# Queries per page as measured on 2026-12-01, plus one (session, user, device, area,
# counts, rows...): a budget, so that a new query per page is a decision, not an
# accident. Raise it here, with the reason, when a page needs one more.
BUDGET = {
    "pregnancies:pregnancy_list": 10,
    # 17, and up to three for the contradiction warnings (pregnancies/contradictions.py).
    "pregnancies:pregnancy_detail": 20,
    "people:woman_list": 8,
    "alerts:alert_list": 7,
    "alerts:alert_detail": 15,
    "pregnancies:worklist": 7,
    "monitoring:overview": 12,
    "monitoring:funnel": 10,
}


class Counter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: Any,
    ) -> Any:
        self.statements.append(sql)
        return execute(sql, params, many, context)


class PageQueryCountTests(BaseTestCase):
    def setUp(self) -> None:
        self.today = timezone.localdate()
        self.villages: list[Area] = [self.village_a, self.village_b]

    def grow(self, n: int) -> None:
        """n more overdue pregnancies in village 一村 (each with visits, and so an
        alert), a note on every alert, and a new village with ten years of births."""
        for _ in range(n):
            woman = make_woman(
                by=self.cun_a,
                village=self.village_a,
                id_number=make_id_number(birth_on=date(1994, 5, 1)),
            )
            make_pregnancy(
                by=self.cun_a,
                woman=woman,
                weeks=24,
                visits=[self.today - timedelta(days=d) for d in (150, 120, 90)],
            )
        raise_alerts(self.today)
        for alert in Alert.objects.all():
            AlertNote.objects.create(alert=alert, author=self.zhen_a, text="已电话联系")
        village = make_area(
            f"520999101{210 + len(self.villages):03d}",
            f"新{len(self.villages)}村",
            self.town_a,
        )
        self.villages.append(village)
        for v in self.villages:
            for year in range(self.today.year - 10, self.today.year):
                VillageYearCount.objects.get_or_create(
                    village=v, year=year, defaults={"boys": 18, "girls": 15}
                )
                for sex, count in (("M", 18), ("F", 15)):
                    BirthCount.objects.get_or_create(
                        village=v,
                        year=year,
                        order_bucket=1,
                        pattern="none",
                        sex=sex,
                        defaults={"m03": count, "n": count},
                    )

    def pages(self) -> list[tuple[str, User, str]]:
        pregnancy = Pregnancy.objects.filter(village=self.village_a).latest("pk")
        alert = Alert.objects.filter(area__code__startswith="520999101").latest("pk")
        return [
            (
                "pregnancies:pregnancy_list",
                self.cun_a,
                reverse("pregnancies:pregnancy_list"),
            ),
            (
                "pregnancies:pregnancy_detail",
                self.cun_a,
                reverse("pregnancies:pregnancy_detail", args=[pregnancy.pk]),
            ),
            ("people:woman_list", self.cun_a, reverse("people:woman_list")),
            ("alerts:alert_list", self.zhen_a, reverse("alerts:alert_list")),
            (
                "alerts:alert_detail",
                self.zhen_a,
                reverse("alerts:alert_detail", args=[alert.pk]),
            ),
            (
                "pregnancies:worklist",
                self.zhen_a,
                reverse("pregnancies:worklist", args=["overdue"]),
            ),
            ("monitoring:overview", self.xian, reverse("monitoring:overview")),
            ("monitoring:funnel", self.xian, reverse("monitoring:funnel")),
        ]

    def counts(self) -> dict[str, int]:
        found = {}
        for name, user, url in self.pages():
            self.login(user)
            self.client.get(url)  # the session's first refresh is not the page's
            counter = Counter()
            with connection.execute_wrapper(counter):
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, name)
            found[name] = len(counter.statements)
        return found

    def test_the_working_day_pages_query_a_fixed_number_of_times(self) -> None:
        self.grow(2)
        few = self.counts()
        self.grow(6)
        # More rows on every page: pregnancies, visits, alerts and notes, villages.
        self.assertGreaterEqual(Visit.objects.count(), 24)
        many = self.counts()
        self.assertEqual(many, few)
        for name, count in many.items():
            self.assertLessEqual(count, BUDGET[name], name)
