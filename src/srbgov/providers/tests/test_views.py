"""Provider registries as the health center, township, county and facility clerk use
them; every route answers 404 outside the user's area and to roles without it."""

from __future__ import annotations

import io
import tempfile
from typing import ClassVar

from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from srbgov.accounts.models import Role, User
from srbgov.alerts.models import Alert, AlertKind
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.providers import services
from srbgov.providers.models import (
    Facility,
    FacilityClerk,
    FacilityKind,
    Pledge,
    PractitionerKind,
    TerminationRecord,
    TerminationVerification,
    UltrasoundDevice,
)
from srbgov.providers.tests.builders import (
    days_ago,
    make_facility,
    make_practitioner,
    make_verification,
    pdf_upload,
)
from srbgov.testing import BaseTestCase, covers_scope, make_id_number, make_user

MEDIA = tempfile.mkdtemp(prefix="srbgov-test-private-")

LIST_ROUTES = [
    "providers:facility_list",
    "providers:facility_export",
    "providers:facility_create",
    "providers:device_export",
    "providers:practitioner_export",
    "providers:gap_list",
    "providers:gap_export",
    "providers:termination_list",
    "providers:termination_export",
    "providers:termination_create",
    "providers:verification_list",
    "providers:verification_create",
    "providers:drug_export",
]


