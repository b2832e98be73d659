"""A tip about an event in 1800 is refused in Chinese (issue 10 item 9)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from srbgov.testing import BaseTestCase
from srbgov.tips.forms import ReportForm


class EventDateTests(BaseTestCase):
    def errors_for(self, day: str) -> list[str]:
        form = ReportForm(data={"occurred_on": day})
        form.is_valid()
        return [str(e) for e in form.errors.get("occurred_on", [])]

    def test_an_event_before_2000_or_in_the_future_is_refused(self) -> None:
        self.assertIn("不能早于2000年", "".join(self.errors_for("1800-05-01")))
        tomorrow = timezone.localdate() + timedelta(days=1)
        self.assertIn("不能晚于今天", "".join(self.errors_for(f"{tomorrow}")))
        self.assertEqual(self.errors_for("2000-01-01"), [])
