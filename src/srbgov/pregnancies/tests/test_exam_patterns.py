"""The “孕情消失” half of the exam pattern (issue 17 item 5, docs/registers.md §3): a
≥14-week exam in the register, then the pregnancy's miscarriage or a visit finding
“已有结局” within 30 days, with real exams, pregnancies, outcomes and visits."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from django.urls import reverse
from django.utils import timezone

from srbgov.alerts.models import Alert, AlertKind
from srbgov.people.models import Woman
from srbgov.pregnancies import services
from srbgov.pregnancies.exam_patterns import raise_exam_disappearance_alerts
from srbgov.pregnancies.models import OutcomeKind, Pregnancy, VisitFinding
from srbgov.providers.tests.test_exams import ExamWorld
from srbgov.testing import make_id_number, make_woman


class ExamDisappearanceTests(ExamWorld):
    number: ClassVar[str]
    woman: ClassVar[Woman]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.number = make_id_number()
        cls.woman = make_woman(
            by=cls.cun_a, village=cls.village_a, name="赵芳", id_number=cls.number
        )

    def _pregnancy(self) -> Pregnancy:
        today = timezone.localdate()
        return services.register_pregnancy(
            by=self.cun_a,
            woman=self.woman,
            lmp_on=today - timedelta(weeks=24),
            registered_on=today - timedelta(weeks=16),
            responsible_persons="王芳、李娟",
        )

    def _miscarriage(self, pregnancy: Pregnancy, *, days: int) -> None:
        services.record_outcome(
            by=self.cun_a,
            pregnancy=pregnancy,
            kind=OutcomeKind.MISCARRIAGE,
            occurred_on=timezone.localdate() - timedelta(days=days),
        )

    def _found(self) -> list[Alert]:
        return list(Alert.objects.filter(kind=AlertKind.EXAM_THEN_TERMINATION))

    def test_a_miscarriage_ten_days_after_a_16_week_exam_alerts_her_township(
        self,
    ) -> None:
        pregnancy = self._pregnancy()
        exam = self._exam(self.number, days=12, gestational_weeks=16)
        self._miscarriage(pregnancy, days=2)
        [alert] = self._found()
        self.assertEqual(alert.area, self.village_a)
        self.assertEqual(alert.subject_id, str(exam.pk))
        self.assertIn("自然流产", alert.summary)
        # The nightly pass finds the same pair and opens nothing new.
        self.assertEqual(raise_exam_disappearance_alerts(), 0)
        self.login(self.zhen_a)
        detail = reverse("alerts:alert_detail", args=[alert.pk])
        self.assertEqual(self.client.get(detail).status_code, 200)
        for user in (self.zhen_b, self.other_xian):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(detail).status_code, 404)
                exam_url = reverse("providers:exam_detail", args=[exam.pk])
                self.assertEqual(self.client.get(exam_url).status_code, 404)

    def test_an_exam_entered_after_the_miscarriage_raises_it_too(self) -> None:
        pregnancy = self._pregnancy()
        self._miscarriage(pregnancy, days=2)
        self.assertEqual(self._found(), [])
        self._exam(self.number, days=20, gestational_weeks=15)
        self.assertEqual(len(self._found()), 1)

    def test_a_visit_finding_an_outcome_that_is_not_recorded_alerts(self) -> None:
        pregnancy = self._pregnancy()
        self._exam(self.number, days=25, gestational_weeks=14)
        services.record_visit(
            by=self.cun_a,
            pregnancy=pregnancy,
            visited_on=timezone.localdate() - timedelta(days=3),
            visitors="王芳、李娟",
            mode="home",
            finding=VisitFinding.OUTCOME,
        )
        [alert] = self._found()
        self.assertIn("未登记结局", alert.summary)
        self.assertEqual(alert.area, self.village_a)

    def test_a_12_week_exam_then_a_miscarriage_raises_nothing(self) -> None:
        pregnancy = self._pregnancy()
        self._exam(self.number, days=12, gestational_weeks=12)
        self._miscarriage(pregnancy, days=2)
        self.assertEqual(self._found(), [])
        self.assertEqual(raise_exam_disappearance_alerts(), 0)

    def test_a_miscarriage_40_days_after_the_exam_raises_nothing(self) -> None:
        pregnancy = self._pregnancy()
        self._exam(self.number, days=45, gestational_weeks=16)
        self._miscarriage(pregnancy, days=5)
        self.assertEqual(self._found(), [])

    def test_another_womans_miscarriage_raises_nothing(self) -> None:
        pregnancy = self._pregnancy()
        self._exam(make_id_number(), days=12, gestational_weeks=16)
        self._miscarriage(pregnancy, days=2)
        self.assertEqual(self._found(), [])

    def test_a_visit_finding_her_still_pregnant_raises_nothing(self) -> None:
        pregnancy = self._pregnancy()
        self._exam(self.number, days=12, gestational_weeks=16)
        services.record_visit(
            by=self.cun_a,
            pregnancy=pregnancy,
            visited_on=timezone.localdate() - timedelta(days=3),
            visitors="王芳、李娟",
            mode="home",
            finding=VisitFinding.STILL_PREGNANT,
        )
        self.assertEqual(self._found(), [])
