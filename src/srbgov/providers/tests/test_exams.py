"""The real-name ultrasound exam register (issue 17 item 1) and the exam→termination
pattern (item 5): real register entries, with the negative cases beside each rule."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import ClassVar
from unittest import mock

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from srbgov.accounts.models import Role, User
from srbgov.alerts.models import Alert, AlertKind
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.providers.models import (
    Facility,
    Practitioner,
    PractitionerKind,
    UltrasoundDevice,
    UltrasoundExam,
)
from srbgov.providers.services import (
    assign_facility_clerk,
    file_operator,
    patterns,
    raise_exam_termination_alerts,
    record_termination,
    record_ultrasound_exam,
    save_device,
)
from srbgov.providers.tests.builders import make_facility, make_practitioner
from srbgov.testing import BaseTestCase, covers_scope, make_id_number, make_user


class ExamWorld(BaseTestCase):
    """甲镇's health center with a filed device and operator, and a clinic."""

    facility: ClassVar[Facility]
    other: ClassVar[Facility]
    device: ClassVar[UltrasoundDevice]
    sonographer: ClassVar[Practitioner]
    surgeon: ClassVar[Practitioner]
    clerk: ClassVar[User]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        today = timezone.localdate()
        cls.facility = make_facility(by=cls.health_a, area=cls.town_a)
        cls.other = make_facility(
            by=cls.health_a, area=cls.town_a, name="甲镇民营医院", kind="clinic"
        )
        cls.device = save_device(
            by=cls.health_a,
            facility=cls.facility,
            model_name="DC-70",
            serial_number="SN-1",
            filed_on=today - timedelta(days=100),
        )
        cls.sonographer = make_practitioner(
            by=cls.health_a,
            facility=cls.facility,
            name="王医生",
            kind=PractitionerKind.ULTRASOUND,
        )
        file_operator(by=cls.health_a, device=cls.device, practitioner=cls.sonographer)
        cls.surgeon = make_practitioner(by=cls.health_a, facility=cls.other)
        cls.clerk = make_user("clerk_exam", Role.FACILITY_CLERK, cls.town_a)
        assign_facility_clerk(by=cls.health_a, clerk=cls.clerk, facility=cls.facility)

    def _exam(self, number: str, *, days: int = 12, **kw: object) -> UltrasoundExam:
        values: dict[str, object] = {
            "facility": self.facility,
            "recorded_by": self.clerk,
            "id_number": number,
            "woman_name": "赵芳",
            "examined_on": timezone.localdate() - timedelta(days=days),
            "device_serial": "SN-1",
            "operator_name": "王医生",
            "gestational_weeks": 16,
            "purpose": "routine",
            "village_code": self.village_a.code,
        }
        values.update(kw)
        return record_ultrasound_exam(**values)  # type: ignore[arg-type]

    def _terminate(
        self, number: str, *, days: int = 2, at: Facility | None = None
    ) -> None:
        facility = at or self.other
        operator = (
            self.surgeon
            if facility == self.other
            else make_practitioner(by=self.health_a, facility=facility, name="钱医生")
        )
        record_termination(
            by=self.health_a,
            facility=facility,
            woman_name="赵芳",
            id_number=number,
            terminated_on=timezone.localdate() - timedelta(days=days),
            gestational_weeks=17,
            method="induction",
            operator=operator,
            medical_reason="胎儿畸形",
        )

    def _alerts(self, kind: AlertKind) -> list[Alert]:
        return list(Alert.objects.filter(kind=kind))


