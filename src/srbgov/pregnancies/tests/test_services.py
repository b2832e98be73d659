from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

import time_machine
from django.core.exceptions import ValidationError

from srbgov.alerts.models import Alert, AlertKind, AlertStatus
from srbgov.people.models import Child, Woman
from srbgov.people.services import ChildData
from srbgov.pregnancies import hooks, services
from srbgov.pregnancies.models import (
    Birth,
    OutcomeKind,
    Pregnancy,
    PregnancyStatus,
    Visit,
)
from srbgov.testing import BaseTestCase, make_woman

TODAY = date(2026, 6, 15)
TZ = ZoneInfo("Asia/Shanghai")


@time_machine.travel(datetime(2026, 6, 15, 10, 0, tzinfo=TZ), tick=False)
class RegisterPregnancyTests(BaseTestCase):
    woman: ClassVar[Woman]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.woman = make_woman(
            by=cls.cun_a,
            village=cls.village_a,
            children=[ChildData(birth_on=date(2020, 5, 1), sex="F")],
        )

    def register(self, **kwargs: object) -> Pregnancy:
        values: dict[str, object] = {
            "by": self.cun_a,
            "woman": self.woman,
            "lmp_on": TODAY - timedelta(weeks=10),
            "responsible_persons": "王芳、李娟",
        }
        values.update(kwargs)
        return services.register_pregnancy(**values)  # type: ignore[arg-type]

    def test_it_computes_due_date_week_birth_order_and_living_children(self) -> None:
        p = self.register(certificate_number="SZ-2026-001", certificate_on=TODAY)
        assert p.due_on == TODAY - timedelta(weeks=10) + timedelta(days=280)
        assert p.registered_week == 10
        assert not p.is_late_registration
        assert p.birth_order == 2
        assert (p.living_boys, p.living_girls) == (0, 1)
        assert p.next_due_on is not None
        assert p.schedule_checked_on == TODAY

    def test_it_flags_registration_after_16_weeks_as_late(self) -> None:
        assert not self.register(
            lmp_on=TODAY - timedelta(days=112)
        ).is_late_registration

    def test_it_flags_registration_on_day_113_as_late(self) -> None:
        assert self.register(lmp_on=TODAY - timedelta(days=113)).is_late_registration

    def test_it_refuses_lmp_in_the_future(self) -> None:
        with self.assertRaisesMessage(ValidationError, "末次月经不能晚于今天"):
            self.register(lmp_on=TODAY + timedelta(days=1))

    def test_it_refuses_lmp_more_than_44_weeks_ago(self) -> None:
        with self.assertRaisesMessage(ValidationError, "超过44周"):
            self.register(lmp_on=TODAY - timedelta(weeks=44, days=1))

    def test_it_refuses_fewer_than_two_responsible_persons(self) -> None:
        with self.assertRaisesMessage(ValidationError, "至少需要两人"):
            self.register(responsible_persons="王芳")
        with self.assertRaisesMessage(ValidationError, "至少需要两人"):
            self.register(responsible_persons="王芳、王芳")

    def test_it_refuses_a_second_open_pregnancy(self) -> None:
        self.register()
        with self.assertRaisesMessage(ValidationError, "已有未结束的孕情"):
            self.register()
        assert Pregnancy.objects.count() == 1

    def test_it_turns_a_certificate_follow_up_into_the_pregnancy(self) -> None:
        awaiting = services.register_certificate_follow_up(
            by=self.cun_a,
            woman=self.woman,
            certificate_number="SZ-1",
            certificate_on=TODAY - timedelta(days=90),
            responsible_persons="王芳、李娟",
        )
        assert awaiting.status == PregnancyStatus.AWAITING
        # Seed policy: one visit a calendar month from the certificate.
        assert awaiting.next_due_on is not None
        services.record_visit(
            by=self.cun_a,
            pregnancy=awaiting,
            visited_on=TODAY,
            visitors="王芳、李娟",
            mode="home",
            finding="pregnant",
        )
        p = self.register(lmp_on=TODAY - timedelta(weeks=5))
        assert p.pk == awaiting.pk
        assert p.status == PregnancyStatus.PREGNANT
        assert p.certificate_number == "SZ-1"
        assert p.visits.count() == 1


