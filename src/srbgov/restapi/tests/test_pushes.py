"""Pushes from a facility's system: the pages' checks and messages, idempotency keys,
throttling (docs/api.md)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.test import override_settings

from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.providers import services
from srbgov.providers.models import FacilityDelivery, TerminationRecord
from srbgov.providers.tests.builders import days_ago
from srbgov.restapi.tests.world import ApiWorld
from srbgov.testing import covers_scope, make_id_number

TERMINATIONS = "/api/v1/terminations/"
DELIVERIES = "/api/v1/deliveries/"


class TerminationPushTests(ApiWorld):
    def test_it_registers_a_termination_for_the_clients_own_facility(self) -> None:
        response = self.api(self.key_a).post(
            TERMINATIONS, self.termination_body(), format="json"
        )
        self.assertEqual(response.status_code, 201, response.json())
        entry = TerminationRecord.objects.get(pk=response.json()["id"])
        self.assertEqual(entry.facility, self.facility_a)
        self.assertEqual(response.json()["id_number_masked"], entry.id_number_masked)
        self.assertTrue(entry.recorded_by.username.startswith("api-"))
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.CREATE,
                object_type="providers.terminationrecord",
                object_id=str(entry.pk),
                user=entry.recorded_by,
            ).exists()
        )

    def test_it_refuses_with_the_same_messages_as_the_page(self) -> None:
        good = make_id_number()  # one number: two draws could give back a valid one
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")
        client = self.api(self.key_a)
        response = client.post(
            TERMINATIONS, self.termination_body(id_number=bad), format="json"
        )
        self.assertEqual(response.status_code, 400)
        errors = response.json()["errors"]
        # The page's own path (form, then service) gives these very messages.
        with self.assertRaises(ValidationError) as page:
            services.record_termination(
                by=self.health_a,
                facility=self.facility_a,
                woman_name="孙丽",
                id_number=bad,
                terminated_on=days_ago(1),
                gestational_weeks=8,
                method="aspiration",
                operator=self.operator_a,
                medical_reason="本人要求",
            )
        self.assertEqual(errors["id_number"], page.exception.message_dict["id_number"])
        future = self.termination_body(terminated_on="2999-01-01")
        response = client.post(TERMINATIONS, future, format="json")
        self.assertEqual(
            response.json()["errors"]["terminated_on"], ["手术日期不能晚于今天。"]
        )
        self.assertFalse(TerminationRecord.objects.exists())

    def test_another_facilitys_operator_is_refused(self) -> None:
        body = self.termination_body(operator=self.operator_b.pk)
        response = self.api(self.key_a).post(TERMINATIONS, body, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("operator", response.json()["errors"])
        self.assertFalse(TerminationRecord.objects.exists())

    def test_wrong_json_types_are_400_not_500(self) -> None:
        body = self.termination_body(terminated_on=["2026"], gestational_weeks={})
        response = self.api(self.key_a).post(TERMINATIONS, body, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            set(response.json()["errors"]), {"terminated_on", "gestational_weeks"}
        )


class IdempotencyTests(ApiWorld):
    def test_a_retried_push_with_the_same_key_creates_one_birth(self) -> None:
        client = self.api(self.key_a)
        body = self.delivery_body()
        first = client.post(
            DELIVERIES, body, format="json", HTTP_IDEMPOTENCY_KEY="his-2026-000123"
        )
        again = client.post(
            DELIVERIES, body, format="json", HTTP_IDEMPOTENCY_KEY="his-2026-000123"
        )
        self.assertEqual(first.status_code, 201, first.json())
        self.assertEqual(again.status_code, 201)
        self.assertEqual(again.json(), first.json())
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertEqual(FacilityDelivery.objects.count(), 1)
        delivery = FacilityDelivery.objects.get()
        self.assertEqual(delivery.source, "api")
        self.assertEqual([c.sex for c in delivery.children.all()], ["F"])

    def test_the_same_key_with_another_body_is_a_422_in_chinese(self) -> None:
        client = self.api(self.key_a)
        client.post(
            DELIVERIES, self.delivery_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
        )
        other = client.post(
            DELIVERIES,
            self.delivery_body(children=[{"sex": "M"}]),
            format="json",
            HTTP_IDEMPOTENCY_KEY="k-1",
        )
        self.assertEqual(other.status_code, 422)
        self.assertIn("幂等键", other.json()["detail"])
        self.assertEqual(FacilityDelivery.objects.count(), 1)

    def test_keys_belong_to_their_client(self) -> None:
        """Two facilities may use the same key: each gets its own record."""
        for key in (self.key_a, self.key_b):
            response = self.api(key).post(
                DELIVERIES,
                self.delivery_body(village_code=""),
                format="json",
                HTTP_IDEMPOTENCY_KEY="same",
            )
            self.assertEqual(response.status_code, 201, response.json())
        self.assertEqual(FacilityDelivery.objects.count(), 2)

    def test_without_a_key_the_services_own_duplicate_rule_holds(self) -> None:
        client = self.api(self.key_a)
        body = self.delivery_body()
        self.assertEqual(client.post(DELIVERIES, body, format="json").status_code, 201)
        second = client.post(DELIVERIES, body, format="json")
        self.assertEqual(second.status_code, 400)
        # The service's first duplicate check (the birth certificate number).
        self.assertIn("出生医学证明编号已登记在另一次分娩中。", str(second.json()))
        self.assertEqual(FacilityDelivery.objects.count(), 1)

    def test_a_refused_push_is_not_kept(self) -> None:
        client = self.api(self.key_a)
        bad = self.delivery_body(delivered_on="2999-01-01")
        refused = client.post(DELIVERIES, bad, format="json", HTTP_IDEMPOTENCY_KEY="k")
        self.assertEqual(refused.status_code, 400)
        self.assertIn("分娩日期不能晚于今天。", str(refused.json()["errors"]))
        fixed = client.post(
            DELIVERIES, self.delivery_body(), format="json", HTTP_IDEMPOTENCY_KEY="k"
        )
        self.assertEqual(fixed.status_code, 201)

    def test_child_errors_name_the_child(self) -> None:
        body = self.delivery_body(children=[{"sex": "X"}])
        response = self.api(self.key_a).post(DELIVERIES, body, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("children.0.sex", response.json()["errors"])


class ThrottleTests(ApiWorld):
    @override_settings(SRBGOV_API_PUSH_RATE="2/minute")
    def test_pushes_beyond_the_rate_get_429_in_chinese(self) -> None:
        client = self.api(self.key_a)
        codes = [
            client.post(
                TERMINATIONS, self.termination_body(), format="json"
            ).status_code
            for _ in range(3)
        ]
        self.assertEqual(codes, [201, 201, 429])
        response = client.post(TERMINATIONS, self.termination_body(), format="json")
        self.assertIn("提交过于频繁", response.json()["detail"])
        self.assertIn("Retry-After", response)
        # Per token: another facility's client is not slowed down, reads are not.
        other = self.api(self.key_b).post(
            TERMINATIONS,
            self.termination_body(operator=self.operator_b.pk),
            format="json",
        )
        self.assertEqual(other.status_code, 201)
        self.assertEqual(client.get(TERMINATIONS).status_code, 200)
        self.assertEqual(TerminationRecord.objects.count(), 3)


class PushScopeTests(ApiWorld):
    @covers_scope("restapi:termination_list", "restapi:delivery_list")
    def test_a_client_cannot_push_for_another_facility(self) -> None:
        body = self.termination_body(facility=self.facility_b.pk)
        response = self.api(self.key_a).post(TERMINATIONS, body, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("facility", response.json()["errors"])
        delivery = self.delivery_body(facility=self.facility_b.pk)
        response = self.api(self.key_a).post(DELIVERIES, delivery, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(FacilityDelivery.objects.exists())
        # Roles that do not keep facilities have no such endpoint at all.
        self.assertEqual(self.api(self.key_zhen_a).get("/api/v1/me/").status_code, 200)
        self.login(self.cun_a)
        self.assertEqual(self.client.get(TERMINATIONS).status_code, 404)
