from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from srbgov.areas.models import Area, AreaLevel
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.testing import BaseTestCase, covers_scope


class AreaAdminTests(BaseTestCase):
    def setUp(self) -> None:
        self.login(self.admin)

    def test_the_administrator_adds_a_village_under_its_township(self) -> None:
        response = self.client.post(
            reverse("areas:area_create"), {"code": "520999101203", "name": "三里村"}
        )
        self.assertRedirects(response, reverse("areas:area_list"))
        village = Area.objects.get(code="520999101203")
        self.assertEqual(
            (village.level, village.parent), (AreaLevel.VILLAGE, self.town_a)
        )
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.CREATE, object_id=str(village.pk)
            ).exists()
        )

    def test_a_code_without_its_parent_or_malformed_is_refused(self) -> None:
        response = self.client.post(
            reverse("areas:area_create"), {"code": "520999109201", "name": "无上级村"}
        )
        self.assertContains(response, "上级区划 520999109000 不存在")
        response = self.client.post(
            reverse("areas:area_create"), {"code": "520999101201", "name": "重复"}
        )
        self.assertContains(response, "已存在")
        response = self.client.post(
            reverse("areas:area_create"), {"code": "52099910120X", "name": "坏"}
        )
        self.assertContains(response, "12位数字")

    def test_a_csv_import_adds_townships_and_villages_in_any_order(self) -> None:
        csv = "代码,名称\n520999103202,河口村\n520999103000,丙镇\n520999103201,山脚村\n520999101201,一村（更名）\n"
        upload = SimpleUploadedFile(
            "areas.csv", csv.encode("utf-8-sig"), content_type="text/csv"
        )
        response = self.client.post(
            reverse("areas:area_import"), {"file": upload}, follow=True
        )
        self.assertContains(response, "新增 3 个，更新 1 个")
        self.assertEqual(
            Area.objects.get(code="520999103202").parent,
            Area.objects.get(code="520999103000"),
        )
        self.assertEqual(Area.objects.get(code="520999101201").name, "一村（更名）")

    def test_a_bad_row_imports_nothing_and_names_the_line(self) -> None:
        csv = "520999104000,丁镇\n520999104201\n"
        upload = SimpleUploadedFile("areas.csv", csv.encode(), content_type="text/csv")
        response = self.client.post(
            reverse("areas:area_import"), {"file": upload}, follow=True
        )
        self.assertContains(response, "导入失败，未写入任何数据：第2行")
        self.assertFalse(Area.objects.filter(code="520999104000").exists())

    @covers_scope(
        "areas:area_list", "areas:area_create", "areas:area_import", "areas:area_edit"
    )
    def test_only_the_administrator_has_area_pages_and_only_for_its_county(
        self,
    ) -> None:
        for user in (self.cun_a, self.zhen_a, self.xian, self.auditor, self.tips):
            self.login(user)
            for name in ("areas:area_list", "areas:area_create", "areas:area_import"):
                self.assertEqual(
                    self.client.get(reverse(name)).status_code, 404, (user, name)
                )
            self.assertEqual(
                self.client.get(
                    reverse("areas:area_edit", args=[self.village_a.pk])
                ).status_code,
                404,
            )
        self.login(self.admin)
        self.assertEqual(
            self.client.get(
                reverse("areas:area_edit", args=[self.village_a.pk])
            ).status_code,
            200,
        )
        self.assertEqual(
            self.client.get(
                reverse("areas:area_edit", args=[self.other_village.pk])
            ).status_code,
            404,
        )
