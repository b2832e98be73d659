"""What people type into the registry (issue 10 items 2 and 9, docs/security.md §2, §5)."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.urls import reverse

from srbgov.audit.models import AuditEntry
from srbgov.people.models import Spouse, Woman
from srbgov.people.tests.test_views import GOOD, form_data
from srbgov.testing import BaseTestCase, covers_scope, make_id_number, make_woman

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


class TypedInputTests(BaseTestCase):
    def setUp(self) -> None:
        self.login(self.cun_a)

    def post(self, **overrides: object) -> Any:
        return self.client.post(
            reverse("people:woman_create"),
            form_data(village=self.village_a.pk, **overrides),
        )

    def test_a_number_in_arabic_indic_digits_makes_no_second_record(self) -> None:
        self.post()
        self.assertEqual(Woman.objects.count(), 1)
        response = self.post(id_number=GOOD[:17].translate(ARABIC_INDIC) + GOOD[17])
        self.assertContains(response, "半角0–9")
        self.assertEqual(Woman.objects.count(), 1)

    def test_a_number_in_full_width_digits_is_the_same_number(self) -> None:
        self.post()
        response = self.post(id_number=GOOD.translate(FULL_WIDTH))
        self.assertContains(response, "该身份证号码已登记")
        self.assertEqual(Woman.objects.count(), 1)

    def test_superscript_digits_give_a_form_error_not_a_500(self) -> None:
        response = self.post(id_number=GOOD[:5] + "²" + GOOD[6:])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "半角0–9")
        response = self.post(phone="1380013800²")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "联系电话只能填写半角数字")
        response = self.client.get(reverse("people:woman_list"), {"q": GOOD[:5] + "²"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Woman.objects.exists())

    def test_a_phone_of_letters_is_refused_and_a_written_one_is_stored_as_digits(
        self,
    ) -> None:
        response = self.post(phone="abc-def-ghij")
        self.assertContains(response, "联系电话只能填写半角数字")
        self.assertFalse(Woman.objects.exists())
        self.post(phone="+86 138-0013-8000", spouse_phone="０８５１－８１２３４５６")
        woman = Woman.objects.get()
        self.assertEqual(woman.phone, "13800138000")
        self.assertEqual(Spouse.objects.get(woman=woman).phone, "08518123456")

    def test_a_spouse_born_in_1800_or_2100_is_refused(self) -> None:
        for born in ("1800-01-01", "2100-01-01"):
            response = self.post(spouse_birth_on=born)
            self.assertContains(response, "配偶出生日期")
            self.assertContains(response, "不合理")
        self.assertFalse(Woman.objects.exists())
        self.post(spouse_birth_on="1990-02-03")
        self.assertEqual(Spouse.objects.get().birth_on, date(1990, 2, 3))

    def test_bidi_overrides_are_taken_out_of_names_and_names_shown_isolated(
        self,
    ) -> None:
        self.post(name="李\u202e秀兰", spouse_name="\u2067张伟\u2069")
        woman = Woman.objects.get()
        self.assertEqual(woman.name, "李秀兰")
        self.assertEqual(Spouse.objects.get().name, "张伟")
        page = self.client.get(reverse("people:woman_detail", args=[woman.pk]))
        self.assertContains(page, "<bdi>李秀兰</bdi>", html=False)
        listing = self.client.get(reverse("people:woman_list"))
        self.assertContains(listing, "<bdi>李秀兰</bdi>", html=False)


class ConfirmIdentityTests(BaseTestCase):
    woman: ClassVar[Woman]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.woman = make_woman(by=cls.cun_a, village=cls.village_a, id_number=GOOD)

    def confirm(self, typed: str) -> Any:
        url = reverse("people:woman_confirm_id", args=[self.woman.pk])
        return self.client.post(url, {"id_number": typed}, follow=True)

    def test_the_typed_number_is_answered_match_or_no_match_and_audited(
        self,
    ) -> None:
        self.login(self.cun_a)
        self.assertContains(self.confirm(GOOD.translate(FULL_WIDTH)), "身份证号码一致")
        other = make_id_number()
        response = self.confirm(other)
        self.assertContains(response, "身份证号码不一致")
        self.assertNotContains(response, GOOD)
        answers = [
            e.detail.get("confirm_id_number")
            for e in AuditEntry.objects.filter(
                object_type="people.woman", object_id=str(self.woman.pk)
            ).order_by("seq")
            if "confirm_id_number" in e.detail
        ]
        self.assertEqual(answers, ["match", "no_match"])

    @covers_scope("people:woman_confirm_id")
    def test_another_village_township_or_county_gets_404(self) -> None:
        for user in (self.cun_b, self.zhen_b, self.other_xian):
            self.login(user)
            url = reverse("people:woman_confirm_id", args=[self.woman.pk])
            response = self.client.post(url, {"id_number": GOOD})
            self.assertEqual(response.status_code, 404, user)
        self.assertFalse(
            AuditEntry.objects.filter(detail__has_key="confirm_id_number").exists()
        )
