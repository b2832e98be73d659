"""The facility delivery register (issue 17 item 2): the service, its rules, and the
clerk's pages scoped to her facility."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from srbgov.accounts.models import Role, User
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.people.identity import make_number
from srbgov.providers.models import (
    ChildOutcome,
    DeliveryChild,
    DeliverySource,
    Facility,
    FacilityDelivery,
)
from srbgov.providers.services import (
    ChildData,
    assign_facility_clerk,
    record_facility_delivery,
)
from srbgov.providers.tests.builders import make_facility
from srbgov.testing import (
    BaseTestCase,
    covers_scope,
    make_id_number,
    make_user,
    make_woman,
)

DELIVERED = date(2026, 5, 10)


class DeliveryServiceTests(BaseTestCase):
    facility: ClassVar[Facility]
    pharmacy: ClassVar[Facility]
    clerk: ClassVar[User]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.facility = make_facility(by=cls.health_a, area=cls.town_a)
        cls.pharmacy = make_facility(
            by=cls.health_a, area=cls.town_a, name="甲镇药店", kind="pharmacy"
        )
        cls.clerk = make_user("clerk_a", Role.FACILITY_CLERK, cls.town_a)
        assign_facility_clerk(by=cls.health_a, clerk=cls.clerk, facility=cls.facility)

    def _record(self, **overrides: object) -> FacilityDelivery:
        values: dict[str, object] = {
            "facility": self.facility,
            "recorded_by": self.clerk,
            "mother_id_number": make_id_number(),
            "mother_name": "张丽",
            "delivered_on": DELIVERED,
            "children": [ChildData(sex="F", birth_certificate_number="Q520000001")],
            "source": DeliverySource.CLERK,
        }
        values.update(overrides)
        return record_facility_delivery(**values)  # type: ignore[arg-type]

    def test_it_links_the_registry_woman_and_takes_her_village(self) -> None:
        number = make_id_number()
        woman = make_woman(by=self.cun_a, village=self.village_a, id_number=number)
        delivery = self._record(mother_id_number=number, mother_name="")
        self.assertEqual(delivery.woman, woman)
        self.assertEqual(delivery.woman_name, woman.name)
        self.assertEqual(delivery.village, self.village_a)
        self.assertEqual(delivery.mother_birth_on, date(1995, 3, 8))
        self.assertNotIn(number, delivery.id_number_encrypted)
        self.assertEqual(delivery.id_number_masked, number[:6] + "*" * 12)
        self.assertEqual(delivery.id_number_hash, woman.id_number_hash)

    def test_it_keeps_a_mother_unknown_to_the_registry_with_her_village_code(
        self,
    ) -> None:
        delivery = self._record(village_code=self.village_c.code)
        self.assertIsNone(delivery.woman)
        self.assertEqual(delivery.village, self.village_c)

    def test_it_records_twins_in_order_and_audits_once(self) -> None:
        delivery = self._record(
            children=[
                ChildData(sex="M", birth_order=2, birth_certificate_number="q1"),
                ChildData(sex="F", birth_order=3, birth_certificate_number="Q2"),
            ]
        )
        rows = list(
            DeliveryChild.objects.filter(delivery=delivery).values_list(
                "position", "sex", "birth_order", "birth_certificate_number"
            )
        )
        self.assertEqual(rows, [(1, "M", 2, "Q1"), (2, "F", 3, "Q2")])
        entry = AuditEntry.objects.get(
            object_type="providers.facilitydelivery", action=AuditAction.CREATE
        )
        self.assertEqual(entry.user, self.clerk)
        self.assertEqual(entry.detail["children"], 2)

    def test_it_refuses_bad_input_with_chinese_messages_and_saves_nothing(
        self,
    ) -> None:
        good = make_id_number()
        bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
        male = make_number("520999", date(1990, 1, 1), 3, "M")
        cases: list[tuple[dict[str, object], str]] = [
            ({"mother_id_number": bad_check}, "mother_id_number"),
            ({"mother_id_number": male}, "mother_id_number"),
            ({"facility": self.pharmacy}, "facility"),
            (
                {"delivered_on": timezone.localdate() + timedelta(days=1)},
                "delivered_on",
            ),
            ({"children": []}, "children"),
            ({"children": [ChildData(sex="X")]}, "children"),
            ({"children": [ChildData(sex="M", birth_order=0)]}, "children"),
            (
                {
                    "children": [
                        ChildData(
                            sex="M",
                            outcome=ChildOutcome.STILLBIRTH,
                            birth_certificate_number="Q9",
                        )
                    ]
                },
                "children",
            ),
            ({"village_code": "520999999999"}, "village_code"),
        ]
        for overrides, field in cases:
            with self.subTest(field=field, overrides=overrides):
                with self.assertRaises(ValidationError) as caught:
                    self._record(**overrides)
                self.assertIn(field, caught.exception.message_dict)
                message = " ".join(caught.exception.message_dict[field])
                self.assertRegex(message, r"[\u4e00-\u9fff]")
        self.assertFalse(FacilityDelivery.objects.exists())
        self.assertFalse(DeliveryChild.objects.exists())

    def test_it_refuses_the_same_delivery_twice_and_a_reused_certificate(
        self,
    ) -> None:
        number = make_id_number()
        self._record(mother_id_number=number)
        with self.assertRaises(ValidationError):
            self._record(mother_id_number=number, children=[ChildData(sex="M")])
        with self.assertRaises(ValidationError):
            self._record(
                children=[ChildData(sex="M", birth_certificate_number="Q520000001")]
            )
        self.assertEqual(FacilityDelivery.objects.count(), 1)

    def test_a_retried_submission_key_saves_one_delivery(self) -> None:
        key = uuid.uuid4()
        first = self._record(submission_key=key, source=DeliverySource.API)
        again = self._record(submission_key=key, source=DeliverySource.API)
        self.assertEqual(first.pk, again.pk)
        self.assertEqual(FacilityDelivery.objects.count(), 1)
        with self.assertRaises(ValidationError):
            self._record(submission_key=key, recorded_by=self.health_a)


def _rows(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


class DeliveryPageTests(BaseTestCase):
    facility: ClassVar[Facility]
    far: ClassVar[Facility]
    clerk: ClassVar[User]
    far_clerk: ClassVar[User]
    here: ClassVar[FacilityDelivery]
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
        cls.here = record_facility_delivery(
            facility=cls.facility,
            recorded_by=cls.clerk,
            mother_id_number=make_id_number(),
            mother_name="赵敏",
            delivered_on=DELIVERED,
            children=[ChildData(sex="M", birth_order=1)],
            village_code=cls.village_a.code,
        )
        # A 甲镇 mother who delivered at 乙镇's health center.
        cls.away = record_facility_delivery(
            facility=cls.far,
            recorded_by=cls.far_clerk,
            mother_id_number=make_id_number(),
            mother_name="钱红",
            delivered_on=DELIVERED,
            children=[ChildData(sex="F")],
            village_code=cls.village_b.code,
        )

    def test_the_clerk_records_a_delivery_through_the_form(self) -> None:
        self.login(self.clerk)
        number = make_id_number()
        form = self.client.get(reverse("providers:delivery_create"))
        key = form.context["form"]["submission_key"].value()
        data = {
            "facility": self.facility.pk,
            "mother_name": "孙倩",
            "mother_id_number": number,
            "village_code": self.village_a.code,
            "delivered_on": "2026-05-20",
            "child1_sex": "F",
            "child1_outcome": "live",
            "child1_birth_order": "2",
            "child1_certificate": "Q77",
            "child2_sex": "F",
            "child2_outcome": "stillbirth",
            "submission_key": str(key),
        }
        response = self.client.post(reverse("providers:delivery_create"), data)
        entry = FacilityDelivery.objects.get(woman_name="孙倩")
        self.assertRedirects(
            response, reverse("providers:delivery_detail", args=[entry.pk])
        )
        # A double tap saves one delivery.
        self.client.post(reverse("providers:delivery_create"), data)
        self.assertEqual(FacilityDelivery.objects.filter(woman_name="孙倩").count(), 1)
        self.assertEqual(
            list(entry.children.values_list("sex", "outcome", "birth_order")),
            [("F", "live", 2), ("F", "stillbirth", None)],
        )
        page = self.client.get(reverse("providers:delivery_detail", args=[entry.pk]))
        self.assertContains(page, entry.id_number_masked)
        self.assertNotContains(page, number)

    def test_a_bad_number_is_shown_beside_its_field(self) -> None:
        self.login(self.clerk)
        response = self.client.post(
            reverse("providers:delivery_create"),
            {
                "facility": self.facility.pk,
                "mother_name": "孙倩",
                "mother_id_number": "520999199503081234",
                "delivered_on": "2026-05-20",
                "child1_sex": "F",
                "child1_outcome": "live",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["mother_id_number"])
        self.assertFalse(FacilityDelivery.objects.filter(woman_name="孙倩").exists())

    def test_each_user_sees_the_entries_of_her_scope_only(self) -> None:
        url = reverse("providers:delivery_list")
        seen = {}
        for user in (self.clerk, self.far_clerk, self.zhen_a, self.zhen_b, self.xian):
            self.login(user)
            page = self.client.get(url)
            seen[user.username] = {e.pk for e in page.context["page"].object_list}
        self.assertEqual(seen["clerk_a"], {self.here.pk})
        self.assertEqual(seen["clerk_b"], {self.away.pk})
        # 甲镇 sees its facility's entry and its mother's delivery at 乙镇.
        self.assertEqual(seen["zhen_a"], {self.here.pk, self.away.pk})
        self.assertEqual(seen["zhen_b"], {self.away.pk})
        self.assertEqual(seen["xian"], {self.here.pk, self.away.pk})

    @covers_scope(
        "providers:delivery_detail",
        "providers:delivery_list",
        "providers:delivery_export",
        "providers:delivery_create",
    )
    def test_outsiders_get_404(self) -> None:
        detail = reverse("providers:delivery_detail", args=[self.here.pk])
        for user in (self.far_clerk, self.zhen_b, self.other_xian, self.cun_a):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(detail).status_code, 404)
        self.login(self.cun_a)
        for name in ("delivery_list", "delivery_export", "delivery_create"):
            url = reverse(f"providers:{name}")
            self.assertEqual(self.client.get(url).status_code, 404)
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.DENIED, object_type="providers.facilitydelivery"
            ).exists()
        )

    def test_the_detail_is_a_logged_read(self) -> None:
        self.login(self.zhen_a)
        url = reverse("providers:delivery_detail", args=[self.here.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.READ,
                object_type="providers.facilitydelivery",
                object_id=str(self.here.pk),
                user=self.zhen_a,
            ).exists()
        )

    def test_the_export_matches_the_filtered_list_and_is_logged(self) -> None:
        self.login(self.zhen_a)
        response = self.client.get(reverse("providers:delivery_export"), {"q": "赵敏"})
        rows = _rows(response.content)
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1][1], "赵敏")
        self.assertEqual(rows[1][2], self.here.id_number_masked)
        self.assertEqual(rows[1][5], "男")
        entry = AuditEntry.objects.get(
            action=AuditAction.EXPORT, object_type="providers.facilitydelivery"
        )
        self.assertEqual(entry.detail["rows"], 1)
