"""The township's month (issue 13 item 3): each category with real register entries
and registry records, the officer's decisions (audited), the sex-mismatch alert, and
404 outside the township."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from srbgov.accounts.models import Role, User
from srbgov.alerts.models import Alert, AlertKind, AlertStatus
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.people.identity import make_number
from srbgov.people.models import Woman
from srbgov.pregnancies.models import OutcomeKind, TerminationReason
from srbgov.pregnancies.services import record_outcome
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.providers.models import Facility, FacilityDelivery, Practitioner
from srbgov.providers.services import assign_facility_clerk, record_termination
from srbgov.providers.tests.builders import make_facility, make_practitioner
from srbgov.reconciliation.models import Decision, PairDecision
from srbgov.reconciliation.queries import (
    CONFIRMED,
    DATE,
    HASH,
    LINK,
    MODEL,
    SEX,
    Month,
    reconcile_month,
)
from srbgov.reconciliation.services import decide_pair
from srbgov.reconciliation.tests.builders import facility_delivery, village_birth
from srbgov.testing import (
    BaseTestCase,
    covers_scope,
    make_id_number,
    make_user,
    make_woman,
)

YEAR, MONTH = 2026, 5
DAY = date(YEAR, MONTH, 12)


class ReconciliationTests(BaseTestCase):
    facility: ClassVar[Facility]
    operator: ClassVar[Practitioner]
    clerk: ClassVar[User]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.facility = make_facility(by=cls.health_a, area=cls.town_a)
        cls.operator = make_practitioner(by=cls.health_a, facility=cls.facility)
        cls.clerk = make_user("clerk_a", Role.FACILITY_CLERK, cls.town_a)
        assign_facility_clerk(by=cls.health_a, clerk=cls.clerk, facility=cls.facility)

    def month(self) -> Month:
        return reconcile_month(township=self.town_a, year=YEAR, month=MONTH)

    def registered(self, name: str, number: str | None = None) -> tuple[Woman, str]:
        number = number or make_id_number()
        return make_woman(
            by=self.cun_a, village=self.village_a, name=name, id_number=number
        ), number

    def deliver(self, number: str, name: str, **kw: Any) -> FacilityDelivery:
        return facility_delivery(
            by=self.clerk,
            facility=self.facility,
            id_number=number,
            name=name,
            **{"on": DAY, **kw},
        )

    # -- the four categories ------------------------------------------------------

    def test_it_matches_by_identity_hash_and_needs_no_decision(self) -> None:
        woman, number = self.registered("王芳")
        village_birth(by=self.cun_a, woman=woman, on=DAY, sexes=["F"])
        self.deliver(number, "王芳", sexes=["F"])
        births = self.month().births
        self.assertEqual([p.method for p in births.matched], [HASH])
        self.assertEqual(births.matched[0].probability, 1.0)
        self.assertEqual(births.pending, [])
        self.assertEqual(births.facility_only, [])
        self.assertEqual(births.registry_only, [])

    def test_a_birth_only_the_facility_recorded_is_facility_only(self) -> None:
        delivery = self.deliver(
            make_id_number(), "陈静", village_code=self.village_b.code
        )
        births = self.month().births
        self.assertEqual([e.pk for e in births.facility_only], [delivery.pk])
        self.assertEqual(births.matched + births.pending, [])

    def test_a_birth_only_the_village_registered_is_registry_only(self) -> None:
        woman, _number = self.registered("刘洋")
        outcome = village_birth(by=self.cun_a, woman=woman, on=DAY)
        births = self.month().births
        self.assertEqual([e.pk for e in births.registry_only], [outcome.pk])

    def test_records_of_another_township_or_month_stay_out(self) -> None:
        far = make_facility(by=self.xian, area=self.town_b, name="乙镇卫生院")
        facility_delivery(
            by=self.xian,
            facility=far,
            id_number=make_id_number(),
            name="乙镇产妇",
            on=DAY,
            village_code=self.village_c.code,
        )
        self.deliver(make_id_number(), "六月产妇", on=date(2026, 6, 20))
        births = self.month().births
        self.assertEqual(births.facility_only, [])

    def test_a_sex_difference_is_pending_until_confirmed_then_alerts(self) -> None:
        woman, number = self.registered("赵丽")
        village_birth(by=self.cun_a, woman=woman, on=DAY, sexes=["F"])
        self.deliver(number, "赵丽", sexes=["M"])
        (pair,) = self.month().births.pending
        self.assertEqual(pair.method, HASH)
        self.assertEqual(pair.mismatches, (SEX,))
        self.assertFalse(
            Alert.objects.filter(kind=AlertKind.RECONCILED_SEX_MISMATCH).exists()
        )
        decision = decide_pair(
            by=self.zhen_a,
            township=self.town_a,
            year=YEAR,
            month=MONTH,
            key=pair.key,
            confirm=True,
        )
        births = self.month().births
        self.assertEqual(births.pending, [])
        self.assertEqual([p.mismatches for p in births.mismatched], [(SEX,)])
        alert = Alert.objects.get(kind=AlertKind.RECONCILED_SEX_MISMATCH)
        self.assertEqual(alert.area, self.town_a)
        self.assertEqual(alert.subject_id, str(decision.pk))
        self.assertIn(number[:6], alert.summary)
        self.assertNotIn(number, alert.summary)
        # Withdrawn: the pair is rejected and the alert resolved.
        decide_pair(
            by=self.zhen_a,
            township=self.town_a,
            year=YEAR,
            month=MONTH,
            key=pair.key,
            confirm=False,
        )
        alert.refresh_from_db()
        self.assertEqual(alert.status, AlertStatus.RESOLVED)
        births = self.month().births
        self.assertEqual([p.decision for p in births.rejected], [Decision.REJECTED])
        self.assertEqual(len(births.facility_only), 1)
        self.assertEqual(len(births.registry_only), 1)

    def test_a_date_difference_confirmed_raises_no_alert(self) -> None:
        woman, number = self.registered("孙梅")
        village_birth(by=self.cun_a, woman=woman, on=DAY + timedelta(days=3))
        self.deliver(number, "孙梅")
        (pair,) = self.month().births.pending
        self.assertEqual(pair.mismatches, (DATE,))
        decide_pair(
            by=self.zhen_a,
            township=self.town_a,
            year=YEAR,
            month=MONTH,
            key=pair.key,
            confirm=True,
        )
        self.assertFalse(
            Alert.objects.filter(kind=AlertKind.RECONCILED_SEX_MISMATCH).exists()
        )

    def test_a_mistyped_number_is_linked_by_name_date_village_and_birth_date(
        self,
    ) -> None:
        # The village registered 王丽; the clerk heard 王莉 and typed a number one
        # sequence away (same birth date, other last digits): no hash match.
        born = date(1994, 7, 2)
        woman, _number = self.registered("王丽", make_number("520999", born, 101, "F"))
        village_birth(by=self.cun_a, woman=woman, on=DAY)
        typo = make_number("520999", born, 103, "F")
        self.deliver(typo, "王莉", village_code=self.village_a.code)
        # Chance pairs for the EM: other mothers of the month in both registers.
        for i in range(6):
            other, _n = self.registered(f"村民{i}")
            village_birth(by=self.cun_a, woman=other, on=DAY + timedelta(days=i + 2))
            self.deliver(make_id_number(), f"产妇{i}", on=DAY - timedelta(days=i + 1))
        births = self.month().births
        (pair,) = [p for p in births.pending if p.facility.name == "王莉"]
        self.assertEqual(pair.method, MODEL)
        self.assertGreater(pair.probability, 0.9)
        self.assertEqual(pair.registry.pk, woman.pregnancies.get().outcome.pk)
        # The others share neither name, number nor birth date: never proposed.
        self.assertEqual(len(births.facility_only), 6)
        decide_pair(
            by=self.zhen_a,
            township=self.town_a,
            year=YEAR,
            month=MONTH,
            key=pair.key,
            confirm=True,
        )
        births = self.month().births
        self.assertEqual(
            [p.method for p in births.matched if p.facility.name == "王莉"],
            [CONFIRMED],
        )

    def test_a_pair_matched_by_number_without_differences_needs_no_decision(
        self,
    ) -> None:
        woman, number = self.registered("王芳")
        village_birth(by=self.cun_a, woman=woman, on=DAY, sexes=["F"])
        self.deliver(number, "王芳", sexes=["F"])
        (pair,) = self.month().births.matched
        with self.assertRaises(ValidationError):
            decide_pair(
                by=self.zhen_a,
                township=self.town_a,
                year=YEAR,
                month=MONTH,
                key=pair.key,
                confirm=False,
            )
        self.assertFalse(PairDecision.objects.exists())

    # -- terminations -------------------------------------------------------------

    def test_terminations_link_list_and_withhold_early_unregistered_ones(
        self,
    ) -> None:
        on = DAY
        # Registered pregnancy, termination entered at the facility: closes it (link).
        linked, number = self.registered("周娟")
        make_pregnancy(by=self.cun_a, woman=linked, lmp_on=on - timedelta(weeks=10))
        record_termination(
            by=self.health_a,
            facility=self.facility,
            woman_name="周娟",
            id_number=number,
            terminated_on=on,
            gestational_weeks=10,
            method="aspiration",
            operator=self.operator,
            medical_reason="本人意愿",
        )
        # The village recorded a termination no facility entered.
        unseen, _n = self.registered("吴敏")
        pregnancy = make_pregnancy(
            by=self.cun_a, woman=unseen, lmp_on=on - timedelta(weeks=9)
        )
        lone = record_outcome(
            by=self.cun_a,
            pregnancy=pregnancy,
            kind=OutcomeKind.TERMINATION,
            occurred_on=on,
            termination_reason=TerminationReason.PERSONAL,
        )
        # Two entries of women with no registered pregnancy: 16 weeks (listed) and
        # 8 weeks (her lawful choice: counted, not listed).
        for weeks, name in ((16, "郑红"), (8, "冯雪")):
            record_termination(
                by=self.health_a,
                facility=self.facility,
                woman_name=name,
                id_number=make_id_number(),
                terminated_on=on,
                gestational_weeks=weeks,
                method="induction" if weeks >= 14 else "medical",
                operator=self.operator,
                medical_reason="胎儿畸形" if weeks >= 14 else "本人意愿",
            )
        section = self.month().terminations
        self.assertEqual([p.method for p in section.matched], [LINK])
        self.assertEqual([e.pk for e in section.registry_only], [lone.pk])
        self.assertEqual([e.name for e in section.facility_only], ["郑红"])
        self.assertEqual(section.withheld, 1)

    # -- decisions ----------------------------------------------------------------

    def test_a_decision_is_audited_and_only_shown_pairs_can_be_decided(self) -> None:
        woman, number = self.registered("马丽")
        village_birth(by=self.cun_a, woman=woman, on=DAY, sexes=["F"])
        self.deliver(number, "马丽", sexes=["M"])
        (pair,) = self.month().births.pending
        with self.assertRaises(ValidationError):
            decide_pair(
                by=self.zhen_a,
                township=self.town_a,
                year=YEAR,
                month=MONTH,
                key="birth:999999:999999",
                confirm=True,
            )
        # Another township's month does not hold this pair.
        with self.assertRaises(ValidationError):
            decide_pair(
                by=self.zhen_b,
                township=self.town_b,
                year=YEAR,
                month=MONTH,
                key=pair.key,
                confirm=True,
            )
        self.assertFalse(PairDecision.objects.exists())
        decision = decide_pair(
            by=self.zhen_a,
            township=self.town_a,
            year=YEAR,
            month=MONTH,
            key=pair.key,
            confirm=False,
            note="不同人",
        )
        entry = AuditEntry.objects.get(object_type="reconciliation.pairdecision")
        self.assertEqual(entry.action, AuditAction.CREATE)
        self.assertEqual(entry.object_id, str(decision.pk))
        self.assertEqual(
            entry.detail["decision"], {"before": None, "after": "rejected"}
        )
        self.assertEqual(entry.detail["mismatches"], [SEX])


def _rows(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


class ReconciliationPageTests(BaseTestCase):
    facility: ClassVar[Facility]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.facility = make_facility(by=cls.health_a, area=cls.town_a)
        woman = make_woman(by=cls.cun_a, village=cls.village_a, name="王芳")
        village_birth(by=cls.cun_a, woman=woman, on=DAY, sexes=["F"])
        number = make_id_number()
        mismatched = make_woman(
            by=cls.cun_a, village=cls.village_a, name="赵丽", id_number=number
        )
        village_birth(by=cls.cun_a, woman=mismatched, on=DAY, sexes=["F"])
        facility_delivery(
            by=cls.health_a,
            facility=cls.facility,
            id_number=number,
            name="赵丽",
            on=DAY,
            sexes=["M"],
        )
        facility_delivery(
            by=cls.health_a,
            facility=cls.facility,
            id_number=make_id_number(),
            name="陈静",
            on=DAY,
            village_code=cls.village_b.code,
        )

    def url(self, name: str = "reconciliation:month", pk: int | None = None) -> str:
        return reverse(name, args=[pk or self.town_a.pk, YEAR, MONTH])

    def test_the_page_lists_each_category_and_the_read_is_logged(self) -> None:
        self.login(self.zhen_a)
        page = self.client.get(self.url())
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "陈静")  # facility-only (漏报)
        self.assertContains(page, "王芳")  # registry-only
        self.assertContains(page, "性别不一致")  # the pending pair
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.READ, object_type="reconciliation.month"
            ).exists()
        )

    def test_the_officer_confirms_through_the_page_and_the_alert_opens(self) -> None:
        self.login(self.zhen_a)
        month = reconcile_month(township=self.town_a, year=YEAR, month=MONTH)
        (pair,) = month.births.pending
        response = self.client.post(
            self.url("reconciliation:decide"), {"key": pair.key, "confirm": "1"}
        )
        self.assertRedirects(response, self.url())
        self.assertEqual(PairDecision.objects.get().decision, Decision.CONFIRMED)
        self.assertTrue(
            Alert.objects.filter(kind=AlertKind.RECONCILED_SEX_MISMATCH).exists()
        )

    def test_the_sheet_holds_every_row_with_its_category(self) -> None:
        self.login(self.xian)
        rows = _rows(self.client.get(self.url("reconciliation:month_export")).content)
        categories = sorted(str(r[0]) for r in rows[1:])
        self.assertEqual(
            categories,
            sorted(
                ["待确认", "仅机构有记录（漏报）", "仅村级有记录（在家或外地分娩）"]
            ),
        )
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.EXPORT, object_type="reconciliation.month"
            ).exists()
        )

    def test_the_township_officer_lands_on_her_month(self) -> None:
        self.login(self.zhen_a)
        response = self.client.get(reverse("reconciliation:index"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(f"/reconciliation/{self.town_a.pk}/", response["Location"])
        self.login(self.xian)
        page = self.client.get(reverse("reconciliation:index"), {"month": "2026-05"})
        self.assertContains(page, self.url())

    @covers_scope(
        "reconciliation:month",
        "reconciliation:month_export",
        "reconciliation:decide",
        "reconciliation:index",
    )
    def test_outsiders_get_404(self) -> None:
        for user in (self.zhen_b, self.other_xian, self.cun_a, self.health_a):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url()).status_code, 404)
                self.assertEqual(
                    self.client.get(
                        self.url("reconciliation:month_export")
                    ).status_code,
                    404,
                )
                self.assertEqual(
                    self.client.post(
                        self.url("reconciliation:decide"), {"key": "x", "confirm": "1"}
                    ).status_code,
                    404,
                )
        self.login(self.cun_a)
        self.assertEqual(
            self.client.get(reverse("reconciliation:index")).status_code, 404
        )
        self.login(self.zhen_a)
        bad_month = reverse("reconciliation:month", args=[self.town_a.pk, YEAR, 13])
        self.assertEqual(self.client.get(bad_month).status_code, 404)
        village = reverse("reconciliation:month", args=[self.village_a.pk, YEAR, MONTH])
        self.assertEqual(self.client.get(village).status_code, 404)
        self.assertFalse(PairDecision.objects.exists())
