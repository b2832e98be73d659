"""The care pages: every list exports what it shows, everything is scoped (404
outside), and the bank account shows in clear only in the bank file."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from srbgov.accounts.models import Role, User
from srbgov.audit.models import AuditEntry
from srbgov.care import services
from srbgov.care.models import (
    Application,
    BenefitProgram,
    CareHousehold,
    Payment,
    PaymentBatch,
    PublicNotice,
)
from srbgov.care.tests.builders import (
    ACCOUNT,
    enrol,
    make_reward_program,
    make_two_daughter_household,
)
from srbgov.testing import BaseTestCase, covers_scope, make_user

SUMMER = datetime(2026, 8, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
POST_ONLY = {
    "care:application_review",
    "care:application_approve",
    "care:batch_approve",
    "care:batch_close",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

LISTS = [
    ("care:household_list", "care:household_export"),
    ("care:eligible_list", "care:eligible_export"),
    ("care:program_list", "care:program_export"),
    ("care:application_list", "care:application_export"),
    ("care:notice_list", "care:notice_export"),
    ("care:batch_list", "care:batch_export"),
    ("care:recheck", "care:recheck_export"),
    ("care:totals", "care:totals_export"),
]


def sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    sheet = load_workbook(BytesIO(content)).active
    assert sheet is not None
    return [r for r in sheet.iter_rows(values_only=True) if any(r)]


@time_machine.travel(SUMMER, tick=False)
class CarePagesTest(BaseTestCase):
    xian2: ClassVar[User]
    program: ClassVar[BenefitProgram]
    household: ClassVar[CareHousehold]
    application: ClassVar[Application]
    notice: ClassVar[PublicNotice]
    batch: ClassVar[PaymentBatch]
    payment: ClassVar[Payment]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.xian2 = make_user("xian2", Role.COUNTY_OFFICER, cls.county)
        cls.program = make_reward_program(by=cls.xian, county=cls.county)
        cls.household = make_two_daughter_household(
            by=cls.cun_a, village=cls.village_a, mother_born=date(1960, 1, 1)
        )
        cls.application, cls.notice = enrol(
            worker=cls.cun_a,
            township=cls.zhen_a,
            county=cls.xian,
            household=cls.household,
            program=cls.program,
            on=date(2026, 7, 1),
        )
        cls.batch = services.prepare_batch(by=cls.xian, program=cls.program, year=2026)
        services.approve_batch(by=cls.xian2, batch=cls.batch)
        cls.payment = cls.batch.payments.get()

    def record_routes(self) -> list[tuple[str, list[int]]]:
        h, a, b = self.household.pk, self.application.pk, self.batch.pk
        return [
            ("care:household_detail", [h]),
            ("care:household_confirm", [h]),
            ("care:application_create", [h]),
            ("care:application_detail", [a]),
            ("care:application_review", [a]),
            ("care:application_approve", [a]),
            ("care:application_account", [a]),
            ("care:notice_detail", [self.notice.pk]),
            ("care:batch_detail", [b]),
            ("care:batch_payments_export", [b]),
            ("care:batch_approve", [b]),
            ("care:batch_close", [b]),
            ("care:batch_bank_file", [b]),
            ("care:payment_return", [self.payment.pk]),
            ("care:program_edit", [self.program.pk]),
        ]

    def get(self, user: User, name: str, args: list[int] | None = None) -> Any:
        self.login(user)
        url = reverse(name, args=args or [])
        if name in POST_ONLY:
            return self.client.post(url)
        return self.client.get(url)

    def test_every_list_exports_the_rows_it_shows(self) -> None:
        for page, export in LISTS:
            response = self.get(self.xian, page)
            assert response.status_code == 200, page
            sheet = self.get(self.xian, export)
            assert sheet["Content-Type"] == XLSX, export
            rows = sheet_rows(sheet.content)
            html = response.content.decode()
            if page == "care:recheck":
                assert len(rows) == 1  # nothing has changed yet: headers only
                continue
            for header in rows[0]:
                assert str(header) in html, (page, header)
            assert len(rows) > 1, page
            assert str(rows[1][0]) in html, (page, rows[1][0])
        exports = AuditEntry.objects.filter(action="export", user=self.xian).count()
        assert exports == len(LISTS)

    def test_the_household_list_shows_the_reason_and_exports_it(self) -> None:
        response = self.get(self.cun_a, "care:household_list")
        self.assertContains(response, "现有存活子女2人，均为女孩（双女户）")
        rows = sheet_rows(self.get(self.cun_a, "care:household_export").content)
        assert rows[1][0] == "张秀英" and rows[1][2] == "双女户"

    @covers_scope(
        "care:household_list",
        "care:household_export",
        "care:application_list",
        "care:application_export",
        "care:eligible_list",
        "care:eligible_export",
        "care:notice_list",
        "care:notice_export",
        "care:totals",
        "care:totals_export",
        "care:recheck",
        "care:recheck_export",
    )
    def test_lists_hold_only_the_users_area(self) -> None:
        for user in (self.cun_b, self.zhen_b, self.other_xian):
            for page, export in LISTS:
                if page in ("care:batch_list", "care:program_list"):
                    continue
                response = self.get(user, page)
                if response.status_code == 404:
                    continue  # a role without the list
                assert "张秀英" not in response.content.decode(), (user, page)
                sheet = self.get(user, export)
                assert all("张秀英" not in str(r) for r in sheet_rows(sheet.content))

    @covers_scope(
        "care:household_detail",
        "care:household_confirm",
        "care:application_create",
        "care:application_detail",
        "care:application_review",
        "care:application_approve",
        "care:application_account",
        "care:notice_detail",
        "care:batch_detail",
        "care:batch_payments_export",
        "care:batch_approve",
        "care:batch_close",
        "care:batch_bank_file",
        "care:payment_return",
        "care:program_edit",
        "care:program_list",
        "care:program_export",
        "care:program_create",
        "care:batch_list",
        "care:batch_export",
        "care:batch_create",
        "care:notice_create",
    )
    def test_records_of_another_area_do_not_exist(self) -> None:
        for user in (self.cun_b, self.zhen_b, self.other_xian):
            for name, args in self.record_routes():
                assert self.get(user, name, args).status_code == 404, (user, name)
        # Roles without girl care get 404 at the lists too.
        for user in (self.police_a, self.health_a, self.auditor, self.admin, self.tips):
            for page, _export in LISTS:
                assert self.get(user, page).status_code == 404, (user, page)
        for name in ("care:batch_list", "care:batch_create", "care:program_create"):
            assert self.get(self.zhen_a, name).status_code == 404
        assert self.get(self.cun_a, "care:notice_create").status_code == 404

    def test_the_account_number_shows_only_in_the_bank_file(self) -> None:
        pages: list[tuple[str, list[int]]] = [(n, []) for n, _e in LISTS]
        pages += self.record_routes()
        for user in (self.cun_a, self.zhen_a, self.xian):
            for name, args in pages:
                if name == "care:batch_bank_file":
                    continue
                response = self.get(user, name, args)
                body = response.content
                if response.get("Content-Type") == XLSX:
                    body = str(sheet_rows(body)).encode()
                assert ACCOUNT.encode() not in body, (user, name)
                assert ACCOUNT[-8:].encode() not in body, (user, name)
        bank = self.get(self.xian, "care:batch_bank_file", [self.batch.pk])
        rows = sheet_rows(bank.content)
        assert rows[1][2] == ACCOUNT
        entry = AuditEntry.objects.filter(action="export").latest("seq")
        assert entry.detail["account_numbers"] is True

    def test_the_notice_prints_names_and_amounts_only(self) -> None:
        response = self.get(self.cun_a, "care:notice_detail", [self.notice.pk])
        self.assertContains(response, "张秀英")
        self.assertContains(response, "1920")
        self.assertNotContains(response, "5678")
        self.assertNotContains(response, "农村信用社")

    def test_two_people_through_the_pages(self) -> None:
        self.login(self.xian)
        response = self.client.post(
            reverse("care:batch_create"), {"program": self.program.pk, "year": 2027}
        )
        # 2026 is paid (in the batch of setUpTestData); the enrolment is due for 2027.
        batch = PaymentBatch.objects.order_by("-pk").first()
        assert response.status_code == 302
        assert batch is not None and batch.year == 2027
        self.client.post(reverse("care:batch_approve", args=[batch.pk]))
        batch.refresh_from_db()
        assert batch.approved_by is None
        self.login(self.xian2)
        self.client.post(reverse("care:batch_approve", args=[batch.pk]))
        batch.refresh_from_db()
        assert batch.approved_by == self.xian2

    def test_the_village_worker_confirms_and_applies_on_the_pages(self) -> None:
        other = make_two_daughter_household(
            by=self.cun_a,
            village=self.village_a,
            name="刘桂兰",
            mother_born=date(1961, 2, 2),
            confirm=False,
        )
        self.login(self.cun_a)
        response = self.client.post(
            reverse("care:household_confirm", args=[other.pk]),
            {
                "residence": "rural",
                "lives_in_village": "yes",
                "mother_birth_on": "1961-02-02",
                "father_birth_on": "",
            },
        )
        assert response.status_code == 302
        response = self.client.post(
            reverse("care:application_create", args=[other.pk]),
            {
                "program": self.program.pk,
                "payee_name": "刘桂兰",
                "bank_name": "农信社",
                "account": "6217 0038 1001 9999 000",
            },
        )
        assert response.status_code == 302
        app = Application.objects.get(household=other)
        assert app.account_masked == "********9000"
        assert app.persons == 1
