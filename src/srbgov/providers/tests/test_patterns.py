"""The facility and operator rate pattern (issue 17 item 5, docs/registers.md §3), the
nightly job and the navigation of the registers, with real register entries."""

from __future__ import annotations

import io
from datetime import time, timedelta

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from srbgov.alerts.models import Alert, AlertKind, AlertStatus
from srbgov.alerts.services import resolve_alert
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.operations.registry import BY_NAME
from srbgov.providers.models import Facility, PractitionerKind
from srbgov.providers.services import file_operator, save_device
from srbgov.providers.services.patterns import (
    FACILITY_SUBJECT,
    OPERATOR_SUBJECT,
    RatePass,
    UnitKind,
    exam_follow_rates,
    raise_exam_rate_alerts,
    rate_pass,
)
from srbgov.providers.tests.builders import make_facility, make_practitioner
from srbgov.providers.tests.test_exams import ExamWorld
from srbgov.testing import covers_scope, make_id_number


class RateWorld(ExamWorld):
    """甲镇's health center (20 late exams, 12 followed by a termination at the clinic)
    and 乙镇's hospital (40 late exams, 1 followed): the county rate is 13/60."""

    def setUp(self) -> None:
        super().setUp()
        self.hospital = make_facility(by=self.xian, area=self.town_b, name="乙镇医院")
        save_device(
            by=self.xian,
            facility=self.hospital,
            model_name="DC-80",
            serial_number="SN-B",
            filed_on=timezone.localdate() - timedelta(days=400),
        )
        self.sonographer_b = make_practitioner(
            by=self.xian,
            facility=self.hospital,
            name="李医生",
            kind=PractitionerKind.ULTRASOUND,
        )
        file_operator(
            by=self.xian,
            device=self.hospital.devices.get(),
            practitioner=self.sonographer_b,
        )

    def _series(
        self,
        *,
        at: Facility,
        exams: int,
        followed: int,
        weeks: int = 16,
        after: int = 10,
    ) -> None:
        serial, operator = (
            ("SN-1", "王医生") if at == self.facility else ("SN-B", "李医生")
        )
        for i in range(exams):
            number = make_id_number()
            self._exam(
                number,
                days=60,
                facility=at,
                device_serial=serial,
                operator_name=operator,
                gestational_weeks=weeks,
            )
            if i < followed:
                self._terminate(number, days=60 - after)


