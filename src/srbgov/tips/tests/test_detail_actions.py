"""The tip page offers an action only while the tip's status allows it, by the same
predicates the services check (docs/homes.md, "Details")."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from srbgov.oversight.models import SubjectKind
from srbgov.testing import BaseTestCase
from srbgov.tips import services
from srbgov.tips.models import Tip
from srbgov.tips.tests.builders import file_tip


class TipActionTests(BaseTestCase):
    def page(self, tip: Tip) -> str:
        self.client.force_login(self.tips)
        return self.client.get(
            reverse("tips:tip_detail", args=[tip.pk])
        ).content.decode()

    def test_a_new_tip_offers_hand_over_link_and_open(self) -> None:
        html = self.page(file_tip(self.county).tip)
        for form in ('id="assign"', 'id="link-case"', 'id="open-case"'):
            self.assertIn(form, html)
        # 承办乡镇 once: the facts; the forms say 交给乡镇 / 立案乡镇.
        self.assertEqual(html.count("承办乡镇"), 1)

    def test_a_verified_tip_is_no_longer_handed_over_but_can_open_a_case(self) -> None:
        tip = file_tip(self.county).tip
        services.assign_township(by=self.tips, tip=tip, township=self.town_a)
        tip = services.decide(by=self.tips, tip=tip, verified=True, reason="查实")
        html = self.page(tip)
        self.assertNotIn('id="assign"', html)
        self.assertIn('id="open-case"', html)
        with self.assertRaises(ValidationError):
            services.assign_township(by=self.tips, tip=tip, township=self.town_b)
        tip = services.open_case_from_tip(
            by=self.tips,
            tip=tip,
            township=self.town_a,
            title="非法鉴定胎儿性别",
            subject_kind=SubjectKind.UNKNOWN,
        )
        html = self.page(tip)
        for form in ('id="assign"', 'id="link-case"', 'id="open-case"'):
            self.assertNotIn(form, html)
        self.assertNotIn("分办与立案", html)
        assert tip.case is not None
        self.assertIn(tip.case.title, html)

    def test_an_unfounded_tip_takes_no_case(self) -> None:
        tip = file_tip(self.county).tip
        tip = services.decide(by=self.tips, tip=tip, verified=False, reason="未发现")
        html = self.page(tip)
        self.assertNotIn('id="open-case"', html)
        self.assertNotIn('id="link-case"', html)
        with self.assertRaises(ValidationError):
            services.open_case_from_tip(
                by=self.tips,
                tip=tip,
                township=self.town_a,
                title="非法鉴定胎儿性别",
                subject_kind=SubjectKind.UNKNOWN,
            )