def read_xlsx(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@override_settings(PRIVATE_MEDIA_ROOT=MEDIA)
class ProviderViewTests(BaseTestCase):
    facility: ClassVar[Facility]
    device: ClassVar[UltrasoundDevice]
    pledge: ClassVar[Pledge]
    entry: ClassVar[TerminationRecord]
    verification: ClassVar[TerminationVerification]
    clerk: ClassVar[User]
    other_clerk: ClassVar[User]
    number: ClassVar[str]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.facility = make_facility(by=cls.health_a, area=cls.town_a)
        other = make_facility(
            by=cls.health_a,
            area=cls.town_a,
            name="甲镇仁爱诊所",
            kind=FacilityKind.CLINIC,
        )
        cls.device = services.save_device(
            by=cls.health_a,
            facility=cls.facility,
            model_name="DC-70",
            serial_number="SN-1",
        )
        operator = make_practitioner(by=cls.health_a, facility=cls.facility)
        cls.pledge = services.record_pledge(
            by=cls.health_a,
            facility=cls.facility,
            practitioner=operator,
            signed_on=days_ago(30),
            expires_on=days_ago(-30),
            scan=pdf_upload("责任书.pdf"),
        )
        cls.number = make_id_number()
        cls.entry = services.record_termination(
            by=cls.health_a,
            facility=cls.facility,
            woman_name="孙丽",
            id_number=cls.number,
            terminated_on=days_ago(2),
            gestational_weeks=16,
            method="induction",
            operator=operator,
            medical_reason="胎儿畸形",
        )
        cls.verification = make_verification(
            by=cls.health_a,
            facility=cls.facility,
            name="孙丽",
            id_number=make_id_number(),
        )
        cls.clerk = make_user("clerk_a", Role.FACILITY_CLERK, cls.town_a)
        FacilityClerk.objects.create(user=cls.clerk, facility=cls.facility)
        cls.other_clerk = make_user("clerk_b", Role.FACILITY_CLERK, cls.town_a)
        FacilityClerk.objects.create(user=cls.other_clerk, facility=other)

    def object_routes(self) -> list[tuple[str, str, int]]:
        f, d, e, v = (
            self.facility.pk,
            self.device.pk,
            self.entry.pk,
            self.verification.pk,
        )
        return [
            ("get", "providers:facility_detail", f),
            ("get", "providers:facility_edit", f),
            ("get", "providers:device_create", f),
            ("get", "providers:device_edit", d),
            ("get", "providers:device_operator_add", d),
            ("get", "providers:practitioner_create", f),
            ("get", "providers:practitioner_detail", self.pledge.practitioner_id or 0),
            ("get", "providers:practitioner_edit", self.pledge.practitioner_id or 0),
            ("get", "providers:pledge_create", f),
            ("get", "providers:pledge_file", self.pledge.pk),
            ("get", "providers:termination_detail", e),
            ("get", "providers:verification_detail", v),
            ("post", "providers:verification_review", v),
            ("post", "providers:verification_certify", v),
            ("get", "providers:verification_file", v),
            ("get", "providers:drug_ledger", f),
            ("get", "providers:drug_purchase_create", f),
            ("get", "providers:drug_dispensing_create", f),
        ]

    def status(self, user: User, method: str, name: str, pk: int | None = None) -> int:
        self.client.force_login(user)
        url = reverse(name, args=[pk] if pk is not None else [])
        return (
            self.client.post(url) if method == "post" else self.client.get(url)
        ).status_code

    @covers_scope(
        *LIST_ROUTES,
        "providers:facility_detail",
        "providers:facility_edit",
        "providers:device_create",
        "providers:device_edit",
        "providers:device_operator_add",
        "providers:practitioner_create",
        "providers:practitioner_detail",
        "providers:practitioner_edit",
        "providers:pledge_create",
        "providers:pledge_file",
        "providers:termination_detail",
        "providers:verification_detail",
        "providers:verification_review",
        "providers:verification_certify",
        "providers:verification_file",
        "providers:drug_ledger",
        "providers:drug_purchase_create",
        "providers:drug_dispensing_create",
        "providers:drug_item_create",
    )
    def test_outsiders_and_roles_without_the_registry_get_404(self) -> None:
        for user in (self.zhen_b, self.other_xian, self.other_clerk):
            for method, name, pk in self.object_routes():
                self.assertEqual(self.status(user, method, name, pk), 404, (user, name))
        for user in (self.cun_a, self.police_a, self.auditor, self.admin, self.tips):
            for name in [*LIST_ROUTES, "providers:drug_item_create"]:
                self.assertEqual(self.status(user, "get", name), 404, (user, name))
            for method, name, pk in self.object_routes():
                self.assertEqual(self.status(user, method, name, pk), 404, (user, name))
        # Another township's lists exist for its officer but hold nothing of 甲镇.
        self.client.force_login(self.zhen_b)
        self.assertNotContains(
            self.client.get(reverse("providers:facility_list")), "甲镇卫生院"
        )
        self.assertNotContains(
            self.client.get(reverse("providers:termination_list")), "孙丽"
        )
        self.assertEqual(
            self.status(self.health_a, "get", "providers:drug_item_create"), 404
        )
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.DENIED, username="zhen_b"
            ).exists()
        )

    def test_in_scope_users_open_every_page(self) -> None:
        for user in (self.health_a, self.zhen_a, self.xian):
            for name in LIST_ROUTES:
                self.assertEqual(self.status(user, "get", name), 200, (user, name))
            for method, name, pk in self.object_routes():
                if method == "get":
                    self.assertEqual(
                        self.status(user, method, name, pk), 200, (user, name)
                    )

    def test_the_clerk_keeps_her_facility_register_and_ledger_only(self) -> None:
        self.client.force_login(self.clerk)
        for name in (
            "providers:facility_detail",
            "providers:drug_ledger",
            "providers:drug_dispensing_create",
        ):
            self.assertEqual(
                self.client.get(reverse(name, args=[self.facility.pk])).status_code,
                200,
                name,
            )
        self.assertContains(
            self.client.get(reverse("providers:termination_list")), "孙丽"
        )
        for name in (
            "providers:facility_edit",
            "providers:device_create",
            "providers:pledge_create",
        ):
            self.assertEqual(
                self.client.get(reverse(name, args=[self.facility.pk])).status_code,
                404,
                name,
            )
        self.client.force_login(self.other_clerk)
        self.assertNotContains(
            self.client.get(reverse("providers:termination_list")), "孙丽"
        )
        self.assertNotContains(
            self.client.get(reverse("providers:facility_list")), "甲镇卫生院"
        )

    def test_a_clerk_without_a_facility_sees_nothing(self) -> None:
        lost = make_user("clerk_none", Role.FACILITY_CLERK, self.town_a)
        self.assertEqual(self.status(lost, "get", "providers:termination_list"), 404)

    def test_the_register_exports_masked_numbers_and_is_logged(self) -> None:
        self.client.force_login(self.zhen_a)
        response = self.client.get(reverse("providers:termination_export"))
        rows = read_xlsx(response.content)
        self.assertEqual(rows[0][:3], ("机构", "姓名", "身份证号码"))
        self.assertEqual(rows[1][1:3], ("孙丽", self.number[:6] + "*" * 12))
        self.assertNotIn(self.number.encode(), response.content)
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.EXPORT, username="zhen_a"
            ).exists()
        )

    def test_every_export_reads_back(self) -> None:
        self.client.force_login(self.health_a)
        expected = {
            "providers:facility_export": "甲镇卫生院",
            "providers:device_export": "SN-1",
            "providers:practitioner_export": "李医生",
            "providers:gap_export": "B超设备未备案操作人员",
            "providers:drug_export": None,
        }
        for name, text in expected.items():
            rows = read_xlsx(self.client.get(reverse(name)).content)
            self.assertGreaterEqual(len(rows), 1, name)
            if text:
                self.assertIn(text, [str(c) for r in rows for c in r], name)

    def test_the_facility_page_shows_gaps_and_the_week_histogram(self) -> None:
        self.client.force_login(self.health_a)
        response = self.client.get(
            reverse("providers:facility_detail", args=[self.facility.pk])
        )
        self.assertContains(response, "B超设备未备案操作人员")
        self.assertContains(response, "其中孕14–24周 1 例")
        self.assertContains(response, "尚无在本机构接生的出生记录")

    def test_recording_through_the_form_alerts_on_a_late_entry(self) -> None:
        self.client.force_login(self.health_a)
        operator = self.facility.practitioners.get(kind=PractitionerKind.TERMINATION)
        response = self.client.post(
            reverse("providers:termination_create"),
            {
                "woman_name": "周梅",
                "id_number": make_id_number(),
                "facility": self.facility.pk,
                "terminated_on": days_ago(1).isoformat(),
                "gestational_weeks": 20,
                "method": "induction",
                "operator": operator.pk,
                "medical_reason": "胎儿畸形",
            },
            follow=True,
        )
        self.assertContains(response, "已发出预警")
        entry = TerminationRecord.objects.get(woman_name="周梅")
        self.assertTrue(
            Alert.objects.filter(
                kind=AlertKind.LATE_TERMINATION_UNAPPROVED, subject_id=str(entry.pk)
            ).exists()
        )

    def test_a_pharmacy_sale_is_recorded_through_the_form_and_alerts(self) -> None:
        pharmacy = make_facility(
            by=self.health_a,
            area=self.town_a,
            name="康民大药房",
            kind=FacilityKind.PHARMACY,
        )
        drug = services.drugs_for(self.town_a).first()
        assert drug is not None
        self.client.force_login(self.health_a)
        self.client.post(
            reverse("providers:drug_dispensing_create", args=[pharmacy.pk]),
            {
                "woman_name": "钱芳",
                "id_number": make_id_number(),
                "drug": drug.pk,
                "quantity": 1,
                "dispensed_on": days_ago(0).isoformat(),
            },
        )
        self.assertTrue(
            Alert.objects.filter(kind=AlertKind.DRUG_SOLD_AT_PHARMACY).exists()
        )
