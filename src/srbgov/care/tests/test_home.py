"""Applications waiting on the home page (issue 16 item 1, docs/homes.md): the
township's reviews, the county's approvals, each number the rows of its list."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from srbgov.accounts.models import User
from srbgov.care import services
from srbgov.care.models import Application, ApplicationStatus
from srbgov.care.tests.builders import (
    ACCOUNT,
    make_reward_program,
    make_two_daughter_household,
)
from srbgov.core.home import HomeRow
from srbgov.testing import BaseTestCase

ON = date(2026, 7, 1)


class ApplicationsWaitingTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        program = make_reward_program(by=cls.xian, county=cls.county)
        for village, name in (
            (cls.village_a, "张秀英"),
            (cls.village_b, "王桂兰"),
            (cls.village_c, "赵玉珍"),
        ):
            worker = cls.cun_b if village == cls.village_b else cls.cun_a
            household = make_two_daughter_household(
                by=worker if village != cls.village_c else cls.xian,
                village=village,
                name=name,
                mother_born=date(1960, 1, 1),
            )
            services.apply(
                by=worker if village != cls.village_c else cls.xian,
                household=household,
                program=program,
                payee_name=name,
                bank_name="农村信用社",
                account=ACCOUNT,
                on=ON,
            )
        # 二村's has been reviewed and is on its notice: the county's to approve.
        Application.objects.filter(household__woman__name="王桂兰").update(
            status=ApplicationStatus.ON_NOTICE
        )

    def rows(self, user: User, key: str) -> list[HomeRow]:
        self.client.force_login(user)
        page = self.client.get(reverse("core:home"))
        found = {
            item.key: rows
            for section in page.context["sections"]
            for item, rows in section.items
        }
        rows: list[HomeRow] = found.get(key, [])
        return rows

    def listed(self, row: HomeRow) -> set[str]:
        page = self.client.get(row.url)
        return {
            a.household.woman.name for a in page.context["page"].paginator.object_list
        }

    def test_the_township_sees_its_applications_to_review(self) -> None:
        (row,) = self.rows(self.zhen_a, "care_applications_to_review")
        self.assertEqual(row.value, 1)
        self.assertEqual(self.listed(row), {"张秀英"})
        (row,) = self.rows(self.zhen_b, "care_applications_to_review")
        self.assertEqual(self.listed(row), {"赵玉珍"})
        self.assertEqual(self.rows(self.zhen_a, "care_applications_to_approve"), [])

    def test_the_county_sees_those_on_notice_to_approve(self) -> None:
        (row,) = self.rows(self.xian, "care_applications_to_approve")
        self.assertEqual(row.value, 1)
        self.assertEqual(self.listed(row), {"王桂兰"})
        self.assertEqual(self.rows(self.xian, "care_applications_to_review"), [])
        (other,) = self.rows(self.other_xian, "care_applications_to_approve")
        self.assertEqual(other.value, 0)

    def test_roles_without_the_step_do_not_get_the_item(self) -> None:
        for user in (self.cun_a, self.health_a, self.police_a, self.tips):
            with self.subTest(user=user.username):
                self.assertEqual(self.rows(user, "care_applications_to_review"), [])
                self.assertEqual(self.rows(user, "care_applications_to_approve"), [])
