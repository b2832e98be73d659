"""Alerts of different kinds about one subject sit together in the queue, marked
with the size of their group (docs/homes.md, "Details")."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from srbgov.alerts.models import Alert, AlertKind
from srbgov.alerts.services import raise_alert
from srbgov.testing import BaseTestCase


class AlertGroupingTests(BaseTestCase):
    def test_two_kinds_for_one_pregnancy_are_adjacent_and_marked(self) -> None:
        plan = [
            (AlertKind.VISIT_OVERDUE, "p-1", 5),
            (AlertKind.VISIT_OVERDUE, "p-2", 3),
            (AlertKind.PREGNANCY_DISAPPEARED, "p-1", 1),
            (AlertKind.VISIT_OVERDUE, "p-3", 2),
        ]
        now = timezone.now()
        for kind, subject, days in plan:
            alert, _created = raise_alert(
                kind=kind,
                area=self.village_a,
                subject_type="pregnancies.pregnancy",
                subject_id=subject,
                summary=f"{subject} 随访逾期",
            )
            Alert.objects.filter(pk=alert.pk).update(
                opened_at=now - timedelta(days=days)
            )
        self.client.force_login(self.zhen_a)
        page = self.client.get(reverse("alerts:alert_list"))
        order = [a.subject_id for a in page.context["page"].object_list]
        # p-1's group is the newest (1 day); its older alert follows it at once.
        self.assertEqual(order, ["p-1", "p-1", "p-3", "p-2"])
        self.assertContains(page, "同一对象共2条预警", count=2)
        self.assertEqual(page.context["page"].paginator.count, 4)
