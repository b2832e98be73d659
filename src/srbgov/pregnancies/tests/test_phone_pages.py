"""The village worker's pages (docs/homes.md, phone rules): the list opens on 孕期中,
no one-option village filter, the visit form prefilled, and actions offered exactly
where the services admit them (Pregnancy.can_record_visit / can_record_outcome)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from srbgov.pregnancies import services
from srbgov.pregnancies.models import OutcomeKind, Pregnancy, PregnancyStatus
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.testing import BaseTestCase, make_woman


class PhonePagesTests(BaseTestCase):
    pregnant: list[Pregnancy]
    ended: Pregnancy

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.pregnant = [
            make_pregnancy(
                by=cls.xian, woman=make_woman(by=cls.xian, village=cls.village_a)
            )
            for _ in range(3)
        ]
        cls.ended = make_pregnancy(
            by=cls.xian, woman=make_woman(by=cls.xian, village=cls.village_a), weeks=12
        )
        services.record_outcome(
            by=cls.cun_a,
            pregnancy=cls.ended,
            kind=OutcomeKind.MISCARRIAGE,
            occurred_on=timezone.localdate() - timedelta(days=2),
        )
        cls.ended.refresh_from_db()

    def test_the_list_opens_on_pregnant_and_all_is_one_tap_away(self) -> None:
        self.login(self.cun_a)
        page = self.client.get(reverse("pregnancies:pregnancy_list"))
        self.assertEqual(page.context["page"].paginator.count, 3)
        self.assertIn("status=pregnant", page.context["query"])
        everything = self.client.get(reverse("pregnancies:pregnancy_list") + "?status=")
        self.assertEqual(everything.context["page"].paginator.count, 4)

    def test_no_village_filter_for_a_village_worker(self) -> None:
        self.login(self.cun_a)
        page = self.client.get(reverse("pregnancies:pregnancy_list"))
        self.assertNotIn("village", page.context["form"].fields)
        self.login(self.zhen_a)
        page = self.client.get(reverse("pregnancies:pregnancy_list"))
        self.assertIn("village", page.context["form"].fields)

    def test_visit_form_is_prefilled_with_the_responsible_persons(self) -> None:
        self.login(self.cun_a)
        page = self.client.get(
            reverse("pregnancies:visit_create", args=[self.pregnant[0].pk])
        )
        form = page.context["form"]
        self.assertEqual(form["visitors"].value(), "王芳、李娟")
        self.assertEqual(form["visited_on"].value(), timezone.localdate())

    def test_actions_follow_the_rule_the_service_checks(self) -> None:
        self.login(self.cun_a)
        for pregnancy in (self.pregnant[0], self.ended):
            page = self.client.get(
                reverse("pregnancies:pregnancy_detail", args=[pregnancy.pk])
            ).content.decode()
            visit_url = reverse("pregnancies:visit_create", args=[pregnancy.pk])
            outcome_url = reverse("pregnancies:outcome_create", args=[pregnancy.pk])
            self.assertEqual(visit_url in page, pregnancy.can_record_visit)
            self.assertEqual(outcome_url in page, pregnancy.can_record_outcome)
        self.assertEqual(self.ended.status, PregnancyStatus.ENDED)
        self.assertFalse(self.ended.can_record_visit)
        with self.assertRaises(ValidationError):
            services.record_visit(
                by=self.cun_a,
                pregnancy=self.ended,
                visited_on=timezone.localdate(),
                visitors="王芳、李娟",
                mode="home",
                finding="pregnant",
            )
        self.assertTrue(Pregnancy.objects.get(pk=self.pregnant[0].pk).can_record_visit)

    def test_pager_links_have_no_empty_parameter(self) -> None:
        for _ in range(25):
            make_pregnancy(
                by=self.xian, woman=make_woman(by=self.xian, village=self.village_a)
            )
        self.login(self.cun_a)
        page = self.client.get(reverse("pregnancies:worklist", args=["overdue"]))
        body = page.content.decode()
        self.assertNotIn("?&", body)
        self.assertNotIn("?&amp;", body)
        listed = self.client.get(reverse("pregnancies:pregnancy_list")).content.decode()
        self.assertIn("?status=pregnant&amp;page=2", listed)
