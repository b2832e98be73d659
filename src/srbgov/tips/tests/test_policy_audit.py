"""The county's reward policy is edited in the application by its administrator, and
every save reaches the auditor with the values before and after (issue 9 item 3)."""

from __future__ import annotations

from django.urls import reverse

from srbgov.accounts.models import Role
from srbgov.audit.models import AuditEntry
from srbgov.testing import BaseTestCase, covers_scope, make_user
from srbgov.tips.models import TipPolicy

FORM = {
    "verified_min": 500,
    "verified_max": 1000,
    "major_max": 3000,
    "merit_min": 1000,
    "merit_max": 2025,
    "hotline": "0851-1234567",
    "mailbox": "",
    "collection_instructions": "凭回执码领取。",
}


class TipPolicyPageTests(BaseTestCase):
    def test_raising_a_reward_limit_is_audited_with_before_and_after(self) -> None:
        self.login(self.admin)
        self.client.post(reverse("tips:policy"), FORM)
        self.client.post(reverse("tips:policy"), {**FORM, "verified_max": 2500})
        policy = TipPolicy.objects.get(county=self.county)
        self.assertEqual(policy.verified_max, 2500)
        first, second = AuditEntry.objects.filter(
            object_type="tips.tippolicy"
        ).order_by("id")
        self.assertIsNone(first.detail["before"])
        self.assertEqual(second.detail["before"]["verified_max"], 1000)
        self.assertEqual(second.detail["after"]["verified_max"], 2500)
        self.assertEqual(second.username, "admin")
        self.login(self.auditor)
        page = self.client.get(reverse("audit:entry_list"))
        self.assertContains(
            page, '<tr class="changed"><td>verified_max</td><td>1000</td><td>2500</td>'
        )

    def test_ranges_out_of_order_are_refused_in_chinese(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("tips:policy"), {**FORM, "verified_min": 1200}
        )
        self.assertContains(response, "奖励范围须满足")
        self.assertFalse(TipPolicy.objects.exists())

    @covers_scope("tips:policy")
    def test_only_an_administrator_edits_and_only_their_own_county(self) -> None:
        for user in (self.xian, self.tips, self.auditor, self.zhen_a, self.cun_a):
            self.client.force_login(user)
            self.assertEqual(self.client.get(reverse("tips:policy")).status_code, 404)
            self.client.post(reverse("tips:policy"), FORM)
        self.assertFalse(TipPolicy.objects.exists())
        other_admin = make_user("other_admin", Role.ADMIN, self.other_county)
        self.client.force_login(other_admin)
        self.client.post(reverse("tips:policy"), {**FORM, "verified_max": 900})
        self.assertEqual(
            list(TipPolicy.objects.values_list("county", "verified_max")),
            [(self.other_county.pk, 900)],
        )
