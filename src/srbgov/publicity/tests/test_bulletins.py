"""Bulletins: drafted from the period's figures, edited, published to the area's users
and downloaded as .docx in the official-document layout (docs/care.md §5)."""

from __future__ import annotations

import io
from datetime import date

from django.urls import reverse
from docx import Document

from srbgov.audit.models import AuditEntry
from srbgov.publicity import bulletins, services
from srbgov.publicity.models import Bulletin, BulletinStatus
from srbgov.testing import BaseTestCase, covers_scope


class BulletinTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for day, items in [(3, 20), (4, 15)]:
            services.record_activity(
                by=cls.cun_a,
                area=cls.village_a,
                kind="banner",
                held_on=date(2026, 5, day),
                place="一村村委会",
                items=items,
            )

    def draft(self) -> Bulletin:
        return bulletins.draft_bulletin(
            by=self.zhen_a,
            area=self.town_a,
            number="2026年第2期",
            period_start=date(2026, 5, 1),
            period_end=date(2026, 5, 31),
        )

    def test_the_draft_carries_the_periods_figures(self) -> None:
        body = self.draft().body
        assert "共开展宣传、培训活动2次" in body
        assert "| 标语、横幅 | 2 | 35 | 0 |" in body

    def test_it_is_edited_published_and_read_by_the_villages(self) -> None:
        bulletin = self.draft()
        self.login(self.zhen_a)
        response = self.client.post(
            reverse("publicity:bulletin_edit", args=[bulletin.pk]),
            {
                "title": "甲镇五月简报",
                "number": "2026年第2期",
                "body": bulletin.body + "\n妇女之家活动效果良好。\n",
            },
        )
        assert response.status_code == 302
        self.login(self.cun_a)
        assert (
            "甲镇五月简报"
            not in self.client.get(reverse("publicity:bulletin_list")).content.decode()
        )
        self.login(self.zhen_a)
        self.client.post(reverse("publicity:bulletin_publish", args=[bulletin.pk]))
        bulletin.refresh_from_db()
        assert bulletin.status == BulletinStatus.PUBLISHED
        for reader in (self.cun_a, self.cun_b):
            self.login(reader)
            self.assertContains(
                self.client.get(reverse("publicity:bulletin_list")),
                "妇女之家活动效果良好",
            )
        for outsider in (self.zhen_b, self.other_xian):
            self.login(outsider)
            self.assertNotContains(
                self.client.get(reverse("publicity:bulletin_list")), "甲镇五月简报"
            )
        with self.assertRaisesMessage(Exception, "简报已发布"):
            bulletins.edit_bulletin(
                by=self.zhen_a, bulletin=bulletin, title="x", number="x", body="x"
            )

    def test_the_docx_reads_back_in_the_official_layout(self) -> None:
        bulletin = self.draft()
        self.login(self.zhen_a)
        response = self.client.get(
            reverse("publicity:bulletin_docx", args=[bulletin.pk])
        )
        doc = Document(io.BytesIO(response.content))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert "甲镇计划生育工作简报" in text and "2026年第2期" in text
        assert "一、宣传教育和业务培训" in text
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        assert "标语、横幅" in cells and "35" in cells
        assert AuditEntry.objects.filter(
            action="export", object_type="publicity.bulletin"
        ).exists()

    @covers_scope(
        "publicity:bulletin_list",
        "publicity:bulletin_export",
        "publicity:bulletin_create",
        "publicity:bulletin_edit",
        "publicity:bulletin_publish",
        "publicity:bulletin_docx",
    )
    def test_another_area_gets_404(self) -> None:
        bulletin = self.draft()
        for user in (self.zhen_b, self.other_xian, self.cun_a):
            self.login(user)
            for name in ("publicity:bulletin_edit", "publicity:bulletin_docx"):
                url = reverse(name, args=[bulletin.pk])
                assert self.client.get(url).status_code == 404, (user, name)
            url = reverse("publicity:bulletin_publish", args=[bulletin.pk])
            assert self.client.post(url).status_code == 404
        self.login(self.cun_a)
        assert self.client.get(reverse("publicity:bulletin_create")).status_code == 404
        self.login(self.police_a)
        assert self.client.get(reverse("publicity:bulletin_list")).status_code == 404
        sheet = self.client.get(reverse("publicity:bulletin_export"))
        assert sheet.status_code == 404
