"""Register entries to complete (issue 16 item 1, docs/homes.md): the birth certificate
number of a live-born child, filled in at the facility after the delivery was entered;
the health center's and the clerk's home count what is missing and link to it."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.urls import reverse

from srbgov.accounts.models import Role, User
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.core.home import HomeRow
from srbgov.providers.models import DeliveryChild, Facility, FacilityDelivery
from srbgov.providers.services import (
    ChildData,
    assign_facility_clerk,
    record_facility_delivery,
)
from srbgov.providers.tests.builders import make_facility
from srbgov.testing import BaseTestCase, covers_scope, make_id_number, make_user

DELIVERED = date(2026, 5, 10)


class DeliveryCertificateTests(BaseTestCase):
    facility: ClassVar[Facility]
    far: ClassVar[Facility]
    clerk: ClassVar[User]
    far_clerk: ClassVar[User]
    twins: ClassVar[FacilityDelivery]
    away: ClassVar[FacilityDelivery]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.facility = make_facility(by=cls.health_a, area=cls.town_a)
        cls.far = make_facility(by=cls.xian, area=cls.town_b, name="乙镇卫生院")
        cls.clerk = make_user("clerk_a", Role.FACILITY_CLERK, cls.town_a)
        cls.far_clerk = make_user("clerk_b", Role.FACILITY_CLERK, cls.town_b)
        assign_facility_clerk(by=cls.health_a, clerk=cls.clerk, facility=cls.facility)
        assign_facility_clerk(by=cls.xian, clerk=cls.far_clerk, facility=cls.far)
        # Twins at 甲镇: the girl's certificate is still to come, the boy was stillborn.
        cls.twins = record_facility_delivery(
            facility=cls.facility,
            recorded_by=cls.clerk,
            mother_id_number=make_id_number(),
            mother_name="赵敏",
            delivered_on=DELIVERED,
            children=[ChildData(sex="F"), ChildData(sex="M", outcome="stillbirth")],
            village_code=cls.village_a.code,
        )
        record_facility_delivery(
            facility=cls.facility,
            recorded_by=cls.clerk,
            mother_id_number=make_id_number(),
            mother_name="孙倩",
            delivered_on=DELIVERED,
            children=[ChildData(sex="M", birth_certificate_number="Q520000009")],
            village_code=cls.village_a.code,
        )
        # A 甲镇 mother who delivered at 乙镇: 甲镇 sees the entry, 乙镇 completes it.
        cls.away = record_facility_delivery(
            facility=cls.far,
            recorded_by=cls.far_clerk,
            mother_id_number=make_id_number(),
            mother_name="钱红",
            delivered_on=DELIVERED,
            children=[ChildData(sex="F")],
            village_code=cls.village_b.code,
        )

    def home_rows(self, user: User) -> list[HomeRow]:
        self.login(user)
        page = self.client.get(reverse("core:home"))
        self.assertEqual(page.status_code, 200)
        found = {
            item.key: rows
            for section in page.context["sections"]
            for item, rows in section.items
        }
        rows: list[HomeRow] = found.get("providers_entries_to_complete", [])
        return rows

    def listed(self, url: str) -> set[int]:
        page = self.client.get(url)
        return {e.pk for e in page.context["page"].paginator.object_list}

    def fill(self, entry: FacilityDelivery, position: int, number: str) -> int:
        response = self.client.post(
            reverse("providers:delivery_certificate", args=[entry.pk]),
            {"child": position, "number": number},
        )
        return response.status_code

    def test_the_clerk_sees_what_to_complete_and_completes_it(self) -> None:
        (row,) = self.home_rows(self.clerk)
        self.assertEqual(row.value, 1)
        self.assertEqual(self.listed(row.url), {self.twins.pk})
        detail = self.client.get(
            reverse("providers:delivery_detail", args=[self.twins.pk])
        )
        # One form: for the live-born girl, not for the stillborn boy.
        self.assertContains(detail, 'name="number"', count=1)

        self.assertEqual(self.fill(self.twins, 1, " Q520000123 "), 302)
        girl = DeliveryChild.objects.get(delivery=self.twins, position=1)
        self.assertEqual(girl.birth_certificate_number, "Q520000123")
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.UPDATE,
                object_type="providers.facilitydelivery",
                object_id=str(self.twins.pk),
            ).exists()
        )
        (row,) = self.home_rows(self.clerk)
        self.assertEqual(row.value, 0)
        self.assertEqual(self.listed(row.url), set())

    def test_a_recorded_number_and_a_stillbirth_are_not_filled(self) -> None:
        self.login(self.clerk)
        self.fill(self.twins, 1, "Q1")
        self.fill(self.twins, 1, "Q2")
        self.fill(self.twins, 2, "Q3")
        self.fill(self.twins, 1, "   ")
        numbers = dict(
            DeliveryChild.objects.filter(delivery=self.twins).values_list(
                "position", "birth_certificate_number"
            )
        )
        self.assertEqual(numbers, {1: "Q1", 2: ""})

    def test_the_health_center_completes_its_facilities_only(self) -> None:
        (row,) = self.home_rows(self.health_a)
        self.assertEqual(row.value, 1)
        # 甲镇 sees its mother's delivery at 乙镇 in the register, not as its work.
        self.assertIn(self.away.pk, self.listed(reverse("providers:delivery_list")))
        self.assertEqual(self.listed(row.url), {self.twins.pk})
        detail = self.client.get(
            reverse("providers:delivery_detail", args=[self.away.pk])
        )
        self.assertNotContains(detail, 'name="number"')
        self.assertEqual(self.fill(self.away, 1, "Q9"), 404)
        self.assertEqual(
            DeliveryChild.objects.get(delivery=self.away).birth_certificate_number, ""
        )
        # Refused as any other 404: the auditor sees the attempt.
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.DENIED,
                user=self.health_a,
                object_type="providers.facilitydelivery",
                object_id=str(self.away.pk),
            ).exists()
        )

    def test_a_number_already_on_file_is_refused_whatever_its_case(self) -> None:
        # Stored upper-case as the entry form stores it, so the unique constraint
        # sees q520000009 as the boy's Q520000009.
        self.login(self.clerk)
        self.assertEqual(self.fill(self.twins, 1, "q520000009"), 302)
        self.assertEqual(
            DeliveryChild.objects.get(
                delivery=self.twins, position=1
            ).birth_certificate_number,
            "",
        )
        self.assertEqual(self.fill(self.twins, 1, "q520000124"), 302)
        self.assertEqual(
            DeliveryChild.objects.get(
                delivery=self.twins, position=1
            ).birth_certificate_number,
            "Q520000124",
        )

    @covers_scope("providers:delivery_certificate")
    def test_outsiders_get_404(self) -> None:
        for user in (self.far_clerk, self.zhen_b, self.other_xian, self.cun_a):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.fill(self.twins, 1, "Q9"), 404)
        self.assertEqual(
            DeliveryChild.objects.get(
                delivery=self.twins, position=1
            ).birth_certificate_number,
            "",
        )

    def test_only_the_register_keepers_get_the_item(self) -> None:
        self.assertEqual(self.home_rows(self.zhen_a), [])
        self.assertEqual(self.home_rows(self.cun_a), [])
        # A clerk not yet linked to a facility has a home without it, not a 404.
        loose = make_user("clerk_c", Role.FACILITY_CLERK, self.town_a)
        self.assertEqual(self.home_rows(loose), [])
