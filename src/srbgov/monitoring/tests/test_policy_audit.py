"""A change of the statistics policy keeps its values before and after in the audit log
(issue 9 item 3)."""

from __future__ import annotations

from srbgov.audit.models import AuditEntry
from srbgov.monitoring.services import save_srb_policy
from srbgov.testing import BaseTestCase


class SrbPolicyAuditTests(BaseTestCase):
    def test_a_policy_change_is_audited_with_before_and_after(self) -> None:
        for level, years in (("chao2019_eastern_asia", 5), ("srb_107", 3)):
            save_srb_policy(
                by=self.xian,
                county=self.county,
                reference_level=level,
                interval_method="wilson",
                window_years=years,
            )
        first, second = AuditEntry.objects.filter(
            object_type="monitoring.srbpolicy"
        ).order_by("id")
        self.assertIsNone(first.detail["before"])
        self.assertEqual(
            second.detail["before"],
            {
                "reference_level": "chao2019_eastern_asia",
                "interval_method": "wilson",
                "window_years": "5",
            },
        )
        self.assertEqual(second.detail["after"]["reference_level"], "srb_107")
        self.assertEqual(second.detail["after"]["window_years"], "3")
