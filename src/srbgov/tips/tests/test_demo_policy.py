"""The demo tips and the county policy as data."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date

from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from srbgov.testing import BaseTestCase
from srbgov.tips import demo, services
from srbgov.tips.models import Reward, RewardStatus, Tip, TipPolicy
from srbgov.tips.tests.builders import file_tip, solved


@override_settings(TIPS_POW_BITS=4)
class DemoAndPolicyTests(BaseTestCase):
    media: str

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.media = tempfile.mkdtemp()
        cls.enterClassContext(override_settings(PRIVATE_MEDIA_ROOT=cls.media))

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(cls.media, ignore_errors=True)

    def test_the_demo_loads_once_and_its_first_code_shows_the_reward(self) -> None:
        for _ in range(2):
            demo.load(
                county=self.county,
                townships=[self.town_a, self.town_b],
                anchor=date(2026, 11, 1),
            )
        self.assertEqual(Tip.objects.count(), 3)
        self.assertEqual(Reward.objects.get().status, RewardStatus.APPROVED)
        response = self.client.post(
            reverse("report:follow_up"),
            {"code": demo.DEMO_CODES[0], **solved("follow_up")},
        )
        self.assertContains(response, "决定给予您奖励 800 元")
        self.assertContains(response, "领取方式")
        self.assertContains(response, "多在周五晚上九点以后")

    def test_the_reward_range_is_the_county_policy(self) -> None:
        TipPolicy.objects.create(
            county=self.county, verified_min=300, verified_max=600, major_max=2000
        )
        tip = file_tip(self.county).tip
        services.assign_township(by=self.tips, tip=tip, township=self.town_a)
        services.decide(by=self.tips, tip=tip, verified=True, reason="查实")
        with self.assertRaisesMessage(ValidationError, "300–600"):
            services.propose_reward(
                by=self.tips, tip=tip, kind="verified", amount=800, reason="x"
            )
        with self.assertRaisesMessage(ValidationError, "600–2000"):
            services.propose_reward(
                by=self.tips, tip=tip, kind="major", amount=3000, reason="x"
            )
        services.propose_reward(
            by=self.tips, tip=tip, kind="verified", amount=600, reason="x"
        )

    def test_the_seed_defaults_apply_until_the_administrator_saves_a_policy(
        self,
    ) -> None:
        policy = services.policy_for(self.county)
        self.assertIsNone(policy.pk)
        self.assertEqual(
            (policy.verified_min, policy.verified_max, policy.major_max),
            (500, 1000, 3000),
        )
        self.assertEqual((policy.merit_min, policy.merit_max), (1000, 2025))
        self.client.force_login(self.admin)
        response = self.client.get(reverse("tips:policy"))
        self.assertEqual(response.status_code, 200)