class RateTests(RateWorld):
    def test_a_facility_above_the_county_rate_is_flagged_with_its_interval(
        self,
    ) -> None:
        self._series(at=self.facility, exams=20, followed=12)
        self._series(at=self.hospital, exams=40, followed=1)
        rows = {(r.kind, r.unit_id): r for r in exam_follow_rates()}
        center = rows[(UnitKind.FACILITY, self.facility.pk)].verdict
        self.assertEqual((center.exams, center.followed), (20, 12))
        self.assertAlmostEqual(center.chance_rate, 13 / 60)
        self.assertTrue(center.flagged)
        self.assertLess(center.lower, 0.6)
        self.assertGreater(center.upper, 0.6)
        self.assertGreater(center.lower, 13 / 60)
        self.assertFalse(rows[(UnitKind.FACILITY, self.hospital.pk)].verdict.flagged)
        operator = rows[(UnitKind.OPERATOR, self.sonographer.pk)].verdict
        self.assertTrue(operator.flagged)
        self.assertEqual(raise_exam_rate_alerts(), 2)
        self.assertEqual(raise_exam_rate_alerts(), 0)
        alerts = list(Alert.objects.filter(kind=AlertKind.EXAM_FOLLOW_RATE_HIGH))
        self.assertEqual({a.area for a in alerts}, {self.town_a})
        self.assertTrue(all("比例60.0%" in a.summary for a in alerts))
        self.assertTrue(all("全县为21.7%" in a.summary for a in alerts))
        # Another township's officer gets 404 on the alert.
        self.login(self.zhen_b)
        for alert in alerts:
            url = reverse("alerts:alert_detail", args=[alert.pk])
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_rate_alert_closes_when_its_unit_is_no_longer_flagged(self) -> None:
        self._series(at=self.facility, exams=20, followed=12)
        self._series(at=self.hospital, exams=40, followed=1)
        self.assertEqual(rate_pass(), RatePass(opened=2, closed=0))
        # Still holding: the alerts stay open and are not duplicated.
        self.assertEqual(rate_pass(), RatePass(opened=0, closed=0))
        units = {
            (FACILITY_SUBJECT, str(self.facility.pk)),
            (OPERATOR_SUBJECT, str(self.sonographer.pk)),
        }
        alerts = Alert.objects.filter(kind=AlertKind.EXAM_FOLLOW_RATE_HIGH)
        self.assertEqual(
            sorted((a.subject_type, a.subject_id) for a in alerts.open()),
            sorted(units),
        )
        # The county catches up: the hospital's exams are now followed as often.
        self._series(at=self.hospital, exams=40, followed=30)
        rows = {(r.kind, r.unit_id): r for r in exam_follow_rates()}
        self.assertFalse(rows[(UnitKind.FACILITY, self.facility.pk)].verdict.flagged)
        done = rate_pass()
        self.assertEqual(done.closed, 2)
        for alert in alerts.filter(subject_id__in=[u[1] for u in units]):
            self.assertEqual(alert.status, AlertStatus.RESOLVED)
            self.assertIsNone(alert.resolved_by)
            self.assertIn("自动关闭", alert.resolution)
            entry = AuditEntry.objects.get(
                object_type="alerts.alert", object_id=str(alert.pk)
            )
            self.assertEqual(entry.action, AuditAction.UPDATE)
            self.assertIsNone(entry.user)
            self.assertEqual(entry.detail["rule"], AlertKind.EXAM_FOLLOW_RATE_HIGH)
        self.assertEqual(alerts.open().count(), done.opened)
        self.assertEqual(rate_pass(), RatePass(opened=0, closed=0))

    def test_flagged_again_after_the_system_closed_it_is_raised_again(self) -> None:
        self._series(at=self.facility, exams=20, followed=12)
        self._series(at=self.hospital, exams=40, followed=1)
        self.assertEqual(rate_pass().opened, 2)
        alerts = Alert.objects.filter(kind=AlertKind.EXAM_FOLLOW_RATE_HIGH)
        by_officer = alerts.get(subject_type=OPERATOR_SUBJECT)
        resolve_alert(by=self.zhen_a, alert=by_officer, resolution="已约谈核实")
        # A year later these exams are out of the window: nothing is flagged.
        later = timezone.localdate() + timedelta(days=400)
        self.assertEqual(rate_pass(on=later), RatePass(opened=0, closed=1))
        # Back on today's window the facility is flagged again and raised again;
        # the operator's alert, resolved by an officer, is not.
        self.assertEqual(rate_pass(), RatePass(opened=1, closed=0))
        (again,) = alerts.open()
        self.assertEqual(again.subject_type, FACILITY_SUBJECT)
        self.assertEqual(alerts.filter(subject_type=FACILITY_SUBJECT).count(), 2)

    def test_two_terminations_after_one_exam_count_it_once(self) -> None:
        number = make_id_number()
        self._exam(number, days=60)
        self._terminate(number, days=55)
        self._terminate(number, days=50)
        self._series(at=self.facility, exams=2, followed=0)
        rows = {(r.kind, r.unit_id): r for r in exam_follow_rates()}
        center = rows[(UnitKind.FACILITY, self.facility.pk)].verdict
        self.assertEqual((center.exams, center.followed), (3, 1))

    def test_equal_rates_flag_nothing(self) -> None:
        self._series(at=self.facility, exams=20, followed=4)
        self._series(at=self.hospital, exams=40, followed=8)
        self.assertFalse(any(r.verdict.flagged for r in exam_follow_rates()))
        self.assertEqual(raise_exam_rate_alerts(), 0)

    def test_12_week_exams_and_terminations_after_30_days_do_not_count(
        self,
    ) -> None:
        self._series(at=self.facility, exams=10, followed=10, weeks=12)
        self._series(at=self.facility, exams=10, followed=10, after=35)
        self._series(at=self.hospital, exams=20, followed=1)
        rows = {(r.kind, r.unit_id): r for r in exam_follow_rates()}
        center = rows[(UnitKind.FACILITY, self.facility.pk)].verdict
        self.assertEqual((center.exams, center.followed), (10, 0))
        self.assertFalse(center.flagged)

    @covers_scope("providers:exam_rates", "providers:exam_rates_export")
    def test_the_table_shows_only_the_users_units_and_exports(self) -> None:
        self._series(at=self.facility, exams=20, followed=12)
        self._series(at=self.hospital, exams=40, followed=1)
        url = reverse("providers:exam_rates")
        self.login(self.zhen_a)
        page = self.client.get(url)
        self.assertContains(page, self.facility.name)
        self.assertContains(page, "显著高于全县")
        self.assertNotContains(page, "乙镇医院")
        flagged = self.client.get(url, {"flagged": "on", "kind": "facility"})
        self.assertContains(flagged, self.facility.name)
        self.assertNotContains(flagged, "王医生")
        self.login(self.zhen_b)
        page = self.client.get(url)
        self.assertContains(page, "乙镇医院")
        self.assertNotContains(page, self.facility.name)
        sheet = self.client.get(reverse("providers:exam_rates_export"))
        rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows())
        names = {row[1].value for row in rows[1:]}
        self.assertEqual(names, {"乙镇医院", "李医生"})
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.EXPORT, object_type="providers.examrate"
            ).exists()
        )
        for user in (self.cun_a, self.clerk):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.other_xian)
        self.assertNotContains(self.client.get(url), self.facility.name)


