"""The women's registry as the village, township and county workers use it."""

from __future__ import annotations

import io
from datetime import date
from typing import ClassVar

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.people.crypto import identity_cipher
from srbgov.people.models import Woman
from srbgov.people.services import ChildData
from srbgov.testing import BaseTestCase, covers_scope, make_id_number, make_woman

GOOD = make_id_number(birth_on=date(1994, 5, 17))
BAD_CHECK_DIGIT = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "李秀兰",
        "id_number": GOOD,
        "phone": "13800001234",
        "household": "一村3组12号",
        "spouse_name": "张伟",
        "note": "",
        "children-TOTAL_FORMS": "1",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "0",
        "children-MAX_NUM_FORMS": "1000",
        "children-0-birth_on": "2019-06-01",
        "children-0-sex": "F",
    }
    data.update(overrides)
    return data


class RegisterWomanTests(BaseTestCase):
    def setUp(self) -> None:
        self.login(self.cun_a)

    def test_it_refuses_a_wrong_check_digit_in_chinese_and_writes_nothing(self) -> None:
        data = form_data(id_number=BAD_CHECK_DIGIT, village=self.village_a.pk)
        response = self.client.post(reverse("people:woman_create"), data)
        self.assertContains(response, "身份证号码校验位错误")
        self.assertFalse(Woman.objects.exists())

    def test_it_registers_her_with_spouse_and_children_and_reads_the_birth_date(
        self,
    ) -> None:
        response = self.client.post(
            reverse("people:woman_create"), form_data(village=self.village_a.pk)
        )
        woman = Woman.objects.get()
        self.assertRedirects(response, reverse("people:woman_detail", args=[woman.pk]))
        self.assertEqual(woman.birth_on, date(1994, 5, 17))
        self.assertEqual(woman.spouse.name, "张伟")
        child = woman.children.get()
        self.assertEqual((child.sex, child.birth_order), ("F", 1))
        self.assertEqual(identity_cipher().decrypt(woman.id_number_encrypted), GOOD)
        self.assertNotIn(GOOD, woman.id_number_encrypted)
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.CREATE, object_id=str(woman.pk)
            ).exists()
        )

    def test_a_second_registration_of_the_same_number_points_to_the_first(self) -> None:
        first = make_woman(
            by=self.cun_a, village=self.village_a, id_number=GOOD, name="李秀兰"
        )
        response = self.client.post(
            reverse("people:woman_create"),
            form_data(village=self.village_a.pk, name="李秀"),
        )
        self.assertContains(response, "该身份证号码已登记：李秀兰")
        self.assertContains(response, reverse("people:woman_detail", args=[first.pk]))
        self.assertEqual(Woman.objects.count(), 1)

    def test_a_duplicate_from_another_village_reveals_nothing_about_her(self) -> None:
        make_woman(by=self.cun_b, village=self.village_b, id_number=GOOD, name="李秀兰")
        data = form_data(village=self.village_a.pk, name="秀兰")
        response = self.client.post(reverse("people:woman_create"), data)
        self.assertContains(response, "已在其他辖区登记")
        self.assertNotContains(response, "李秀兰")
        self.assertNotContains(response, self.village_b.name)

    def test_a_village_worker_cannot_register_into_another_village(self) -> None:
        response = self.client.post(
            reverse("people:woman_create"), form_data(village=self.village_b.pk)
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Woman.objects.exists())

    def test_twins_keep_their_entry_order_and_later_children_follow(self) -> None:
        woman = make_woman(
            by=self.cun_a,
            village=self.village_a,
            children=[
                ChildData(birth_on=date(2022, 1, 5), sex="M"),
                ChildData(birth_on=date(2018, 3, 1), sex="F"),
                ChildData(birth_on=date(2022, 1, 5), sex="F"),
            ],
        )
        orders = list(
            woman.children.order_by("birth_order").values_list("birth_on", "sex")
        )
        self.assertEqual(
            orders,
            [(date(2018, 3, 1), "F"), (date(2022, 1, 5), "M"), (date(2022, 1, 5), "F")],
        )

    def test_editing_keeps_the_number_when_left_blank(self) -> None:
        woman = make_woman(by=self.cun_a, village=self.village_a, id_number=GOOD)
        data = form_data(id_number="", village=self.village_a.pk, phone="13900009999")
        for key in ("children-0-birth_on", "children-0-sex"):
            del data[key]
        response = self.client.post(reverse("people:woman_edit", args=[woman.pk]), data)
        self.assertRedirects(response, reverse("people:woman_detail", args=[woman.pk]))
        woman.refresh_from_db()
        self.assertEqual(woman.phone, "13900009999")
        self.assertEqual(identity_cipher().decrypt(woman.id_number_encrypted), GOOD)
        self.assertNotContains(
            self.client.get(reverse("people:woman_edit", args=[woman.pk])), GOOD
        )


