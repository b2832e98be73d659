from __future__ import annotations

import io
from typing import ClassVar

from django.db import (
    IntegrityError,
    InternalError,
    OperationalError,
    connection,
    transaction,
)
from django.urls import reverse
from openpyxl import load_workbook

from srbgov.audit.models import AppendOnlyError, AuditAction, AuditEntry
from srbgov.audit.services import record
from srbgov.people.models import Woman
from srbgov.testing import BaseTestCase, covers_scope, make_woman


class AppendOnlyTests(BaseTestCase):
    def test_the_application_cannot_change_or_delete_an_entry(self) -> None:
        entry = record(
            user=self.cun_a,
            action=AuditAction.READ,
            object_type="people.woman",
            object_id="1",
        )
        entry.object_id = "2"
        with self.assertRaises(AppendOnlyError):
            entry.save()
        with self.assertRaises(AppendOnlyError):
            entry.delete()
        with self.assertRaises(AppendOnlyError):
            AuditEntry.objects.filter(pk=entry.pk).update(object_id="3")
        with self.assertRaises(AppendOnlyError):
            AuditEntry.objects.all().delete()

    def test_the_database_refuses_raw_updates_and_deletes(self) -> None:
        entry = record(
            user=self.cun_a,
            action=AuditAction.READ,
            object_type="people.woman",
            object_id="1",
        )
        refused = (IntegrityError, InternalError, OperationalError)
        for statement in (
            "UPDATE audit_auditentry SET object_id = '9' WHERE id = %s",
            "DELETE FROM audit_auditentry WHERE id = %s",
        ):
            with (
                self.assertRaises(refused),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(statement, [entry.pk])
        entry.refresh_from_db()
        self.assertEqual(entry.object_id, "1")


class AuditorTests(BaseTestCase):
    fang: ClassVar[Woman]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.fang = make_woman(by=cls.cun_a, village=cls.village_a, name="王芳")

    def test_the_auditor_sees_who_read_her_record_and_filters_by_it(self) -> None:
        self.login(self.cun_a)
        self.client.get(reverse("people:woman_detail", args=[self.fang.pk]))
        self.login(self.auditor)
        response = self.client.get(
            reverse("audit:entry_list"),
            {
                "action": "read",
                "object_type": "people.woman",
                "object_id": str(self.fang.pk),
            },
        )
        entries = list(response.context["page"].object_list)
        self.assertEqual([(e.username, e.action) for e in entries], [("cun_a", "read")])
        self.assertContains(response, "127.0.0.1")

    def test_the_auditor_exports_the_log(self) -> None:
        self.login(self.auditor)
        response = self.client.get(reverse("audit:entry_export"), {"username": "cun_a"})
        rows = list(
            load_workbook(io.BytesIO(response.content)).active.iter_rows(
                values_only=True
            )
        )
        self.assertEqual(rows[0][1], "用户名")
        self.assertEqual({r[3] for r in rows[1:]}, {"新增"})

    @covers_scope("audit:entry_list", "audit:entry_export")
    def test_nobody_but_the_auditor_reads_the_log(self) -> None:
        for user in (
            self.cun_a,
            self.zhen_a,
            self.xian,
            self.admin,
            self.tips,
            self.other_xian,
        ):
            self.login(user)
            for name in ("audit:entry_list", "audit:entry_export"):
                self.assertEqual(
                    self.client.get(reverse(name)).status_code, 404, (user, name)
                )
