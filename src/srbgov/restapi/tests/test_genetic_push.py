"""The genetic-test push (issue 17 item 3 through the API): a facility's system sends
its chromosome and cell-free DNA test orders with their indication, and later their
result; the page's form and service check them and raise the same findings, once per
idempotency key, and the register stays scoped (docs/api.md §10)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from srbgov.alerts.models import Alert, AlertKind
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.providers.models import GeneticTest
from srbgov.providers.services import record_genetic_test, save_prenatal_licence
from srbgov.providers.tests.builders import days_ago
from srbgov.restapi.tests.world import ApiWorld
from srbgov.testing import covers_scope, make_id_number

TESTS = "/api/v1/genetic-tests/"


class GeneticPushWorld(ApiWorld):
    def licence_a(self, scope: str = "diagnosis") -> None:
        save_prenatal_licence(
            by=self.health_a,
            facility=self.facility_a,
            number="黔产诊字2026-07",
            scope=scope,
            valid_from=days_ago(100),
            valid_to=days_ago(-100),
        )

    def body(self, **changes: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "woman_name": "吴静",
            "id_number": make_id_number(),
            "village_code": self.village_a.code,
            "kind": "cfdna",
            "ordered_on": days_ago(3).isoformat(),
            "gestational_weeks": 14,
            "indication": "advanced_age",
        }
        body.update(changes)
        return body

    def findings(self, test_id: int) -> set[str]:
        return set(
            Alert.objects.filter(subject_id=str(test_id)).values_list("kind", flat=True)
        )


class GeneticPushTests(GeneticPushWorld):
    def test_a_licensed_test_is_registered_masked_and_audited_without_finding(
        self,
    ) -> None:
        self.licence_a()
        body = self.body()
        response = self.api(self.key_a).post(TESTS, body, format="json")
        self.assertEqual(response.status_code, 201, response.json())
        pushed = response.json()
        test = GeneticTest.objects.get(pk=pushed["id"])
        self.assertEqual(test.facility, self.facility_a)
        self.assertEqual(pushed["licence"], test.licence_id)
        self.assertIsNotNone(test.licence_id)
        self.assertFalse(pushed["unlicensed"])
        self.assertFalse(pushed["sex_disclosure"])
        self.assertEqual(pushed["id_number_masked"], test.id_number_masked)
        self.assertNotIn(body["id_number"], response.content.decode())
        self.assertEqual(self.findings(test.pk), set())
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.CREATE,
                object_type="providers.genetictest",
                object_id=str(test.pk),
                user=test.recorded_by,
            ).exists()
        )

    def test_without_a_covering_licence_it_is_kept_and_raises_the_finding(
        self,
    ) -> None:
        # A screening licence allows cfDNA but not a chromosome diagnosis.
        self.licence_a(scope="screening")
        client = self.api(self.key_a)
        cfdna = client.post(TESTS, self.body(), format="json").json()
        self.assertFalse(cfdna["unlicensed"])
        body = self.body(kind="chromosome", gestational_weeks=18)
        response = client.post(TESTS, body, format="json")
        self.assertEqual(response.status_code, 201, response.json())
        pushed = response.json()
        self.assertTrue(pushed["unlicensed"])
        self.assertIsNone(pushed["licence"])
        self.assertEqual(
            self.findings(pushed["id"]), {AlertKind.GENETIC_TEST_UNLICENSED}
        )
        (alert,) = Alert.objects.filter(subject_id=str(pushed["id"]))
        self.assertEqual(alert.area, self.town_a)

    def test_a_sex_result_without_a_sex_linked_indication_is_a_finding(self) -> None:
        self.licence_a()
        client = self.api(self.key_a)
        body = self.body(
            result="normal", result_on=days_ago(1).isoformat(), reports_sex=True
        )
        pushed = client.post(TESTS, body, format="json").json()
        self.assertTrue(pushed["sex_disclosure"])
        self.assertEqual(
            self.findings(pushed["id"]), {AlertKind.GENETIC_TEST_SEX_REPORTED}
        )
        lawful = self.body(
            indication="sex_linked",
            indication_note="血友病A家族史",
            result="abnormal",
            result_on=days_ago(1).isoformat(),
            reports_sex=True,
        )
        pushed = client.post(TESTS, lawful, format="json").json()
        self.assertFalse(pushed["sex_disclosure"])
        self.assertEqual(self.findings(pushed["id"]), set())

    def test_a_result_pushed_later_raises_the_sex_finding_once(self) -> None:
        self.licence_a()
        client = self.api(self.key_a)
        order = client.post(TESTS, self.body(), format="json").json()
        self.assertEqual(order["result"], "pending")
        url = f"{TESTS}{order['id']}/result/"
        result = {
            "result": "normal",
            "result_on": days_ago(1).isoformat(),
            "reports_sex": True,
        }
        first = client.post(url, result, format="json", HTTP_IDEMPOTENCY_KEY="lis-9")
        again = client.post(url, result, format="json", HTTP_IDEMPOTENCY_KEY="lis-9")
        self.assertEqual(first.status_code, 200, first.json())
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertTrue(first.json()["sex_disclosure"])
        self.assertEqual(
            self.findings(order["id"]), {AlertKind.GENETIC_TEST_SEX_REPORTED}
        )
        self.assertEqual(Alert.objects.filter(subject_id=str(order["id"])).count(), 1)
        self.assertEqual(
            AuditEntry.objects.filter(
                action=AuditAction.UPDATE,
                object_type="providers.genetictest",
                object_id=str(order["id"]),
            ).count(),
            1,
        )
        undated = client.post(url, {"result": "normal"}, format="json")
        self.assertEqual(undated.status_code, 400)
        self.assertIn("result_on", undated.json()["errors"])

    def test_it_refuses_with_the_same_messages_as_the_page(self) -> None:
        client = self.api(self.key_a)
        body = self.body(indication="sex_linked")
        response = client.post(TESTS, body, format="json")
        self.assertEqual(response.status_code, 400, response.json())
        with self.assertRaises(ValidationError) as page:
            record_genetic_test(
                facility=self.facility_a,
                recorded_by=self.health_a,
                id_number=make_id_number(),
                woman_name="吴静",
                kind="cfdna",
                ordered_on=days_ago(3),
                gestational_weeks=14,
                indication="sex_linked",
            )
        self.assertEqual(
            response.json()["errors"]["indication_note"],
            page.exception.message_dict["indication_note"],
        )
        future = client.post(
            TESTS, self.body(ordered_on="2999-01-01"), format="json"
        ).json()
        self.assertEqual(future["errors"]["ordered_on"], ["检测日期不能晚于今天。"])
        wrong = client.post(TESTS, self.body(kind="sex"), format="json")
        self.assertEqual(wrong.status_code, 400)
        self.assertIn("kind", wrong.json()["errors"])
        types = client.post(TESTS, self.body(ordered_on=["x"]), format="json")
        self.assertEqual(types.status_code, 400)
        self.assertFalse(GeneticTest.objects.exists())


class GeneticScopeTests(GeneticPushWorld):
    @covers_scope(
        "restapi:genetic_test_list",
        "restapi:genetic_test_detail",
        "restapi:genetic_test_result",
    )
    def test_other_facilities_and_townships_get_404(self) -> None:
        response = self.api(self.key_a).post(TESTS, self.body(), format="json")
        test_id = response.json()["id"]
        detail = f"{TESTS}{test_id}/"
        self.assertEqual(self.api(self.key_a).get(detail).status_code, 200)
        self.assertEqual(self.api(self.key_zhen_a).get(detail).status_code, 200)
        result = {"result": "normal", "result_on": days_ago(1).isoformat()}
        for key in (self.key_a2, self.key_b, self.key_zhen_b):
            with self.subTest(key=key[:8]):
                self.assertEqual(self.api(key).get(detail).status_code, 404)
                listed = self.api(key).get(TESTS).json()
                self.assertNotIn(test_id, [r["id"] for r in listed["results"]])
                refused = self.api(key).post(f"{detail}result/", result, format="json")
                self.assertEqual(refused.status_code, 404)
        self.assertEqual(GeneticTest.objects.get(pk=test_id).result, "pending")
        # A client cannot push for a facility it is not linked to.
        body = self.body(facility=self.facility_b.pk)
        refused = self.api(self.key_a).post(TESTS, body, format="json")
        self.assertEqual(refused.status_code, 400)
        self.assertIn("facility", refused.json()["errors"])
        # Without a token: 401; a village worker has no such endpoint.
        self.assertEqual(self.client.get(TESTS).status_code, 401)
        self.login(self.cun_a)
        self.assertEqual(self.client.get(TESTS).status_code, 404)
        self.assertEqual(self.client.get(detail).status_code, 404)