@time_machine.travel(datetime(2026, 6, 15, 10, 0, tzinfo=TZ), tick=False)
class VisitAndOutcomeTests(BaseTestCase):
    woman: ClassVar[Woman]
    pregnancy: ClassVar[Pregnancy]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.woman = make_woman(
            by=cls.cun_a,
            village=cls.village_a,
            children=[
                ChildData(birth_on=date(2018, 5, 1), sex="F"),
                ChildData(birth_on=date(2021, 5, 1), sex="M"),
            ],
        )
        cls.pregnancy = services.register_pregnancy(
            by=cls.cun_a,
            woman=cls.woman,
            lmp_on=TODAY - timedelta(weeks=30),
            responsible_persons="王芳、李娟",
            registered_on=TODAY - timedelta(weeks=22),
        )

    def visit(self, **kwargs: object) -> Visit:
        values: dict[str, object] = {
            "by": self.cun_a,
            "pregnancy": self.pregnancy,
            "visited_on": TODAY,
            "visitors": "王芳，李娟",
            "mode": "home",
            "finding": "pregnant",
        }
        values.update(kwargs)
        return services.record_visit(**values)  # type: ignore[arg-type]

    def test_it_records_a_visit_and_refreshes_the_schedule_state(self) -> None:
        before = Pregnancy.objects.get(pk=self.pregnancy.pk).overdue_visits
        visit = self.visit(visited_on=TODAY - timedelta(weeks=20))
        assert visit.visitors == "王芳、李娟"
        p = Pregnancy.objects.get(pk=self.pregnancy.pk)
        assert p.last_visit_on == TODAY - timedelta(weeks=20)
        assert p.overdue_visits == before - 1

    def test_it_refuses_a_future_date_one_visitor_and_a_date_before_registration(
        self,
    ) -> None:
        with self.assertRaisesMessage(ValidationError, "随访日期不能晚于今天"):
            self.visit(visited_on=TODAY + timedelta(days=1))
        with self.assertRaisesMessage(ValidationError, "不能早于建档日期"):
            self.visit(visited_on=TODAY - timedelta(weeks=23))
        with self.assertRaisesMessage(ValidationError, "至少需要两人"):
            self.visit(visitors="王芳")
        assert not Visit.objects.exists()

    def test_it_needs_place_proof_and_contact_together_when_she_lives_elsewhere(
        self,
    ) -> None:
        with self.assertRaisesMessage(ValidationError, "查验证明"):
            self.visit(elsewhere_place="广东东莞")
        visit = self.visit(
            elsewhere_place="广东东莞",
            elsewhere_proof="东莞市长安镇计生办查验证明",
            elsewhere_contact="已电话联系长安镇计生办",
        )
        assert visit.elsewhere_place == "广东东莞"

    def test_it_records_twins_as_two_children_with_consecutive_orders(self) -> None:
        seen: list[Birth] = []
        hooks.BIRTH_RECORDED.append(seen.append)
        self.addCleanup(hooks.BIRTH_RECORDED.remove, seen.append)
        outcome = services.record_outcome(
            by=self.cun_a,
            pregnancy=self.pregnancy,
            kind=OutcomeKind.LIVE_BIRTH,
            occurred_on=TODAY - timedelta(days=1),
            children=[
                services.BirthData(
                    sex="M", weight_grams=2600, birth_certificate_number="P1"
                ),
                services.BirthData(
                    sex="F", weight_grams=2400, birth_certificate_number="P2"
                ),
            ],
        )
        births = list(outcome.births.order_by("birth_order"))
        assert [(b.sex, b.birth_order) for b in births] == [("M", 3), ("F", 4)]
        assert [(b.earlier_boys, b.earlier_girls) for b in births] == [(1, 1), (2, 1)]
        assert births[0].village == self.village_a
        assert seen == births
        orders = list(
            Child.objects.filter(mother=self.woman).values_list("birth_order", "sex")
        )
        assert orders == [(1, "F"), (2, "M"), (3, "M"), (4, "F")]
        p = Pregnancy.objects.get(pk=self.pregnancy.pk)
        assert p.status == PregnancyStatus.ENDED
        assert outcome.gestational_weeks == 29

    def test_it_refuses_a_birth_before_20_weeks_and_outcomes_in_the_future(
        self,
    ) -> None:
        with self.assertRaisesMessage(ValidationError, "不足20周"):
            services.record_outcome(
                by=self.cun_a,
                pregnancy=self.pregnancy,
                kind=OutcomeKind.STILLBIRTH,
                occurred_on=TODAY - timedelta(weeks=11),
            )
        with self.assertRaisesMessage(ValidationError, "结局日期不能晚于今天"):
            services.record_outcome(
                by=self.cun_a,
                pregnancy=self.pregnancy,
                kind=OutcomeKind.MISCARRIAGE,
                occurred_on=TODAY + timedelta(days=1),
            )
        assert Pregnancy.objects.get(pk=self.pregnancy.pk).status == "pregnant"

    def test_it_alerts_a_live_birth_without_certificate_until_it_is_added(self) -> None:
        outcome = services.record_outcome(
            by=self.cun_a,
            pregnancy=self.pregnancy,
            kind=OutcomeKind.LIVE_BIRTH,
            occurred_on=TODAY,
            children=[services.BirthData(sex="F")],
        )
        alert = Alert.objects.get(kind=AlertKind.BIRTH_WITHOUT_CERTIFICATE)
        assert alert.area == self.village_a
        services.set_birth_certificate(
            by=self.cun_a, birth=outcome.births.get(), number="Q123"
        )
        alert.refresh_from_db()
        assert alert.status == AlertStatus.RESOLVED

    def test_it_alerts_a_termination_at_14_weeks_without_approval(self) -> None:
        outcome = services.record_outcome(
            by=self.cun_a,
            pregnancy=self.pregnancy,
            kind=OutcomeKind.TERMINATION,
            occurred_on=TODAY - timedelta(weeks=15),
            termination_reason="personal",
        )
        assert outcome.gestational_weeks == 15
        alert = Alert.objects.get(kind=AlertKind.LATE_TERMINATION_UNAPPROVED)
        services.set_termination_approval(
            by=self.zhen_a,
            outcome=outcome,
            reference="县卫健〔2026〕12号",
            approved_on=None,
        )
        alert.refresh_from_db()
        assert alert.status == AlertStatus.RESOLVED

    def test_it_hands_a_moved_out_pregnancy_over_keeping_its_history(self) -> None:
        self.visit(visited_on=TODAY - timedelta(weeks=2))
        services.record_outcome(
            by=self.cun_a,
            pregnancy=self.pregnancy,
            kind=OutcomeKind.MOVED_OUT,
            occurred_on=TODAY - timedelta(days=1),
            receiving_area=self.village_c,
        )
        old = Pregnancy.objects.get(pk=self.pregnancy.pk)
        new = Pregnancy.objects.get(handed_over_from=old)
        assert old.status == PregnancyStatus.MOVED_OUT
        assert old.visits.count() == 1
        assert new.village == self.village_c
        assert new.status == PregnancyStatus.PREGNANT
        assert new.lmp_on == old.lmp_on
        assert Woman.objects.get(pk=self.woman.pk).village == self.village_c
        # Her earlier visit still counts in the new village's schedule.
        assert new.last_visit_on is None
        assert new.schedule_checked_on == TODAY