class WomanListTests(BaseTestCase):
    fang: ClassVar[Woman]
    li: ClassVar[Woman]
    zhao: ClassVar[Woman]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.fang = make_woman(
            by=cls.cun_a,
            village=cls.village_a,
            name="王芳",
            id_number=GOOD,
            phone="13800001111",
        )
        cls.li = make_woman(
            by=cls.cun_b, village=cls.village_b, name="李娜", phone="13800002222"
        )
        cls.zhao = make_woman(by=cls.zhen_b, village=cls.village_c, name="赵敏")

    def names(self, response: object) -> list[str]:
        return [w.name for w in response.context["page"].object_list]  # type: ignore[attr-defined]

    def test_each_role_lists_exactly_its_area(self) -> None:
        for user, expected in [
            (self.cun_a, ["王芳"]),
            (self.cun_b, ["李娜"]),
            (self.zhen_a, ["王芳", "李娜"]),
            (self.xian, ["王芳", "李娜", "赵敏"]),
            (self.other_xian, []),
        ]:
            self.login(user)
            self.assertCountEqual(
                self.names(self.client.get(reverse("people:woman_list"))),
                expected,
                user,
            )

    def test_the_list_shows_the_number_masked(self) -> None:
        self.login(self.cun_a)
        response = self.client.get(reverse("people:woman_list"))
        self.assertContains(response, GOOD[:6] + "*" * 12)
        self.assertNotContains(response, GOOD)

    def test_search_by_name_full_number_or_phone_stays_in_the_area(self) -> None:
        self.login(self.zhen_a)
        url = reverse("people:woman_list")
        self.assertEqual(self.names(self.client.get(url, {"q": "王"})), ["王芳"])
        self.assertEqual(
            self.names(self.client.get(url, {"q": GOOD.lower()})), ["王芳"]
        )
        self.assertEqual(self.names(self.client.get(url, {"q": "2222"})), ["李娜"])
        self.assertEqual(self.names(self.client.get(url, {"q": "赵敏"})), [])
        self.assertEqual(
            self.names(self.client.get(url, {"village": self.village_b.pk})), ["李娜"]
        )

    def test_an_empty_search_says_what_to_do_next(self) -> None:
        self.login(self.cun_a)
        self.assertContains(
            self.client.get(reverse("people:woman_list"), {"q": "无此人"}),
            "没有找到符合条件的记录",
        )

    def test_the_list_pages(self) -> None:
        for i in range(25):
            make_woman(by=self.cun_a, village=self.village_a, name=f"测试{i:02d}")
        self.login(self.cun_a)
        first = self.client.get(reverse("people:woman_list"))
        self.assertEqual(len(self.names(first)), 20)
        second = self.client.get(reverse("people:woman_list"), {"page": 2})
        self.assertEqual(len(self.names(second)), 6)

    def test_the_list_costs_the_same_queries_for_one_woman_or_twenty(self) -> None:
        self.login(self.cun_a)
        # The first request after logging in also refreshes the session (srbgov.ops
        # sessions: at most once a minute); measure the list, not that.
        self.client.get(reverse("people:woman_list"))
        with CaptureQueriesContext(connection) as one:
            self.client.get(reverse("people:woman_list"))
        for i in range(19):
            make_woman(by=self.cun_a, village=self.village_a, name=f"测试{i:02d}")
        with CaptureQueriesContext(connection) as twenty:
            self.client.get(reverse("people:woman_list"))
        self.assertEqual(len(one), len(twenty))

    def test_the_export_reads_back_masked_and_scoped_and_is_logged(self) -> None:
        self.login(self.zhen_a)
        response = self.client.get(reverse("people:woman_export"), {"q": ""})
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:2], ("姓名", "身份证号码"))
        self.assertCountEqual([r[0] for r in rows[1:]], ["王芳", "李娜"])
        self.assertIn(GOOD[:6] + "*" * 12, [r[1] for r in rows[1:]])
        self.assertNotIn(GOOD, str(rows))
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.EXPORT, user=self.zhen_a
            ).exists()
        )

    @covers_scope("people:woman_list", "people:woman_export", "people:woman_create")
    def test_roles_without_the_registry_get_404(self) -> None:
        for user in (self.auditor, self.admin, self.police_a, self.health_a, self.tips):
            self.login(user)
            for name in (
                "people:woman_list",
                "people:woman_export",
                "people:woman_create",
            ):
                self.assertEqual(
                    self.client.get(reverse(name)).status_code, 404, (user, name)
                )


class WomanDetailScopeTests(BaseTestCase):
    fang: ClassVar[Woman]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.fang = make_woman(by=cls.cun_a, village=cls.village_a, name="王芳")

    @covers_scope("people:woman_detail", "people:woman_edit")
    def test_anyone_outside_her_village_township_or_county_gets_404(self) -> None:
        for user in (
            self.cun_b,
            self.zhen_b,
            self.other_xian,
            self.auditor,
            self.admin,
            self.police_a,
        ):
            self.login(user)
            for name in ("people:woman_detail", "people:woman_edit"):
                response = self.client.get(reverse(name, args=[self.fang.pk]))
                self.assertEqual(response.status_code, 404, (user, name))
            post = self.client.post(
                reverse("people:woman_edit", args=[self.fang.pk]), {"name": "x"}
            )
            self.assertEqual(post.status_code, 404)
        self.assertFalse(AuditEntry.objects.filter(action=AuditAction.READ).exists())
        denied = AuditEntry.objects.filter(
            action=AuditAction.DENIED, object_id=str(self.fang.pk)
        )
        self.assertIn("cun_b", denied.values_list("username", flat=True))

    def test_her_village_township_and_county_can_open_her_and_each_read_is_logged(
        self,
    ) -> None:
        for user in (self.cun_a, self.zhen_a, self.xian):
            self.login(user)
            self.assertContains(
                self.client.get(reverse("people:woman_detail", args=[self.fang.pk])),
                "王芳",
            )
        readers = AuditEntry.objects.filter(
            action=AuditAction.READ, object_id=str(self.fang.pk)
        )
        self.assertCountEqual(
            readers.values_list("username", flat=True), ["cun_a", "zhen_a", "xian"]
        )
        self.assertTrue(all(e.ip_address == "127.0.0.1" for e in readers))

    def test_a_missing_record_is_a_404_like_a_forbidden_one(self) -> None:
        self.login(self.xian)
        self.assertEqual(
            self.client.get(reverse("people:woman_detail", args=[999999])).status_code,
            404,
        )
