"""The work list on each role's home page (docs/homes.md): every number links to the
list filtered to exactly that set, of the user's own area only, in a bounded number
of queries."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from srbgov.accounts.models import User
from srbgov.alerts.models import Alert, AlertAge, AlertKind
from srbgov.alerts.services import raise_alert
from srbgov.core.home import HOME_ITEMS, HomeRow
from srbgov.pregnancies.schedule import refresh
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.testing import BaseTestCase, make_woman


class HomeWorkListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        today = timezone.localdate()
        # Village A: one pregnancy never visited at 20 weeks (overdue), one at 8 weeks
        # (first visit due soon) and one 43 weeks along (past its due date).
        for village, weeks in (
            (cls.village_a, (20, 43, 8)),
            (cls.village_b, (20,)),
            (cls.village_c, (25, 30)),
        ):
            for w in weeks:
                woman = make_woman(by=cls.xian, village=village)
                pregnancy = make_pregnancy(
                    by=cls.xian,
                    woman=woman,
                    weeks=w,
                    registered_on=today - timedelta(weeks=max(w - 8, 0)),
                )
                refresh(pregnancy, on=today)
        kinds = (AlertKind.VISIT_OVERDUE, AlertKind.PREGNANCY_DISAPPEARED)
        for village, n in ((cls.village_a, 3), (cls.village_c, 2)):
            for i in range(n):
                raise_alert(
                    kind=kinds[i % 2],
                    area=village,
                    subject_type="pregnancies.pregnancy",
                    subject_id=f"{village.pk}-{i}",
                    summary="随访逾期",
                )

    def home(self, username: str) -> dict[str, list[HomeRow]]:
        self.client.force_login(User.objects.get(username=username))
        page = self.client.get(reverse("core:home"))
        self.assertEqual(page.status_code, 200)
        return {
            item.key: rows
            for section in page.context["sections"]
            for item, rows in section.items
        }

    def test_every_number_equals_the_rows_of_the_list_it_links_to(self) -> None:
        seen = 0
        for username in ("cun_a", "zhen_a", "zhen_b", "xian", "police_a", "tips"):
            for key, rows in self.home(username).items():
                for row in rows:
                    listed = self.client.get(row.url)
                    self.assertEqual(listed.status_code, 200, (username, key))
                    self.assertEqual(
                        listed.context["page"].paginator.count,
                        row.value,
                        (username, key, row.url),
                    )
                    seen += row.value
        self.assertGreater(seen, 0)

    def test_the_village_worker_sees_her_village_only(self) -> None:
        cun_a = self.home("cun_a")
        counts = {key: sum(r.value for r in rows) for key, rows in cun_a.items()}
        self.assertEqual(counts["pregnancies_past-due"], 1)
        self.assertGreaterEqual(counts["pregnancies_overdue"], 1)
        self.assertNotIn("alerts_open_by_kind", counts)
        xian = self.home("xian")
        xian_overdue = sum(r.value for r in xian["pregnancies_overdue"])
        self.assertGreater(xian_overdue, counts["pregnancies_overdue"])
        other = self.home("other_xian")
        self.assertTrue(
            all(r.value == 0 for rows in other.values() for r in rows), other
        )

    def test_open_alerts_are_split_by_kind_and_area(self) -> None:
        def by_kind(username: str) -> dict[str, int]:
            return {
                str(r.label): r.value
                for r in self.home(username)["alerts_open_by_kind"]
            }

        overdue = str(AlertKind.VISIT_OVERDUE.label)
        gone = str(AlertKind.PREGNANCY_DISAPPEARED.label)
        self.assertEqual(by_kind("zhen_a"), {overdue: 2, gone: 1})
        self.assertEqual(by_kind("zhen_b"), {overdue: 1, gone: 1})
        self.assertEqual(by_kind("xian"), {overdue: 3, gone: 2})

    def test_roles_that_had_an_empty_home_now_have_a_work_list(self) -> None:
        for username in ("police_a", "tips"):
            self.client.force_login(User.objects.get(username=username))
            page = self.client.get(reverse("core:home"))
            self.assertNotContains(page, "您的角色目前没有可用的工作页面")

    def test_query_count_does_not_grow_with_the_data(self) -> None:
        # Each item is one or two COUNT queries whatever the number of rows: another
        # six pregnancies in village A must not add a single query.
        for username in ("cun_a", "zhen_a", "xian"):
            self.client.force_login(User.objects.get(username=username))
            self.client.get(reverse("core:home"))  # the session's first-visit writes
            with CaptureQueriesContext(connection) as before:
                self.client.get(reverse("core:home"))
            for _ in range(6):
                woman = make_woman(by=self.xian, village=self.village_a)
                refresh(
                    make_pregnancy(by=self.xian, woman=woman, weeks=20),
                    on=timezone.localdate(),
                )
            with CaptureQueriesContext(connection) as after:
                self.client.get(reverse("core:home"))
            self.assertEqual(
                len(after),
                len(before),
                [q["sql"][:120] for q in after.captured_queries],
            )
            # The ceiling: the session and user (about six), then one or two per item
            # the role sees; the county sees the most items (twenty-odd).
            self.assertLessEqual(len(after), 34, username)

    def test_items_name_a_known_section(self) -> None:
        self.assertTrue(HOME_ITEMS)
        keys = [i.key for i in HOME_ITEMS]
        self.assertEqual(len(keys), len(set(keys)))

    def test_the_township_sees_overdue_visits_per_village_worst_first(self) -> None:
        rows = self.home("zhen_a")["pregnancies_overdue_by_village"]
        by_village = {str(r.label): r.value for r in rows}
        self.assertEqual(set(by_village), {"一村", "二村"})
        self.assertEqual(
            sum(by_village.values()),
            sum(r.value for r in self.home("zhen_a")["pregnancies_overdue"]),
        )
        self.assertEqual(
            [r.value for r in rows], sorted(by_village.values(), reverse=True)
        )
        # The county and the village worker get the plain count, not the breakdown.
        self.assertNotIn("pregnancies_overdue_by_village", self.home("xian"))
        self.assertNotIn("pregnancies_overdue_by_village", self.home("cun_a"))
        # Another township's link finds none of township A's villages.
        self.client.force_login(self.zhen_b)
        listed = self.client.get(rows[0].url)
        self.assertEqual(listed.context["page"].paginator.count, 0)

    def test_open_alerts_by_how_long_they_have_waited(self) -> None:
        now = timezone.now()
        in_a = Alert.objects.filter(area=self.village_a).order_by("pk")
        first, second = in_a[0].pk, in_a[1].pk
        Alert.objects.filter(pk=first).update(opened_at=now - timedelta(days=10))
        Alert.objects.filter(pk=second).update(opened_at=now - timedelta(days=40))
        ages = {
            str(r.label): r.value for r in self.home("zhen_a")["alerts_open_by_age"]
        }
        self.assertEqual(
            ages,
            {
                str(AlertAge.WEEK.label): 1,
                str(AlertAge.MONTH.label): 1,
                str(AlertAge.OLDER.label): 1,
            },
        )
        self.assertEqual(
            sum(r.value for r in self.home("xian")["alerts_open_by_age"]), 5
        )
        self.client.force_login(self.zhen_a)
        listed = self.client.get(
            reverse("alerts:alert_list") + "?status=open&age=older"
        )
        self.assertEqual([a.pk for a in listed.context["page"].object_list], [second])

    def test_the_village_worker_sees_which_of_her_pregnancies_have_an_open_alert(
        self,
    ) -> None:
        from srbgov.pregnancies.models import Pregnancy

        hers = Pregnancy.objects.filter(village=self.village_a).order_by("pk")
        theirs = Pregnancy.objects.filter(village=self.village_b).first()
        assert theirs is not None
        for pregnancy in (hers[0], hers[1], theirs):
            raise_alert(
                kind=AlertKind.VISIT_OVERDUE,
                area=pregnancy.village,
                subject_type="pregnancy",
                subject_id=str(pregnancy.pk),
                summary="随访逾期",
            )
        resolved = Alert.objects.get(subject_id=str(hers[1].pk))
        Alert.objects.filter(pk=resolved.pk).update(status="resolved")
        (row,) = self.home("cun_a")["pregnancies_alerted"]
        self.assertEqual(row.value, 1)
        listed = self.client.get(row.url)
        self.assertEqual(
            [p.pk for p in listed.context["page"].object_list], [hers[0].pk]
        )
        page = self.client.get(
            reverse("pregnancies:pregnancy_detail", args=[hers[0].pk])
        )
        self.assertContains(page, "乡镇正在处理的预警")
        page = self.client.get(
            reverse("pregnancies:pregnancy_detail", args=[hers[1].pk])
        )
        self.assertNotContains(page, "乡镇正在处理的预警")
        self.assertNotIn("pregnancies_alerted", self.home("zhen_a"))
