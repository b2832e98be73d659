"""Priority villages and units (issue 17 item 6): designation, renewal and ending by
the township officer (audited), the typed read the scorecards use, the marks on the
village and facility lists and the scorecard, overdue reviews, and 404 outside."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.providers.models import Facility, PriorityDesignation
from srbgov.providers.services import (
    designate_priority,
    end_priority,
    overdue_reviews,
    priority_facility_ids,
    priority_village_ids,
    renew_priority,
)
from srbgov.providers.tests.builders import make_facility
from srbgov.testing import BaseTestCase, covers_scope


def _rows(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


class PriorityWorld(BaseTestCase):
    facility: ClassVar[Facility]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.facility = make_facility(by=cls.health_a, area=cls.town_a)

    def _designate(self, **kw: object) -> PriorityDesignation:
        today = timezone.localdate()
        values: dict[str, object] = {
            "by": self.zhen_a,
            "reason": "近三年出生性别比偏高",
            "designated_on": today - timedelta(days=30),
            "review_on": today + timedelta(days=335),
            "village": self.village_a,
        }
        values.update(kw)
        return designate_priority(**values)  # type: ignore[arg-type]


class PriorityServiceTests(PriorityWorld):
    def test_a_designated_village_is_a_priority_village_from_its_date(self) -> None:
        entry = self._designate()
        today = timezone.localdate()
        self.assertEqual(entry.township, self.town_a)
        self.assertEqual(
            priority_village_ids(area=self.town_a, on=today), {self.village_a.pk}
        )
        self.assertEqual(
            priority_village_ids(area=self.county, on=today), {self.village_a.pk}
        )
        # Not before it was designated, not in another township.
        self.assertEqual(
            priority_village_ids(area=self.town_a, on=today - timedelta(days=31)), set()
        )
        self.assertEqual(priority_village_ids(area=self.town_b, on=today), set())
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.CREATE, object_id=str(entry.pk)
            ).exists()
        )

    def test_a_unit_is_a_priority_facility(self) -> None:
        self._designate(village=None, facility=self.facility)
        today = timezone.localdate()
        self.assertEqual(
            priority_facility_ids(area=self.town_a, on=today), {self.facility.pk}
        )
        self.assertEqual(priority_village_ids(area=self.town_a, on=today), set())

    def test_a_village_of_another_township_cannot_be_designated(self) -> None:
        with self.assertRaises(ValidationError):
            self._designate(village=self.village_c)
        self.assertFalse(PriorityDesignation.objects.exists())

    def test_a_reason_and_a_later_review_date_are_required(self) -> None:
        with self.assertRaises(ValidationError):
            self._designate(reason="  ")
        today = timezone.localdate()
        with self.assertRaises(ValidationError):
            self._designate(designated_on=today, review_on=today)

    def test_a_village_is_designated_once_while_in_force(self) -> None:
        self._designate()
        with self.assertRaises(ValidationError):
            self._designate()
        self.assertEqual(PriorityDesignation.objects.count(), 1)

    def test_ending_keeps_the_record_and_ends_the_mark(self) -> None:
        entry = self._designate()
        today = timezone.localdate()
        end_priority(by=self.zhen_a, designation=entry, ended_on=today, reason="已整改")
        entry.refresh_from_db()
        self.assertEqual(entry.ended_on, today)
        self.assertEqual(priority_village_ids(area=self.town_a, on=today), set())
        # It was a priority village yesterday, and may be designated again.
        yesterday = today - timedelta(days=1)
        self.assertEqual(
            priority_village_ids(area=self.town_a, on=yesterday), {self.village_a.pk}
        )
        self._designate(designated_on=today)
        with self.assertRaises(ValidationError):
            renew_priority(
                by=self.zhen_a, designation=entry, review_on=today + timedelta(days=9)
            )

    def test_overdue_reviews_and_renewal(self) -> None:
        today = timezone.localdate()
        entry = self._designate(
            designated_on=today - timedelta(days=400),
            review_on=today - timedelta(days=1),
        )
        self._designate(village=self.village_b)  # review in the future
        self.assertEqual(list(overdue_reviews(area=self.town_a, today=today)), [entry])
        self.assertEqual(list(overdue_reviews(area=self.town_b, today=today)), [])
        renew_priority(
            by=self.zhen_a, designation=entry, review_on=today + timedelta(days=180)
        )
        self.assertEqual(list(overdue_reviews(area=self.town_a, today=today)), [])
        change = AuditEntry.objects.filter(
            action=AuditAction.UPDATE, object_id=str(entry.pk)
        ).get()
        self.assertTrue(change.detail["renewed"])


class PriorityPageTests(PriorityWorld):
    def test_the_officer_designates_on_the_page_and_sees_the_marks(self) -> None:
        today = timezone.localdate()
        self.login(self.zhen_a)
        response = self.client.post(
            reverse("providers:priority_create"),
            {
                "village": self.village_b.pk,
                "reason": "中介活动线索较多",
                "designated_on": today.isoformat(),
                "review_on": (today + timedelta(days=90)).isoformat(),
            },
        )
        entry = PriorityDesignation.objects.get()
        self.assertRedirects(
            response, reverse("providers:priority_detail", args=[entry.pk])
        )
        villages = self.client.get(reverse("providers:village_list"))
        self.assertContains(villages, "中介活动线索较多")
        rows = _rows(self.client.get(reverse("providers:village_export")).content)
        marks = {r[1]: r[3] for r in rows[1:]}
        self.assertEqual(marks, {"一村": "否", "二村": "是"})
        # The scorecard marks it too (page and sheet).
        card = self.client.get(reverse("assessment:scorecard"))
        self.assertContains(card, 'class="badge priority"', count=1)
        sheet = _rows(self.client.get(reverse("assessment:scorecard_export")).content)
        column = list(sheet[0]).index("重点村")
        self.assertEqual({r[0]: r[column] for r in sheet[1:]}["二村"], "是")
        self.assertEqual({r[0]: r[column] for r in sheet[1:]}["一村"], None)

    def test_the_facility_list_and_sheet_mark_priority_units(self) -> None:
        self._designate(village=None, facility=self.facility)
        make_facility(
            by=self.health_a, area=self.town_a, name="甲镇诊所", kind="clinic"
        )
        self.login(self.health_a)
        rows = _rows(self.client.get(reverse("providers:facility_export")).content)
        column = list(rows[0]).index("重点单位")
        self.assertEqual(
            {r[0]: r[column] for r in rows[1:]}, {"甲镇卫生院": "是", "甲镇诊所": "否"}
        )

    def test_the_srb_ranking_marks_priority_villages_in_force_today(self) -> None:
        today = timezone.localdate()
        self._designate()
        ended = self._designate(village=self.village_b)
        end_priority(
            by=self.zhen_a,
            designation=ended,
            ended_on=today - timedelta(days=1),
            reason="已整改",
        )
        self.login(self.zhen_a)
        page = self.client.get(reverse("monitoring:villages"))
        self.assertContains(page, 'class="badge priority"', count=1)
        self.assertContains(page, "一村 <span")
        rows = _rows(
            self.client.get(reverse("monitoring:export", args=["villages"])).content
        )
        column = list(rows[0]).index("重点村")
        self.assertEqual(
            {r[2]: r[column] for r in rows[1:]}, {"一村": "是", "二村": None}
        )
        # Another township's officer sees neither the village nor its mark.
        self.login(self.zhen_b)
        self.assertNotContains(
            self.client.get(reverse("monitoring:villages")), "badge priority"
        )

    def test_the_list_shows_overdue_reviews_and_the_officer_renews_or_ends(
        self,
    ) -> None:
        today = timezone.localdate()
        entry = self._designate(
            designated_on=today - timedelta(days=400),
            review_on=today - timedelta(days=2),
        )
        self.login(self.zhen_a)
        page = self.client.get(reverse("providers:priority_list"))
        self.assertContains(page, 'id="overdue-reviews"')
        self.client.post(
            reverse("providers:priority_renew", args=[entry.pk]),
            {
                "review_on": (today + timedelta(days=100)).isoformat(),
                "note": "仍需重点",
            },
        )
        page = self.client.get(reverse("providers:priority_list"))
        self.assertNotContains(page, 'id="overdue-reviews"')
        self.client.post(
            reverse("providers:priority_end", args=[entry.pk]),
            {"ended_on": today.isoformat(), "reason": "已整改到位"},
        )
        entry.refresh_from_db()
        self.assertEqual(entry.end_reason, "已整改到位")

    def test_the_health_center_reads_but_cannot_designate(self) -> None:
        entry = self._designate()
        self.login(self.health_a)
        self.assertEqual(
            self.client.get(
                reverse("providers:priority_detail", args=[entry.pk])
            ).status_code,
            200,
        )
        self.assertEqual(
            self.client.get(reverse("providers:priority_create")).status_code, 404
        )
        self.client.post(
            reverse("providers:priority_end", args=[entry.pk]),
            {"ended_on": timezone.localdate().isoformat(), "reason": "x"},
        )
        entry.refresh_from_db()
        self.assertIsNone(entry.ended_on)

    @covers_scope(
        "providers:priority_list",
        "providers:priority_export",
        "providers:priority_create",
        "providers:priority_detail",
        "providers:priority_renew",
        "providers:priority_end",
        "providers:village_list",
        "providers:village_export",
    )
    def test_another_township_county_or_village_gets_404(self) -> None:
        entry = self._designate()
        for user in (self.zhen_b, self.other_xian):
            self.login(user)
            for name in ("priority_detail", "priority_renew", "priority_end"):
                method = (
                    self.client.get if name == "priority_detail" else self.client.post
                )
                self.assertEqual(
                    method(reverse(f"providers:{name}", args=[entry.pk])).status_code,
                    404,
                    (user, name),
                )
            listed = self.client.get(reverse("providers:priority_list"))
            self.assertNotContains(listed, "近三年出生性别比偏高")
            villages = self.client.get(reverse("providers:village_list"))
            self.assertNotContains(villages, "一村")
        self.login(self.cun_a)
        for name in (
            "priority_list",
            "priority_export",
            "priority_create",
            "village_list",
            "village_export",
        ):
            self.assertEqual(
                self.client.get(reverse(f"providers:{name}")).status_code, 404
            )
        entry.refresh_from_db()
        self.assertIsNone(entry.ended_on)