class ExamTests(ExamWorld):
    def test_exam_is_stored_real_name_and_audited(self) -> None:
        number = make_id_number()
        exam = self._exam(number)
        self.assertEqual(exam.device, self.device)
        self.assertEqual(exam.operator, self.sonographer)
        self.assertNotIn(number, exam.id_number_encrypted)
        self.assertIn("*", exam.id_number_masked)
        self.assertTrue(exam.is_late)
        self.assertEqual(self._alerts(AlertKind.EXAM_OFF_FILE), [])
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.CREATE, object_id=str(exam.pk)
            ).exists()
        )

    def test_bad_identity_number_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            self._exam("110101199001011234")

    def test_unfiled_device_is_a_finding_for_the_township(self) -> None:
        exam = self._exam(make_id_number(), device_serial="SN-UNKNOWN")
        self.assertIsNone(exam.device)
        (alert,) = self._alerts(AlertKind.EXAM_OFF_FILE)
        self.assertEqual(alert.area, self.town_a)
        self.assertEqual(alert.subject_id, str(exam.pk))

    def test_operator_not_filed_for_the_device_is_a_finding(self) -> None:
        exam = self._exam(make_id_number(), operator_name="张三")
        self.assertIsNone(exam.operator)
        self.assertEqual(len(self._alerts(AlertKind.EXAM_OFF_FILE)), 1)

    def test_16_weeks_then_termination_elsewhere_raises_once(self) -> None:
        number = make_id_number()
        exam = self._exam(number, days=12)
        self._terminate(number, days=2)
        # Raised on the termination's write; the county pass finds nothing new.
        self.assertEqual(len(self._alerts(AlertKind.EXAM_THEN_TERMINATION)), 1)
        self.assertEqual(raise_exam_termination_alerts(), 0)
        (alert,) = self._alerts(AlertKind.EXAM_THEN_TERMINATION)
        self.assertEqual(alert.area, self.village_a)
        self.assertEqual(alert.subject_id, str(exam.pk))

    def test_12_weeks_exam_raises_nothing(self) -> None:
        number = make_id_number()
        self._exam(number, gestational_weeks=12)
        self._terminate(number)
        self.assertEqual(raise_exam_termination_alerts(), 0)

    def test_termination_at_the_exam_facility_raises_nothing(self) -> None:
        number = make_id_number()
        self._exam(number)
        self._terminate(number, at=self.facility)
        self.assertEqual(raise_exam_termination_alerts(), 0)

    def test_termination_after_31_days_raises_nothing(self) -> None:
        number = make_id_number()
        self._exam(number, days=40)
        self._terminate(number, days=9)
        self.assertEqual(raise_exam_termination_alerts(), 0)
        self._terminate(number, days=10)
        self.assertEqual(len(self._alerts(AlertKind.EXAM_THEN_TERMINATION)), 1)

    def test_an_exam_entered_after_the_termination_raises_too(self) -> None:
        number = make_id_number()
        self._terminate(number, days=2)
        self._exam(number, days=12)
        self.assertEqual(len(self._alerts(AlertKind.EXAM_THEN_TERMINATION)), 1)

    def test_another_womans_termination_raises_nothing(self) -> None:
        self._exam(make_id_number())
        self._terminate(make_id_number())
        self.assertEqual(raise_exam_termination_alerts(), 0)

    def test_the_latest_exam_in_the_window_is_the_subject(self) -> None:
        number = make_id_number()
        self._exam(number, days=25)
        latest = self._exam(number, days=12, gestational_weeks=17)
        self._exam(number, days=1)  # after the termination: not before it
        self._terminate(number, days=2)
        (alert,) = self._alerts(AlertKind.EXAM_THEN_TERMINATION)
        self.assertEqual(alert.subject_id, str(latest.pk))
        self.assertIn("孕17周", alert.summary)

    def test_the_summary_built_by_the_database_is_the_template_formatted(
        self,
    ) -> None:
        number = make_id_number()
        self._exam(number, days=12, gestational_weeks=17)
        self._terminate(number, days=2)
        (alert,) = self._alerts(AlertKind.EXAM_THEN_TERMINATION)
        values = {
            "weeks": 17,
            "masked": UltrasoundExam.objects.get().id_number_masked,
            "date": (timezone.localdate() - timedelta(days=2)).isoformat(),
        }
        self.assertEqual(alert.summary, patterns.PAIR_SUMMARY % values)
        # A translation may reorder the placeholders and hold a literal percent.
        reordered = "%(date)s: %(masked)s, %(weeks)d weeks (100%%)"
        with mock.patch.object(patterns, "PAIR_SUMMARY", reordered):
            (finding,) = patterns.exam_termination_findings()
        self.assertEqual(finding.summary, reordered % values)

    def test_the_nightly_pass_nets_recent_pairs_and_full_every_pair(self) -> None:
        old, recent = make_id_number(), make_id_number()
        self._exam(old, days=60)
        self._terminate(old, days=50)
        self._exam(recent, days=12)
        self._terminate(recent, days=2)
        # As if both pairs had been entered without their write-time raise.
        Alert.objects.filter(kind=AlertKind.EXAM_THEN_TERMINATION).delete()
        self.assertEqual(raise_exam_termination_alerts(), 1)
        self.assertEqual(raise_exam_termination_alerts(), 0)
        out = io.StringIO()
        call_command("raise_register_patterns", "--full", stdout=out)
        self.assertIn("exam_then_termination 1 new", out.getvalue())
        self.assertEqual(len(self._alerts(AlertKind.EXAM_THEN_TERMINATION)), 2)


