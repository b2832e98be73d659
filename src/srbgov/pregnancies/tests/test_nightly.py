from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command

from srbgov.alerts.models import Alert, AlertKind, AlertStatus
from srbgov.alerts.services import resolve_alert
from srbgov.pregnancies import services
from srbgov.pregnancies.models import OutcomeKind, Pregnancy
from srbgov.pregnancies.nightly import raise_alerts
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.testing import BaseTestCase, make_woman

TODAY = date(2026, 6, 15)
TZ = ZoneInfo("Asia/Shanghai")


@time_machine.travel(datetime(2026, 6, 15, 2, 0, tzinfo=TZ), tick=False)
class RaiseAlertsTests(BaseTestCase):
    def test_it_raises_disappeared_past_due_plus_30_days_once_even_run_twice(
        self,
    ) -> None:
        woman = make_woman(by=self.cun_a, village=self.village_a)
        p = make_pregnancy(
            by=self.cun_a, woman=woman, lmp_on=TODAY - timedelta(days=311)
        )
        out = io.StringIO()
        call_command("raise_alerts", stdout=out)
        call_command("raise_alerts", stdout=out)
        alerts = Alert.objects.filter(kind=AlertKind.PREGNANCY_DISAPPEARED)
        assert [a.subject_id for a in alerts] == [str(p.pk)]
        assert alerts.get().area == self.village_a
        assert "检查孕情 0 条" in out.getvalue()

    def test_it_does_not_raise_disappeared_29_days_after_due(self) -> None:
        woman = make_woman(by=self.cun_a, village=self.village_a)
        make_pregnancy(
            by=self.cun_a,
            woman=woman,
            lmp_on=TODAY - timedelta(days=309),
            visits=[TODAY - timedelta(days=d) for d in range(0, 300, 7)],
        )
        raise_alerts(TODAY)
        assert not Alert.objects.filter(kind=AlertKind.PREGNANCY_DISAPPEARED).exists()

    def test_it_raises_disappeared_after_two_not_found_visits(self) -> None:
        woman = make_woman(by=self.cun_a, village=self.village_a)
        p = services.register_pregnancy(
            by=self.cun_a,
            woman=woman,
            lmp_on=TODAY - timedelta(weeks=20),
            responsible_persons="王芳、李娟",
        )
        for finding in ("not_found", "outcome"):
            services.record_visit(
                by=self.cun_a,
                pregnancy=p,
                visited_on=TODAY,
                visitors="王芳、李娟",
                mode="home",
                finding=finding,
            )
        alert = Alert.objects.get(kind=AlertKind.PREGNANCY_DISAPPEARED)
        assert "2 次随访" in alert.summary
        services.record_outcome(
            by=self.cun_a,
            pregnancy=p,
            kind=OutcomeKind.MISCARRIAGE,
            occurred_on=TODAY - timedelta(days=3),
        )
        alert.refresh_from_db()
        assert alert.status == AlertStatus.RESOLVED

    def test_it_raises_overdue_visits_and_keeps_a_resolved_finding_closed(self) -> None:
        woman = make_woman(by=self.cun_a, village=self.village_a)
        p = make_pregnancy(by=self.cun_a, woman=woman, weeks=24)
        raise_alerts(TODAY)
        p.refresh_from_db()
        assert p.next_due_on is not None and p.next_due_on < TODAY
        assert p.overdue_visits > 0
        alert = Alert.objects.get(kind=AlertKind.VISIT_OVERDUE)
        resolve_alert(by=self.zhen_a, alert=alert, resolution="已电话联系，本周补访")
        Pregnancy.objects.filter(pk=p.pk).update(schedule_checked_on=None)
        raise_alerts(TODAY)
        assert Alert.objects.filter(kind=AlertKind.VISIT_OVERDUE).count() == 1

    def test_it_closes_the_overdue_alert_when_the_missing_visits_are_entered(
        self,
    ) -> None:
        woman = make_woman(by=self.cun_a, village=self.village_a)
        lmp = TODAY - timedelta(days=120)
        p = make_pregnancy(by=self.cun_a, woman=woman, lmp_on=lmp, registered_on=lmp)
        raise_alerts(TODAY)
        alert = Alert.objects.get(kind=AlertKind.VISIT_OVERDUE)
        for day in (10, 50):
            services.record_visit(
                by=self.cun_a,
                pregnancy=p,
                visited_on=lmp + timedelta(days=day),
                visitors="王芳、李娟",
                mode="phone",
                finding="pregnant",
            )
        alert.refresh_from_db()
        assert alert.status == AlertStatus.RESOLVED
        assert alert.resolved_by is None

    def test_dry_run_writes_nothing(self) -> None:
        woman = make_woman(by=self.cun_a, village=self.village_a)
        make_pregnancy(by=self.cun_a, woman=woman, lmp_on=TODAY - timedelta(days=311))
        out = io.StringIO()
        call_command("raise_alerts", "--dry-run", stdout=out)
        assert "待检查孕情 1 条" in out.getvalue()
        assert not Alert.objects.exists()
