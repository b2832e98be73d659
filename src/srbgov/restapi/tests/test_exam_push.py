"""The exam push (issue 17 item 1 through the API of issue 13): a facility's system
sends its ultrasound exams; the page's form and service check them, once per
idempotency key, and the register stays scoped (docs/api.md §1, §9)."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.utils import timezone

from srbgov.alerts.models import Alert, AlertKind
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.providers.models import (
    ExamSource,
    PractitionerKind,
    UltrasoundDevice,
    UltrasoundExam,
)
from srbgov.providers.services import (
    file_operator,
    record_ultrasound_exam,
    save_device,
)
from srbgov.providers.tests.builders import make_practitioner
from srbgov.restapi.tests.world import ApiWorld
from srbgov.testing import covers_scope, make_id_number

EXAMS = "/api/v1/exams/"


class ExamPushWorld(ApiWorld):
    device: ClassVar[UltrasoundDevice]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.device = save_device(
            by=cls.health_a,
            facility=cls.facility_a,
            model_name="DC-70",
            serial_number="SN-API-1",
            filed_on=timezone.localdate() - timedelta(days=100),
        )
        sonographer = make_practitioner(
            by=cls.health_a,
            facility=cls.facility_a,
            name="王医生",
            kind=PractitionerKind.ULTRASOUND,
        )
        file_operator(by=cls.health_a, device=cls.device, practitioner=sonographer)


class ExamPushTests(ExamPushWorld):
    def test_it_registers_an_exam_of_the_clients_facility_as_pushed(self) -> None:
        body = self.exam_body()
        response = self.api(self.key_a).post(EXAMS, body, format="json")
        self.assertEqual(response.status_code, 201, response.json())
        exam = UltrasoundExam.objects.get(pk=response.json()["id"])
        self.assertEqual(exam.facility, self.facility_a)
        self.assertEqual(exam.source, ExamSource.API)
        self.assertEqual(exam.device, self.device)
        self.assertFalse(response.json()["off_file"])
        self.assertEqual(response.json()["id_number_masked"], exam.id_number_masked)
        self.assertNotIn(body["id_number"], response.content.decode())
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.CREATE,
                object_type="providers.ultrasoundexam",
                object_id=str(exam.pk),
                user=exam.recorded_by,
            ).exists()
        )

    def test_it_refuses_with_the_same_messages_as_the_page(self) -> None:
        number = make_id_number()
        bad = number[:-1] + ("0" if number[-1] != "0" else "1")
        client = self.api(self.key_a)
        response = client.post(EXAMS, self.exam_body(id_number=bad), format="json")
        self.assertEqual(response.status_code, 400, response.json())
        with self.assertRaises(ValidationError) as page:
            record_ultrasound_exam(
                facility=self.facility_a,
                recorded_by=self.health_a,
                id_number=bad,
                woman_name="赵芳",
                examined_on=timezone.localdate(),
                device_serial="SN-API-1",
                operator_name="王医生",
                gestational_weeks=16,
                purpose="routine",
            )
        # The service names the number's error after the delivery register's field
        # (providers/services/exams.py), so the page shows it above the form; the API
        # gives it where the page does, with the page's words.
        pushed = [m for ms in response.json()["errors"].values() for m in ms]
        self.assertEqual(pushed, page.exception.messages)
        future = self.exam_body(examined_on="2999-01-01")
        response = client.post(EXAMS, future, format="json")
        self.assertEqual(
            response.json()["errors"]["examined_on"], ["检查日期不能晚于今天。"]
        )
        other = self.exam_body(purpose="other", indication="")
        response = client.post(EXAMS, other, format="json")
        self.assertEqual(
            response.json()["errors"]["indication"],
            ["选择“其他医学指征”时请说明指征。"],
        )
        weeks = self.exam_body(gestational_weeks=50)
        response = client.post(EXAMS, weeks, format="json")
        self.assertIn("gestational_weeks", response.json()["errors"])
        self.assertFalse(UltrasoundExam.objects.exists())

    def test_wrong_json_types_are_400_not_500(self) -> None:
        body = self.exam_body(examined_on=["2026"], gestational_weeks={})
        response = self.api(self.key_a).post(EXAMS, body, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            set(response.json()["errors"]), {"examined_on", "gestational_weeks"}
        )

    def test_an_exam_on_a_device_not_on_file_is_kept_and_raises_the_finding(
        self,
    ) -> None:
        body = self.exam_body(device_serial="SN-UNKNOWN")
        response = self.api(self.key_a).post(EXAMS, body, format="json")
        self.assertEqual(response.status_code, 201, response.json())
        self.assertTrue(response.json()["off_file"])
        self.assertTrue(
            Alert.objects.filter(
                kind=AlertKind.EXAM_OFF_FILE, subject_id=response.json()["id"]
            ).exists()
        )

    def test_a_retried_push_with_the_same_key_creates_one_exam(self) -> None:
        body = self.exam_body()
        client = self.api(self.key_a)
        first = client.post(EXAMS, body, format="json", HTTP_IDEMPOTENCY_KEY="his-77")
        again = client.post(EXAMS, body, format="json", HTTP_IDEMPOTENCY_KEY="his-77")
        self.assertEqual(first.status_code, 201)
        self.assertEqual(again.status_code, 201)
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertEqual(again.json(), first.json())
        self.assertEqual(UltrasoundExam.objects.count(), 1)
        other = client.post(
            EXAMS,
            self.exam_body(gestational_weeks=20),
            format="json",
            HTTP_IDEMPOTENCY_KEY="his-77",
        )
        self.assertEqual(other.status_code, 422)
        # The same key on another endpoint is not a replay of this push either.
        termination = client.post(
            "/api/v1/terminations/",
            body,
            format="json",
            HTTP_IDEMPOTENCY_KEY="his-77",
        )
        self.assertEqual(termination.status_code, 422)
        self.assertEqual(UltrasoundExam.objects.count(), 1)


class ExamScopeTests(ExamPushWorld):
    @covers_scope("restapi:exam_list", "restapi:exam_detail")
    def test_other_facilities_and_townships_get_404(self) -> None:
        response = self.api(self.key_a).post(EXAMS, self.exam_body(), format="json")
        exam_id = response.json()["id"]
        detail = f"{EXAMS}{exam_id}/"
        self.assertEqual(self.api(self.key_a).get(detail).status_code, 200)
        self.assertEqual(self.api(self.key_zhen_a).get(detail).status_code, 200)
        # Another facility of the same township, another township's client and
        # officer: the same 404 as a missing id.
        for key in (self.key_a2, self.key_b, self.key_zhen_b):
            with self.subTest(key=key[:8]):
                self.assertEqual(self.api(key).get(detail).status_code, 404)
                listed = self.api(key).get(EXAMS).json()
                self.assertNotIn(exam_id, [r["id"] for r in listed["results"]])
        self.assertEqual(self.api(self.key_b).get(f"{EXAMS}999999/").status_code, 404)
        # A client cannot push for a facility it is not linked to.
        body = self.exam_body(facility=self.facility_b.pk)
        refused = self.api(self.key_a).post(EXAMS, body, format="json")
        self.assertEqual(refused.status_code, 400)
        self.assertIn("facility", refused.json()["errors"])
        # Roles that do not keep facilities have no such endpoint.
        self.login(self.cun_a)
        self.assertEqual(self.client.get(EXAMS).status_code, 404)
        self.assertEqual(self.client.get(detail).status_code, 404)

    def test_a_list_read_is_audited_with_its_ids(self) -> None:
        response = self.api(self.key_a).post(EXAMS, self.exam_body(), format="json")
        self.api(self.key_zhen_a).get(EXAMS)
        entry = AuditEntry.objects.filter(
            action=AuditAction.READ, object_type="providers.ultrasoundexam"
        ).latest("pk")
        self.assertEqual(entry.detail["ids"], [response.json()["id"]])
