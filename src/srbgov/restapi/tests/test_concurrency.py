"""Simultaneous retries of one push on PostgreSQL (docs/api.md, "Idempotency")."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import close_old_connections, connection
from django.test import override_settings
from rest_framework.test import APIClient

from srbgov.providers.models import FacilityDelivery
from srbgov.providers.tests.builders import days_ago, make_facility
from srbgov.restapi.tokens import issue_facility_client
from srbgov.testing import AuditSafeTransactionTestCase, Personas, make_id_number


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="an in-memory SQLite test database is one shared-cache connection",
)
@override_settings(SRBGOV_API_PUSH_RATE="1000/minute")
class SimultaneousRetryTests(Personas, AuditSafeTransactionTestCase):
    def setUp(self) -> None:
        self.make_personas()
        facility = make_facility(by=self.health_a, area=self.town_a)
        _token, self.key = issue_facility_client(
            by=self.health_a, facility=facility, name="HIS"
        )

    def test_four_simultaneous_retries_create_one_birth_and_get_one_answer(
        self,
    ) -> None:
        body = {
            "mother_name": "周敏",
            "mother_id_number": make_id_number(),
            "delivered_on": days_ago(1).isoformat(),
            "children": [{"sex": "F", "birth_certificate_number": "Q520000001"}],
        }
        barrier = threading.Barrier(4)
        answers: list[tuple[int, object]] = []
        errors: list[BaseException] = []

        def push() -> None:
            try:
                client = APIClient()
                client.credentials(HTTP_AUTHORIZATION=f"Token {self.key}")
                barrier.wait()
                response = client.post(
                    "/api/v1/deliveries/",
                    body,
                    format="json",
                    HTTP_IDEMPOTENCY_KEY="retry-1",
                )
                answers.append((response.status_code, response.json()))
            except BaseException as problem:
                errors.append(problem)
            finally:
                close_old_connections()
                connection.close()

        threads = [threading.Thread(target=push) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        self.assertEqual([code for code, _body in answers], [201] * 4, answers)
        # Compared as JSON values: jsonb does not keep the order of keys.
        self.assertEqual(len({json.dumps(b, sort_keys=True) for _c, b in answers}), 1)
        self.assertEqual(FacilityDelivery.objects.count(), 1)