def _rows(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


class ExamPageTests(ExamWorld):
    def test_clerk_records_a_16_week_exam_and_the_pattern_stays_in_scope(
        self,
    ) -> None:
        self.login(self.clerk)
        number = make_id_number()
        form = self.client.get(reverse("providers:exam_create"))
        key = form.context["form"]["submission_key"].value()
        data = {
            "facility": self.facility.pk,
            "woman_name": "孙倩",
            "id_number": number,
            "village_code": self.village_a.code,
            "examined_on": (timezone.localdate() - timedelta(days=12)).isoformat(),
            "gestational_weeks": "16",
            "purpose": "routine",
            "device_serial": "SN-1",
            "operator_name": "王医生",
            "submission_key": str(key),
        }
        response = self.client.post(reverse("providers:exam_create"), data)
        exam = UltrasoundExam.objects.get(woman_name="孙倩")
        self.assertRedirects(response, reverse("providers:exam_detail", args=[exam.pk]))
        # A double tap saves one exam.
        self.client.post(reverse("providers:exam_create"), data)
        self.assertEqual(UltrasoundExam.objects.filter(woman_name="孙倩").count(), 1)
        page = self.client.get(reverse("providers:exam_detail", args=[exam.pk]))
        self.assertContains(page, exam.id_number_masked)
        self.assertNotContains(page, number)
        self._terminate(number)
        alert = Alert.objects.get(kind=AlertKind.EXAM_THEN_TERMINATION)
        self.login(self.zhen_a)
        self.assertEqual(
            self.client.get(
                reverse("alerts:alert_detail", args=[alert.pk])
            ).status_code,
            200,
        )
        for user in (self.zhen_b, self.other_xian):
            with self.subTest(user=user.username):
                self.login(user)
                for url in (
                    reverse("alerts:alert_detail", args=[alert.pk]),
                    reverse("providers:exam_detail", args=[exam.pk]),
                ):
                    self.assertEqual(self.client.get(url).status_code, 404)

    @covers_scope(
        "providers:exam_detail",
        "providers:exam_list",
        "providers:exam_export",
        "providers:exam_create",
    )
    def test_outsiders_get_404(self) -> None:
        exam = self._exam(make_id_number())
        detail = reverse("providers:exam_detail", args=[exam.pk])
        for user in (self.zhen_b, self.other_xian, self.cun_a):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(detail).status_code, 404)
        self.login(self.cun_a)
        for name in ("exam_list", "exam_export", "exam_create"):
            url = reverse(f"providers:{name}")
            self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.zhen_a)
        self.assertEqual(self.client.get(detail).status_code, 200)
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.READ,
                object_type="providers.ultrasoundexam",
                object_id=str(exam.pk),
            ).exists()
        )

    def test_the_export_matches_the_filtered_list_and_is_logged(self) -> None:
        self._exam(make_id_number(), woman_name="周红", gestational_weeks=12)
        late = self._exam(make_id_number(), woman_name="吴丽")
        self.login(self.zhen_a)
        response = self.client.get(reverse("providers:exam_export"), {"late": "on"})
        rows = _rows(response.content)
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1][1], "吴丽")
        self.assertEqual(rows[1][2], late.id_number_masked)
        self.assertEqual(rows[1][6], "是")
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.EXPORT, object_type="providers.ultrasoundexam"
            ).exists()
        )