class NightlyTests(RateWorld):
    def test_the_nightly_job_runs_every_pattern_once(self) -> None:
        self._series(at=self.facility, exams=20, followed=12)
        self._series(at=self.hospital, exams=40, followed=1)
        out = io.StringIO()
        call_command("raise_register_patterns", stdout=out)
        self.assertIn("exam_follow_rate_high 2 new", out.getvalue())
        self.assertIn("exam_then_disappearance 0 new", out.getvalue())
        out = io.StringIO()
        call_command("raise_register_patterns", stdout=out)
        self.assertIn("exam_follow_rate_high 0 new", out.getvalue())
        self.assertEqual(
            BY_NAME["raise_register_patterns"].command, "raise_register_patterns"
        )


class NavigationTests(ExamWorld):
    def nav(self, user: object) -> list[str]:
        self.client.force_login(user)  # type: ignore[arg-type]
        return [
            str(item["label"])
            for item in self.client.get(reverse("core:home")).context["nav_items"]
        ]

    def test_the_clerk_and_the_health_center_get_the_registers(self) -> None:
        for user in (self.clerk, self.health_a):
            with self.subTest(user=user.username):
                items = self.nav(user)
                self.assertIn("B超检查登记", items)
                self.assertIn("分娩登记", items)
        self.assertNotIn("B超检查登记", self.nav(self.zhen_a))


class DeviceHoursTests(ExamWorld):
    """A device whose room opens 08:00–17:30: an exam at 19:10 is a finding."""

    def setUp(self) -> None:
        super().setUp()
        save_device(
            by=self.health_a,
            facility=self.facility,
            device=self.device,
            model_name="DC-70",
            serial_number="SN-1",
            filed_on=self.device.filed_on,
            room_opens_at=time(8, 0),
            room_closes_at=time(17, 30),
        )

    def _found(self) -> list[Alert]:
        return list(Alert.objects.filter(kind=AlertKind.DEVICE_OUT_OF_HOURS))

    def test_an_exam_after_the_room_closed_is_a_finding_for_the_township(
        self,
    ) -> None:
        exam = self._exam(make_id_number(), examined_at=time(19, 10))
        [alert] = self._found()
        self.assertEqual(alert.area, self.town_a)
        self.assertEqual(alert.subject_id, str(exam.pk))
        self.assertIn("19:10", alert.summary)
        self.assertIn("08:00–17:30", alert.summary)
        self.login(self.zhen_b)
        url = reverse("alerts:alert_detail", args=[alert.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.zhen_a)
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_exams_within_the_hours_or_without_a_time_raise_nothing(self) -> None:
        self._exam(make_id_number(), examined_at=time(8, 0))
        self._exam(make_id_number(), examined_at=time(17, 29))
        self._exam(make_id_number())
        self.assertEqual(self._found(), [])

    def test_the_closing_minute_itself_is_outside(self) -> None:
        self._exam(make_id_number(), examined_at=time(17, 30))
        self.assertEqual(len(self._found()), 1)

    def test_a_device_without_hours_keeps_none(self) -> None:
        save_device(
            by=self.health_a,
            facility=self.facility,
            device=self.device,
            model_name="DC-70",
            serial_number="SN-1",
            filed_on=self.device.filed_on,
        )
        self._exam(make_id_number(), examined_at=time(23, 0))
        self.assertEqual(self._found(), [])

    def test_hours_must_come_in_order_and_in_pairs(self) -> None:
        for opens, closes in ((time(18, 0), time(8, 0)), (time(8, 0), None)):
            with (
                self.subTest(opens=opens, closes=closes),
                self.assertRaises(ValidationError),
            ):
                save_device(
                    by=self.health_a,
                    facility=self.facility,
                    device=self.device,
                    model_name="DC-70",
                    serial_number="SN-1",
                    room_opens_at=opens,
                    room_closes_at=closes,
                )

    def test_the_clerk_enters_the_time_on_the_form(self) -> None:
        self.login(self.clerk)
        number = make_id_number()
        response = self.client.post(
            reverse("providers:exam_create"),
            {
                "facility": self.facility.pk,
                "woman_name": "孙倩",
                "id_number": number,
                "village_code": self.village_a.code,
                "examined_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
                "examined_at": "06:45",
                "gestational_weeks": "15",
                "purpose": "routine",
                "device_serial": "SN-1",
                "operator_name": "王医生",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(self._found()), 1)