@time_machine.travel(datetime(2026, 6, 15, 10, 0, tzinfo=TZ), tick=False)
class InfantDeathTests(BaseTestCase):
    def test_it_keeps_the_delay_and_alerts_female_and_late_reports(self) -> None:
        woman = make_woman(
            by=self.cun_a,
            village=self.village_a,
            children=[ChildData(birth_on=date(2026, 3, 1), sex="F")],
        )
        child = woman.children.get()
        death = services.record_infant_death(
            by=self.cun_a,
            child=child,
            died_at=datetime(2026, 6, 13, 8, 0, tzinfo=TZ),
            cause="肺炎",
        )
        assert death.report_delay_hours == 50
        assert death.is_late_report
        kinds = set(Alert.objects.values_list("kind", flat=True))
        assert kinds == {
            AlertKind.FEMALE_INFANT_DEATH,
            AlertKind.INFANT_DEATH_LATE_REPORT,
        }
        child.refresh_from_db()
        assert not child.is_alive and child.died_on == date(2026, 6, 13)

    def test_it_does_not_flag_a_boy_reported_within_24_hours(self) -> None:
        woman = make_woman(
            by=self.cun_a,
            village=self.village_a,
            children=[ChildData(birth_on=date(2026, 3, 1), sex="M")],
        )
        death = services.record_infant_death(
            by=self.cun_a,
            child=woman.children.get(),
            died_at=datetime(2026, 6, 14, 12, 0, tzinfo=TZ),
            cause="早产",
        )
        assert not death.is_late_report
        assert not Alert.objects.exists()

    def test_it_refuses_a_child_over_one_year(self) -> None:
        woman = make_woman(
            by=self.cun_a,
            village=self.village_a,
            children=[ChildData(birth_on=date(2024, 3, 1), sex="M")],
        )
        with self.assertRaisesMessage(ValidationError, "未满1周岁"):
            services.record_infant_death(
                by=self.cun_a,
                child=woman.children.get(),
                died_at=datetime(2026, 6, 14, 12, 0, tzinfo=TZ),
                cause="意外",
            )
