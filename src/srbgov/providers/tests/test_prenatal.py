"""Prenatal diagnosis licences and the genetic test register (issue 17 item 3): each
finding rule with real entries and the negative beside it, the pages, the export,
and 404 outside the area."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from srbgov.accounts.models import Role, User
from srbgov.alerts.models import Alert, AlertKind
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.providers.models import Facility, GeneticTest, PrenatalLicence
from srbgov.providers.services import (
    assign_facility_clerk,
    record_genetic_test,
    record_test_result,
    save_prenatal_licence,
)
from srbgov.providers.tests.builders import make_facility, pdf_upload
from srbgov.testing import (
    TemporaryMediaTestCase,
    covers_scope,
    make_id_number,
    make_user,
)


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


class PrenatalWorld(TemporaryMediaTestCase):
    """甲镇's hospital licensed for prenatal diagnosis for the past year, and a clinic
    that is not licensed."""

    media_prefix = "srbgov-prenatal-"
    hospital: ClassVar[Facility]
    clinic: ClassVar[Facility]
    licence: ClassVar[PrenatalLicence]
    clerk: ClassVar[User]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.hospital = make_facility(
            by=cls.health_a, area=cls.town_a, name="甲镇中心医院", kind="hospital"
        )
        cls.clinic = make_facility(
            by=cls.health_a, area=cls.town_a, name="甲镇民营诊所", kind="clinic"
        )
        cls.licence = save_prenatal_licence(
            by=cls.health_a,
            facility=cls.hospital,
            number="黔产诊字2026-01",
            scope="diagnosis",
            valid_from=days_ago(365),
            valid_to=days_ago(-365),
            scan=pdf_upload("许可证.pdf"),
        )
        cls.clerk = make_user("clerk_gt", Role.FACILITY_CLERK, cls.town_a)
        assign_facility_clerk(by=cls.health_a, clerk=cls.clerk, facility=cls.hospital)

    def _test(self, **kw: object) -> GeneticTest:
        values: dict[str, object] = {
            "facility": self.hospital,
            "recorded_by": self.clerk,
            "id_number": make_id_number(),
            "woman_name": "陈芳",
            "kind": "cfdna",
            "ordered_on": days_ago(5),
            "gestational_weeks": 13,
            "indication": "advanced_age",
            "village_code": self.village_a.code,
        }
        values.update(kw)
        return record_genetic_test(**values)  # type: ignore[arg-type]

    def _alerts(self, kind: AlertKind) -> list[Alert]:
        return list(Alert.objects.filter(kind=kind))


class LicenceRuleTests(PrenatalWorld):
    def test_a_test_under_a_valid_licence_raises_nothing(self) -> None:
        test = self._test()
        self.assertEqual(test.licence, self.licence)
        self.assertNotIn(test.id_number_masked, test.id_number_encrypted)
        self.assertEqual(self._alerts(AlertKind.GENETIC_TEST_UNLICENSED), [])
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.CREATE, object_id=str(test.pk)
            ).exists()
        )

    def test_a_test_at_an_unlicensed_facility_is_a_finding_for_the_township(
        self,
    ) -> None:
        test = self._test(facility=self.clinic)
        self.assertIsNone(test.licence)
        (alert,) = self._alerts(AlertKind.GENETIC_TEST_UNLICENSED)
        self.assertEqual(alert.area, self.town_a)
        self.assertEqual(alert.subject_id, str(test.pk))
        self.assertNotIn("陈芳", alert.summary)

    def test_a_test_after_the_licence_expired_is_a_finding(self) -> None:
        save_prenatal_licence(
            by=self.health_a,
            facility=self.clinic,
            number="黔产筛字2024-09",
            scope="diagnosis",
            valid_from=days_ago(800),
            valid_to=days_ago(10),
        )
        self._test(facility=self.clinic, ordered_on=days_ago(11))  # still valid
        self.assertEqual(self._alerts(AlertKind.GENETIC_TEST_UNLICENSED), [])
        self._test(facility=self.clinic, ordered_on=days_ago(9))
        self.assertEqual(len(self._alerts(AlertKind.GENETIC_TEST_UNLICENSED)), 1)

    def test_a_screening_licence_covers_cfdna_but_not_a_chromosome_diagnosis(
        self,
    ) -> None:
        save_prenatal_licence(
            by=self.health_a,
            facility=self.clinic,
            number="黔产筛字2026-02",
            scope="screening",
            valid_from=days_ago(100),
            valid_to=days_ago(-100),
        )
        self._test(facility=self.clinic, kind="cfdna")
        self.assertEqual(self._alerts(AlertKind.GENETIC_TEST_UNLICENSED), [])
        self._test(facility=self.clinic, kind="chromosome")
        self.assertEqual(len(self._alerts(AlertKind.GENETIC_TEST_UNLICENSED)), 1)

    def test_a_licence_needs_a_number_and_a_validity_in_order(self) -> None:
        with self.assertRaises(ValidationError):
            save_prenatal_licence(
                by=self.health_a,
                facility=self.clinic,
                number="X",
                scope="diagnosis",
                valid_from=days_ago(1),
                valid_to=days_ago(2),
            )
        with self.assertRaises(ValidationError):
            save_prenatal_licence(
                by=self.health_a,
                facility=self.clinic,
                number=" ",
                scope="diagnosis",
                valid_from=days_ago(2),
                valid_to=days_ago(1),
            )


class SexResultRuleTests(PrenatalWorld):
    def test_a_sex_result_without_a_sex_linked_indication_is_a_finding(self) -> None:
        test = self._test()
        self.assertEqual(self._alerts(AlertKind.GENETIC_TEST_SEX_REPORTED), [])
        record_test_result(
            by=self.clerk,
            test=test,
            result="normal",
            result_on=days_ago(1),
            reports_sex=True,
        )
        (alert,) = self._alerts(AlertKind.GENETIC_TEST_SEX_REPORTED)
        self.assertEqual(alert.area, self.town_a)
        self.assertEqual(alert.subject_id, str(test.pk))
        # Entering the same result again raises it once.
        record_test_result(
            by=self.clerk,
            test=test,
            result="normal",
            result_on=days_ago(1),
            reports_sex=True,
        )
        self.assertEqual(len(self._alerts(AlertKind.GENETIC_TEST_SEX_REPORTED)), 1)

    def test_a_sex_result_with_a_sex_linked_indication_raises_nothing(self) -> None:
        self._test(
            kind="chromosome",
            indication="sex_linked",
            indication_note="血友病A家族史",
            result="abnormal",
            result_on=days_ago(1),
            reports_sex=True,
        )
        self.assertEqual(self._alerts(AlertKind.GENETIC_TEST_SEX_REPORTED), [])

    def test_a_result_without_sex_raises_nothing(self) -> None:
        self._test(result="normal", result_on=days_ago(1))
        self.assertEqual(Alert.objects.count(), 0)

    def test_a_sex_linked_indication_must_name_the_disease(self) -> None:
        with self.assertRaises(ValidationError):
            self._test(indication="sex_linked")
        self.assertFalse(GeneticTest.objects.exists())

    def test_a_pending_result_cannot_report_sex_nor_a_result_be_undated(self) -> None:
        with self.assertRaises(ValidationError):
            self._test(reports_sex=True)
        with self.assertRaises(ValidationError):
            self._test(result="normal")


def _rows(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


class PrenatalPageTests(PrenatalWorld):
    def test_the_clerk_records_a_test_and_its_result_on_the_pages(self) -> None:
        self.login(self.clerk)
        number = make_id_number()
        response = self.client.post(
            reverse("providers:genetic_test_create"),
            {
                "facility": self.hospital.pk,
                "woman_name": "杨梅",
                "id_number": number,
                "village_code": self.village_a.code,
                "kind": "chromosome",
                "ordered_on": days_ago(3).isoformat(),
                "gestational_weeks": "18",
                "indication": "ultrasound",
                "result": "pending",
            },
        )
        test = GeneticTest.objects.get()
        self.assertRedirects(
            response, reverse("providers:genetic_test_detail", args=[test.pk])
        )
        self.assertEqual(test.licence, self.licence)
        page = self.client.get(reverse("providers:genetic_test_detail", args=[test.pk]))
        self.assertNotContains(page, number)
        self.assertContains(page, test.id_number_masked)
        self.client.post(
            reverse("providers:genetic_test_result", args=[test.pk]),
            {
                "result": "normal",
                "result_on": days_ago(1).isoformat(),
                "reports_sex": "on",
            },
        )
        test.refresh_from_db()
        self.assertTrue(test.reports_sex)
        self.assertEqual(len(self._alerts(AlertKind.GENETIC_TEST_SEX_REPORTED)), 1)

    def test_the_register_export_is_masked_filtered_and_logged(self) -> None:
        self._test(woman_name="周红")
        bad = self._test(facility=self.clinic, woman_name="吴丽")
        self.login(self.zhen_a)
        response = self.client.get(
            reverse("providers:genetic_test_export"), {"findings": "on"}
        )
        rows = _rows(response.content)
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1][1], "吴丽")
        self.assertEqual(rows[1][2], bad.id_number_masked)
        self.assertEqual(rows[1][-1], "无有效许可")
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.EXPORT, object_type="providers.genetictest"
            ).exists()
        )

    def test_the_keeper_files_a_licence_with_its_scan(self) -> None:
        self.login(self.health_a)
        response = self.client.post(
            reverse("providers:licence_create"),
            {
                "facility": self.clinic.pk,
                "number": "黔产筛字2026-07",
                "scope": "screening",
                "valid_from": days_ago(1).isoformat(),
                "valid_to": days_ago(-700).isoformat(),
                "scan": pdf_upload("许可.pdf"),
            },
        )
        self.assertRedirects(response, reverse("providers:licence_list"))
        licence = PrenatalLicence.objects.get(number="黔产筛字2026-07")
        listed = self.client.get(reverse("providers:licence_list"))
        self.assertContains(listed, "黔产筛字2026-07")
        scan = self.client.get(reverse("providers:licence_file", args=[licence.pk]))
        self.assertEqual(scan.status_code, 200)
        rows = _rows(self.client.get(reverse("providers:licence_export")).content)
        self.assertEqual(len(rows), 3)

    @covers_scope(
        "providers:genetic_test_list",
        "providers:genetic_test_export",
        "providers:genetic_test_create",
        "providers:genetic_test_detail",
        "providers:genetic_test_result",
        "providers:licence_list",
        "providers:licence_export",
        "providers:licence_create",
        "providers:licence_file",
    )
    def test_another_township_or_county_gets_404(self) -> None:
        test = self._test(facility=self.clinic)
        (alert,) = self._alerts(AlertKind.GENETIC_TEST_UNLICENSED)
        for user in (self.zhen_b, self.other_xian):
            self.login(user)
            for url in (
                reverse("providers:genetic_test_detail", args=[test.pk]),
                reverse("providers:licence_file", args=[self.licence.pk]),
                reverse("alerts:alert_detail", args=[alert.pk]),
            ):
                self.assertEqual(self.client.get(url).status_code, 404, (user, url))
            self.assertEqual(
                self.client.post(
                    reverse("providers:genetic_test_result", args=[test.pk]),
                    {"result": "normal", "result_on": days_ago(1).isoformat()},
                ).status_code,
                404,
            )
            self.assertNotContains(
                self.client.get(reverse("providers:genetic_test_list")), "陈芳"
            )
            self.assertNotContains(
                self.client.get(reverse("providers:licence_list")), "黔产诊字"
            )
        self.login(self.cun_a)
        for name in ("genetic_test_list", "licence_list", "licence_create"):
            self.assertEqual(
                self.client.get(reverse(f"providers:{name}")).status_code, 404
            )
        test.refresh_from_db()
        self.assertEqual(test.result, "pending")
