"""Figures that feature apps put on the home page through core/home.py."""

from __future__ import annotations

from django.urls import reverse

from srbgov.accounts.models import User
from srbgov.alerts.models import AlertKind
from srbgov.alerts.services import raise_alert
from srbgov.core.home import HOME_FIGURES
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.testing import BaseTestCase, make_woman


class HomeFigureTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for village, n in ((cls.village_a, 2), (cls.village_b, 1), (cls.village_c, 4)):
            for _ in range(n):
                woman = make_woman(by=cls.xian, village=village)
                make_pregnancy(by=cls.xian, woman=woman)
        for village, n in ((cls.village_a, 1), (cls.village_c, 3)):
            for i in range(n):
                raise_alert(
                    kind=AlertKind.VISIT_OVERDUE,
                    area=village,
                    subject_type="pregnancies.pregnancy",
                    subject_id=f"{village.pk}-{i}",
                    summary="随访逾期",
                )

    def figures(self, username: str) -> dict[str, int]:
        # force_login counts as both factors (testing.VerifiedClient).
        self.client.force_login(User.objects.get(username=username))
        page = self.client.get(reverse("core:home"))
        self.assertEqual(page.status_code, 200)
        return {key: value for key, value, _url, _label in page.context["figures"]}

    def test_feature_apps_registered_their_figures(self) -> None:
        self.assertEqual(
            {f.key for f in HOME_FIGURES},
            {
                "pregnant",
                "open_alerts",
                "ops_alerts",
                "assessment_rectifications",
                "villagereports_waiting",
                "workplans_overdue_tasks",
                "workplans_overdue_supervision",
            },
        )

    def test_each_role_sees_the_counts_of_its_own_area_only(self) -> None:
        self.assertEqual(self.figures("cun_a")["pregnant"], 2)
        self.assertNotIn("open_alerts", self.figures("cun_a"))
        zhen_a = self.figures("zhen_a")
        self.assertEqual((zhen_a["pregnant"], zhen_a["open_alerts"]), (3, 1))
        zhen_b = self.figures("zhen_b")
        self.assertEqual((zhen_b["pregnant"], zhen_b["open_alerts"]), (4, 3))
        xian = self.figures("xian")
        self.assertEqual((xian["pregnant"], xian["open_alerts"]), (7, 4))
        other = self.figures("other_xian")
        self.assertEqual((other["pregnant"], other["open_alerts"]), (0, 0))

    def test_roles_without_the_part_see_no_figure_of_it(self) -> None:
        for username in ("auditor", "admin", "police_a", "health_a", "tips"):
            figures = self.figures(username)
            self.assertNotIn("pregnant", figures, username)
            self.assertNotIn("open_alerts", figures, username)
