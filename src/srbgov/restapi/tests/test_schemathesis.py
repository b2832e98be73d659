"""The API suite generated from its own OpenAPI schema (schemathesis), run as the
facility client of another township, a facility client of the same township and
the township officer of another township, against a world whose records all lie in
甲镇 (docs/api.md, "Tests").

Every generated request must answer without a 500, in the documented status codes,
content type and response schema; and no answer may hold a record of 甲镇 (no
out-of-scope 200). Besides the generated ids, every 甲镇 record's own id is requested
explicitly, since random ids rarely hit a real row. Bounded: `MAX_EXAMPLES` a
operation and principal, about a minute on SQLite.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from srbgov.alerts.models import AlertKind
from srbgov.alerts.services import raise_alert
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.providers.tests.builders import days_ago
from srbgov.restapi.tests.world import ApiWorld
from srbgov.testing import make_id_number, make_woman

MAX_EXAMPLES = int(os.environ.get("SRBGOV_API_FUZZ_EXAMPLES", "12"))
CHECKS: list[Callable[..., Any]] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# The list and detail path of each kind of record, by its schema path prefix.
KINDS = (
    "facilities",
    "terminations",
    "deliveries",
    "exams",
    "genetic-tests",
    "women",
    "pregnancies",
    "alerts",
)


@contextmanager
def connections_kept_open() -> Iterator[None]:
    """Schemathesis calls the WSGI handler itself, whose request signals close the
    database connection that is inside the test's transaction (on PostgreSQL the next
    query then fails; SQLite's in-memory database ignores the close). Django's test
    client disconnects the same handler around its requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@override_settings(SRBGOV_API_PUSH_RATE="100000/minute")
class GeneratedSuiteTests(ApiWorld):
    inside: ClassVar[dict[str, set[int]]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        client = cls().api(cls.key_a)  # the facility client of 甲镇卫生院
        world = cls()
        termination = client.post(
            "/api/v1/terminations/", world.termination_body(), format="json"
        ).json()
        delivery = client.post(
            "/api/v1/deliveries/", world.delivery_body(), format="json"
        ).json()
        exam = client.post("/api/v1/exams/", world.exam_body(), format="json").json()
        genetic = client.post(
            "/api/v1/genetic-tests/",
            {
                "woman_name": "吴静",
                "id_number": make_id_number(),
                "village_code": cls.village_a.code,
                "kind": "cfdna",
                "ordered_on": days_ago(3).isoformat(),
                "gestational_weeks": 14,
                "indication": "advanced_age",
            },
            format="json",
        ).json()
        woman = make_woman(by=cls.cun_a, village=cls.village_a, name="王芳")
        pregnancy = make_pregnancy(by=cls.cun_a, woman=woman, weeks=12)
        alert, _new = raise_alert(
            kind=AlertKind.VISIT_OVERDUE,
            area=cls.village_a,
            subject_type="pregnancies.pregnancy",
            subject_id=pregnancy.pk,
            summary="逾期未访",
        )
        cls.inside = {
            "facilities": {cls.facility_a.pk},
            "terminations": {termination["id"]},
            "deliveries": {delivery["id"]},
            "exams": {exam["id"]},
            "genetic-tests": {genetic["id"]},
            "women": {woman.pk},
            "pregnancies": {pregnancy.pk},
            "alerts": {alert.pk},
        }

    def leaks(self, path: str, response: Any) -> list[int]:
        """Ids of 甲镇 records in a 200 answer."""
        if response.status_code != 200:
            return []
        kind = path.split("/")[3]
        if kind not in self.inside:
            return []
        body = response.json()
        rows = body.get("results", [body])
        return [r["id"] for r in rows if r.get("id") in self.inside[kind]]

    def run_as(self, key: str, forbidden: set[str]) -> list[str]:
        """Every operation as this principal; `forbidden` are the kinds whose
        甲镇 records must stay out of sight."""
        with connections_kept_open():
            return self._run_as(key, forbidden)

    def _run_as(self, key: str, forbidden: set[str]) -> list[str]:
        headers = {"Authorization": f"Token {key}"}
        schema = schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", get_wsgi_application(), headers=headers
        )
        problems: list[str] = []
        results: Any = schema.get_all_operations()
        operations = [result.ok() for result in results]
        self.assertGreaterEqual(len(operations), 17)
        for operation in operations:

            def check(case: Any) -> None:
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS)
                kind = case.path.split("/")[3]
                if kind in forbidden and (
                    leaked := self.leaks(case.formatted_path, response)
                ):
                    problems.append(f"{case.method} {case.formatted_path}: {leaked}")

            @settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy())
            def fuzz(case: Any) -> None:
                check(case)

            fuzz()
            if "{id}" in operation.path:
                kind = operation.path.split("/")[3]
                for pk in self.inside.get(kind, ()):
                    check(operation.Case(path_parameters={"id": pk}))
        return problems

    def test_a_facility_client_of_another_township_finds_nothing_of_it(self) -> None:
        self.assertEqual(self.run_as(self.key_b, set(KINDS)), [])

    def test_another_facility_of_the_same_township_sees_no_other_register(
        self,
    ) -> None:
        forbidden = {
            "facilities",
            "terminations",
            "deliveries",
            "exams",
            "genetic-tests",
        }
        self.assertEqual(self.run_as(self.key_a2, forbidden), [])

    def test_the_officer_of_another_township_finds_nothing_of_it(self) -> None:
        self.assertEqual(self.run_as(self.key_zhen_b, set(KINDS)), [])

    def test_the_leak_check_can_fail(self) -> None:
        """Run as 甲镇's own officer, who may see 甲镇: the same check reports each
        record she is shown, so a silence above means no leak, not a blind check."""
        problems = self.run_as(self.key_zhen_a, set(KINDS))
        for kind in KINDS[1:]:
            self.assertTrue(any(f"/api/v1/{kind}/" in p for p in problems), kind)
