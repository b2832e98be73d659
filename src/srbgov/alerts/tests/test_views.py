from __future__ import annotations

import io
from typing import ClassVar

from django.urls import reverse
from openpyxl import load_workbook

from srbgov.alerts.models import Alert, AlertKind, AlertStatus
from srbgov.alerts.services import raise_alert
from srbgov.testing import BaseTestCase, covers_scope


class AlertQueueTests(BaseTestCase):
    alert: ClassVar[Alert]
    other: ClassVar[Alert]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.alert, _ = raise_alert(
            kind=AlertKind.PREGNANCY_DISAPPEARED,
            area=cls.village_a,
            subject_type="pregnancy",
            subject_id=1,
            summary="王芳：预产期已过30天仍无结局",
        )
        cls.other, _ = raise_alert(
            kind=AlertKind.VISIT_OVERDUE,
            area=cls.village_a,
            subject_type="pregnancy",
            subject_id=2,
            summary="李娟：逾期未随访 2 次",
        )

    def test_it_filters_the_queue_by_kind_and_exports_it(self) -> None:
        self.login(self.zhen_a)
        response = self.client.get(
            reverse("alerts:alert_list"), {"kind": AlertKind.PREGNANCY_DISAPPEARED}
        )
        self.assertContains(response, "王芳")
        self.assertNotContains(response, "李娟")
        export = self.client.get(reverse("alerts:alert_export"))
        sheet = load_workbook(io.BytesIO(export.content)).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        assert len(rows) == 3 and rows[0][0] == "类别"

    def test_it_notes_assigns_and_resolves_an_alert(self) -> None:
        self.login(self.zhen_a)
        detail = reverse("alerts:alert_detail", args=[self.alert.pk])
        self.assertContains(self.client.get(detail), "王芳")
        self.client.post(
            reverse("alerts:alert_note", args=[self.alert.pk]),
            {"text": "已电话联系本人"},
        )
        self.client.post(
            reverse("alerts:alert_assign", args=[self.alert.pk]),
            {"assignee": self.cun_a.pk},
        )
        response = self.client.post(
            reverse("alerts:alert_resolve", args=[self.alert.pk]), {"resolution": ""}
        )
        self.alert.refresh_from_db()
        assert self.alert.status == AlertStatus.OPEN
        self.client.post(
            reverse("alerts:alert_resolve", args=[self.alert.pk]),
            {"resolution": "已在外地分娩，补录结局"},
        )
        self.alert.refresh_from_db()
        assert self.alert.status == AlertStatus.RESOLVED
        assert self.alert.assignee == self.cun_a
        assert self.alert.resolved_by == self.zhen_a
        assert self.alert.notes.get().text == "已电话联系本人"
        assert response.status_code == 302
        resolved = self.client.get(reverse("alerts:alert_list"), {"status": "resolved"})
        self.assertContains(resolved, "王芳")

    def test_it_refuses_an_assignee_from_another_township(self) -> None:
        self.login(self.zhen_a)
        self.client.post(
            reverse("alerts:alert_assign", args=[self.alert.pk]),
            {"assignee": self.zhen_b.pk},
        )
        self.alert.refresh_from_db()
        assert self.alert.assignee is None

    @covers_scope(
        "alerts:alert_list",
        "alerts:alert_export",
        "alerts:alert_detail",
        "alerts:alert_note",
        "alerts:alert_assign",
        "alerts:alert_resolve",
    )
    def test_outsiders_and_roles_without_the_queue_get_404(self) -> None:
        for user in (self.zhen_b, self.other_xian):
            self.login(user)
            self.assertNotContains(
                self.client.get(reverse("alerts:alert_list")), "王芳"
            )
        pk = self.alert.pk
        for user in (
            self.zhen_b,
            self.other_xian,
            self.cun_b,
            self.auditor,
            self.admin,
            self.police_a,
            self.tips,
        ):
            self.login(user)
            assert (
                self.client.get(reverse("alerts:alert_detail", args=[pk])).status_code
                == 404
            )
            for name in (
                "alerts:alert_note",
                "alerts:alert_assign",
                "alerts:alert_resolve",
            ):
                response = self.client.post(
                    reverse(name, args=[pk]), {"resolution": "x"}
                )
                assert response.status_code == 404, (user, name)
        for user in (self.cun_a, self.auditor, self.admin, self.police_a, self.tips):
            self.login(user)
            for name in ("alerts:alert_list", "alerts:alert_export"):
                assert self.client.get(reverse(name)).status_code == 404, (user, name)
        self.alert.refresh_from_db()
        assert self.alert.status == AlertStatus.OPEN
