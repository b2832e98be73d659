"""The facility delivery register (issue 17 item 2): the service, its rules, and the
clerk's pages scoped to her facility."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.utils import timezone

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
            ({"mother_id_number": bad_check}, "id_number"),
            ({"mother_id_number": male}, "id_number"),
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
