"""Girl care from the registry to the bank (docs/care.md §1–3), through the services."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from typing import ClassVar
from zoneinfo import ZoneInfo

import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from openpyxl import load_workbook

from srbgov.accounts.models import Role, User
from srbgov.care import services
from srbgov.care.models import (
    Application,
    ApplicationStatus,
    BenefitProgram,
    CareHousehold,
    PaymentBatch,
    PaymentStatus,
)
from srbgov.care.queries import eligible, totals
from srbgov.care.tests.builders import (
    ACCOUNT,
    enrol,
    make_reward_program,
    make_two_daughter_household,
)
from srbgov.pregnancies import services as pregnancy_services
from srbgov.pregnancies.models import OutcomeKind
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.testing import BaseTestCase, make_user

SUMMER = datetime(2026, 8, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@time_machine.travel(SUMMER, tick=False)
class CareWorkflowTest(BaseTestCase):
    xian2: ClassVar[User]
    program: ClassVar[BenefitProgram]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.xian2 = make_user("xian2", Role.COUNTY_OFFICER, cls.county)
        cls.program = make_reward_program(by=cls.xian, county=cls.county)

    def household(self, **kw: object) -> CareHousehold:
        return make_two_daughter_household(by=self.cun_a, village=self.village_a, **kw)  # type: ignore[arg-type]

    def test_it_derives_a_two_daughter_household_with_its_reason(self) -> None:
        h = self.household()
        assert h.kind == "two_daughters"
        assert "均为女孩" in h.reason
        assert (h.living_daughters, h.living_sons) == (2, 0)

    def test_it_becomes_eligible_when_a_parent_turns_the_programme_age(self) -> None:
        h = self.household(mother_born=date(1966, 6, 15), father_born=date(1967, 1, 1))
        before = services.decide(
            household=h, program=self.program, on=date(2026, 6, 14)
        )
        after = services.decide(household=h, program=self.program, on=date(2026, 6, 15))
        assert not before.qualifies
        assert after.qualifies and after.persons == 1
        # A year earlier she is "about to qualify"; on the day she is eligible.
        soon = eligible([h], [self.program], on=date(2025, 8, 1), upcoming=True)
        assert [r.turns_age_on for r in soon] == [date(2026, 6, 15)]
        assert eligible([h], [self.program], on=date(2026, 6, 14)) == []
        [row] = eligible([h], [self.program], on=date(2026, 6, 15))
        assert row.yearly_amount == Decimal("960.00")

    def test_an_application_is_refused_before_the_age(self) -> None:
        h = self.household(mother_born=date(1970, 1, 1), father_born=date(1970, 1, 1))
        with self.assertRaisesMessage(ValidationError, "未满60周岁"):
            services.apply(
                by=self.cun_a,
                household=h,
                program=self.program,
                payee_name="张秀英",
                bank_name="农信社",
                account=ACCOUNT,
                on=timezone.localdate(),
            )

    def test_the_county_cannot_approve_before_the_notice_ends(self) -> None:
        h = self.household(mother_born=date(1960, 1, 1))
        app = services.apply(
            by=self.cun_a,
            household=h,
            program=self.program,
            payee_name="张秀英",
            bank_name="农信社",
            account=ACCOUNT,
            on=timezone.localdate(),
        )
        services.review(by=self.zhen_a, application=app, approve=True)
        notice = services.post_notice(
            by=self.zhen_a,
            village=self.village_a,
            program=self.program,
            posted_on=timezone.localdate(),
            days=7,
        )
        app.refresh_from_db()
        with self.assertRaisesMessage(ValidationError, "公示期未满"):
            services.approve(
                by=self.xian, application=app, approve=True, on=notice.ends_on
            )
        services.approve(
            by=self.xian,
            application=app,
            approve=True,
            on=notice.ends_on + timedelta(days=1),
        )
        assert Application.objects.get().status == ApplicationStatus.APPROVED

    def test_a_sons_birth_removes_the_household_at_the_next_recheck(self) -> None:
        h = self.household(mother_born=date(1960, 1, 1))
        app, _notice = enrol(
            worker=self.cun_a,
            township=self.zhen_a,
            county=self.xian,
            household=h,
            program=self.program,
            on=date(2026, 7, 1),
        )
        pregnancy = make_pregnancy(by=self.cun_a, woman=h.woman, weeks=39)
        pregnancy_services.record_outcome(
            by=self.cun_a,
            pregnancy=pregnancy,
            kind=OutcomeKind.LIVE_BIRTH,
            occurred_on=timezone.localdate() - timedelta(days=1),
            children=[pregnancy_services.BirthData(sex="M", weight_grams=3200)],
        )
        h.refresh_from_db()
        assert h.kind == "" and "儿子" in h.reason  # derived the same day
        app.refresh_from_db()
        assert app.status == ApplicationStatus.APPROVED  # ends only at the re-check
        result = services.run_recheck(
            by=self.zhen_a, area=self.town_a, year=2027, on=timezone.localdate()
        )
        [finding] = result.ended
        app.refresh_from_db()
        assert app.status == ApplicationStatus.ENDED
        assert "现有存活儿子1人" in app.end_reason
        assert "家庭类别不符合" in finding.reason
        with self.assertRaisesMessage(ValidationError, "没有需要发放的对象"):
            services.prepare_batch(by=self.xian, program=self.program, year=2027)

    def test_the_same_person_cannot_prepare_and_approve_a_batch(self) -> None:
        h = self.household(mother_born=date(1960, 1, 1))
        enrol(
            worker=self.cun_a,
            township=self.zhen_a,
            county=self.xian,
            household=h,
            program=self.program,
            on=date(2026, 7, 1),
        )
        batch = services.prepare_batch(by=self.xian, program=self.program, year=2026)
        with self.assertRaisesMessage(ValidationError, "编制人不能审核"):
            services.approve_batch(by=self.xian, batch=batch)
        # The database refuses it too, whatever path writes the row.
        with self.assertRaises(IntegrityError), transaction.atomic():
            PaymentBatch.objects.filter(pk=batch.pk).update(approved_by=self.xian)
        services.approve_batch(by=self.xian2, batch=batch)
        batch.refresh_from_db()
        assert batch.approved_by == self.xian2

    def test_the_bank_file_reads_back_and_no_account_is_stored_in_clear(self) -> None:
        from django.test import RequestFactory

        from srbgov.care.exports import BANK_FILE
        from srbgov.care.queries import bank_rows

        for i, born in enumerate([date(1960, 1, 1), date(1958, 3, 3)]):
            h = self.household(name=f"王{i}", mother_born=born, father_born=born)
            enrol(
                worker=self.cun_a,
                township=self.zhen_a,
                county=self.xian,
                household=h,
                program=self.program,
                on=date(2026, 7, 1),
            )
        batch = services.prepare_batch(by=self.xian, program=self.program, year=2026)
        services.approve_batch(by=self.xian2, batch=batch)
        request = RequestFactory().get("/")
        request.user = self.xian
        response = BANK_FILE.response(request, bank_rows(batch.payments.all()))  # type: ignore[arg-type]
        sheet = load_workbook(BytesIO(response.content)).active
        assert sheet is not None
        rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]]
        assert [r[2] for r in rows] == [ACCOUNT, ACCOUNT]
        assert sum(Decimal(str(r[3])) for r in rows) == Decimal(
            "3840.00"
        )  # 2 × 2 × 960
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT account_encrypted, account_masked FROM care_application"
            )
            stored = cursor.fetchall()
        assert stored and all(ACCOUNT not in "".join(r) for r in stored)
        assert all(r[1] == "********5678" for r in stored)

    def test_a_returned_payment_is_retried_and_the_totals_reconcile(self) -> None:
        h = self.household(mother_born=date(1960, 1, 1), father_born=None)
        app, _n = enrol(
            worker=self.cun_a,
            township=self.zhen_a,
            county=self.xian,
            household=h,
            program=self.program,
            on=date(2026, 7, 1),
        )
        batch = services.prepare_batch(by=self.xian, program=self.program, year=2026)
        services.approve_batch(by=self.xian2, batch=batch)
        payment = batch.payments.get()
        services.record_return(
            by=self.xian,
            payment=payment,
            returned_on=date(2026, 8, 1),
            reason="账户已销户",
        )
        services.close_batch(by=self.xian, batch=batch)
        [row] = totals(app.payments.all())
        assert (row.approved, row.paid, row.outstanding) == (
            Decimal("960.00"),
            Decimal(0),
            Decimal("960.00"),
        )
        services.change_account(
            by=self.xian,
            application=app,
            bank_name="农业银行",
            account="6228480012345678",
        )
        retry_batch = services.prepare_batch(
            by=self.xian2, program=self.program, year=2026
        )
        retry = retry_batch.payments.get()
        assert retry.retry_of == payment
        services.approve_batch(by=self.xian, batch=retry_batch)
        services.close_batch(by=self.xian, batch=retry_batch)
        retry.refresh_from_db()
        assert retry.status == PaymentStatus.PAID
        [row] = totals(app.payments.all())
        assert (row.approved, row.paid, row.outstanding, row.returned) == (
            Decimal("960.00"),
            Decimal("960.00"),
            Decimal(0),
            1,
        )


class RefreshCommandTest(BaseTestCase):
    def test_the_nightly_refresh_catches_a_child_typed_on_the_womans_form(self) -> None:
        from django.core.management import call_command

        from srbgov.people.services import ChildData, update_woman

        h = make_two_daughter_household(by=self.cun_a, village=self.village_a)
        woman = h.woman
        kids = [
            ChildData(birth_on=c.birth_on, sex=c.sex, name=c.name, pk=c.pk)
            for c in woman.children.all()
        ]
        update_woman(
            by=self.cun_a,
            woman=woman,
            name=woman.name,
            village=woman.village,
            id_number="",
            phone="",
            household="",
            note="",
            spouse=None,
            children=[*kids, ChildData(birth_on=date(2000, 1, 1), sex="M")],
        )
        h.refresh_from_db()
        assert h.kind == "two_daughters"  # the form has no hook: not yet
        call_command("refresh_care_households", stdout=io.StringIO())
        h.refresh_from_db()
        assert h.kind == "" and h.living_sons == 1
        call_command("refresh_care_households", stdout=io.StringIO())  # idempotent
