"""Warnings where an entry contradicts another record (docs/homes.md, "Details")."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srbgov.pregnancies import services
from srbgov.pregnancies.contradictions import (
    MAX_PREGNANCY_DAYS,
    MIN_CYCLE_DAYS,
    lmp_conflicts,
)
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.providers.services import terminations
from srbgov.providers.tests.builders import days_ago, make_facility, make_practitioner
from srbgov.testing import BaseTestCase, make_id_number, make_woman

# A shared, busy machine makes generation slow; the properties are cheap.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RELAXED
@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    st.integers(-400, 400),
)
def test_an_lmp_conflicts_only_near_and_before_a_termination(
    termination: date, offset: int
) -> None:
    lmp = termination + timedelta(days=offset)
    found = lmp_conflicts(lmp_on=lmp, terminations=[termination])
    expected = -MAX_PREGNANCY_DAYS < offset < MIN_CYCLE_DAYS
    assert found == ([termination] if expected else [])


class ContradictionTests(BaseTestCase):
    def test_an_lmp_days_after_her_termination_and_a_double_entry_are_flagged(
        self,
    ) -> None:
        number = make_id_number()
        woman = make_woman(
            by=self.cun_a, village=self.village_a, id_number=number, name="赵小红"
        )
        ended = make_pregnancy(by=self.cun_a, woman=woman, weeks=10)
        a = make_facility(by=self.health_a, area=self.town_a)
        b = make_facility(by=self.health_a, area=self.town_a, name="甲镇民营医院")
        day = days_ago(20)
        for facility in (a, b):
            terminations.record_termination(
                by=self.health_a,
                facility=facility,
                woman_name="赵小红",
                id_number=number,
                terminated_on=day,
                gestational_weeks=9,
                method="medical",
                operator=make_practitioner(by=self.health_a, facility=facility),
                medical_reason="本人要求",
            )
        ended.refresh_from_db()
        # Five days after the termination: no new period can have begun.
        new = services.register_pregnancy(
            by=self.cun_a,
            woman=woman,
            lmp_on=day + timedelta(days=5),
            birth_order=1,
            certificate_number="",
            certificate_on=None,
            responsible_persons="王芳、李娟",
            note="",
        )
        self.client.force_login(self.cun_a)
        page = self.client.get(reverse("pregnancies:pregnancy_detail", args=[new.pk]))
        warnings = {w.kind: w.text for w in page.context["warnings"]}
        self.assertIn(day.isoformat(), warnings["lmp_after_termination"])
        self.assertIn("甲镇卫生院", warnings["duplicate_termination"])
        self.assertIn("甲镇民营医院", warnings["duplicate_termination"])
        self.assertContains(page, 'data-warning="lmp_after_termination"')

    def test_a_plausible_lmp_and_a_single_entry_raise_nothing(self) -> None:
        number = make_id_number()
        woman = make_woman(by=self.cun_a, village=self.village_a, id_number=number)
        make_pregnancy(by=self.cun_a, woman=woman, weeks=10)
        facility = make_facility(by=self.health_a, area=self.town_a)
        day = days_ago(60)
        terminations.record_termination(
            by=self.health_a,
            facility=facility,
            woman_name=woman.name,
            id_number=number,
            terminated_on=day,
            gestational_weeks=9,
            method="medical",
            operator=make_practitioner(by=self.health_a, facility=facility),
            medical_reason="本人要求",
        )
        new = services.register_pregnancy(
            by=self.cun_a,
            woman=woman,
            lmp_on=day + timedelta(days=35),
            birth_order=1,
            certificate_number="",
            certificate_on=None,
            responsible_persons="王芳、李娟",
            note="",
        )
        self.client.force_login(self.cun_a)
        page = self.client.get(reverse("pregnancies:pregnancy_detail", args=[new.pk]))
        self.assertEqual(page.context["warnings"], [])

    def test_an_early_termination_the_village_never_knew_of_is_not_shown(
        self,
    ) -> None:
        # Her own lawful care (docs/security.md §6): two facilities of another
        # county entered a 9-week termination of hers, with no pregnancy registered.
        number = make_id_number()
        woman = make_woman(by=self.cun_a, village=self.village_a, id_number=number)
        day = days_ago(20)
        for name in ("邻县医院", "邻县诊所"):
            facility = make_facility(
                by=self.other_xian, area=self.other_county, name=name
            )
            terminations.record_termination(
                by=self.other_xian,
                facility=facility,
                woman_name=woman.name,
                id_number=number,
                terminated_on=day,
                gestational_weeks=9,
                method="medical",
                operator=make_practitioner(by=self.other_xian, facility=facility),
                medical_reason="本人要求",
            )
        new = services.register_pregnancy(
            by=self.cun_a,
            woman=woman,
            lmp_on=day + timedelta(days=5),
            birth_order=1,
            certificate_number="",
            certificate_on=None,
            responsible_persons="王芳、李娟",
            note="",
        )
        self.client.force_login(self.cun_a)
        page = self.client.get(reverse("pregnancies:pregnancy_detail", args=[new.pk]))
        self.assertEqual(page.context["warnings"], [])
        self.assertNotContains(page, "邻县")
        self.assertNotContains(page, day.isoformat())

    def test_a_late_termination_elsewhere_is_counted_not_named(self) -> None:
        number = make_id_number()
        woman = make_woman(by=self.cun_a, village=self.village_a, id_number=number)
        day = days_ago(60)
        ours = make_facility(by=self.health_a, area=self.town_a)
        theirs = make_facility(
            by=self.other_xian, area=self.other_county, name="邻县医院"
        )
        for facility, by in ((ours, self.health_a), (theirs, self.other_xian)):
            terminations.record_termination(
                by=by,
                facility=facility,
                woman_name=woman.name,
                id_number=number,
                terminated_on=day,
                gestational_weeks=16,
                method="induction",
                operator=make_practitioner(by=by, facility=facility),
                medical_reason="胎儿严重畸形",
            )
        new = services.register_pregnancy(
            by=self.cun_a,
            woman=woman,
            lmp_on=day + timedelta(days=30),
            birth_order=1,
            certificate_number="",
            certificate_on=None,
            responsible_persons="王芳、李娟",
            note="",
        )
        self.client.force_login(self.cun_a)
        page = self.client.get(reverse("pregnancies:pregnancy_detail", args=[new.pk]))
        warnings = {w.kind: w.text for w in page.context["warnings"]}
        self.assertIn("甲镇卫生院、辖区外机构1家", warnings["duplicate_termination"])
        self.assertNotContains(page, "邻县医院")
