"""A change of the visit-schedule policy keeps the whole policy before and after in the
audit log (issue 9 item 3)."""

from __future__ import annotations

from srbgov.audit.models import AuditEntry
from srbgov.pregnancies.policies import builtin_policy, save_policy
from srbgov.schedules import NATIONAL, SEED, policy_to_dict
from srbgov.testing import BaseTestCase


class VisitPolicyAuditTests(BaseTestCase):
    def test_a_policy_change_is_audited_with_before_and_after(self) -> None:
        seed = dict(policy_to_dict(builtin_policy(SEED.key)))
        national = dict(policy_to_dict(builtin_policy(NATIONAL.key)))
        save_policy(by=self.xian, area=self.town_a, data=seed)
        save_policy(by=self.xian, area=self.town_a, data=national)
        first, second = AuditEntry.objects.filter(
            object_type="pregnancies.schedulepolicy"
        ).order_by("id")
        self.assertIsNone(first.detail["before"])
        self.assertEqual(first.detail["after"], seed)
        self.assertEqual(second.detail["before"], seed)
        self.assertEqual(second.detail["after"], national)
        self.assertEqual(second.detail["area"], self.town_a.code)
