"""The duplicate-termination warning on the termination entry page (issue 16, item 4:
docs/registers.md §8): another facility's entry for the same identity number on the
same day warns, never blocks; another day, another woman or the same facility warn
nothing; entries outside what the reader may open are not compared at all (neither
named nor counted: a count would tell where she had lawful care)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srbgov.providers.contradictions import same_day_terminations
from srbgov.providers.models import Facility, TerminationRecord
from srbgov.providers.services import record_termination
from srbgov.providers.tests.builders import days_ago, make_facility, make_practitioner
from srbgov.testing import BaseTestCase, make_id_number

RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

ENTRIES = st.lists(
    st.tuples(
        st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 1, 5)),
        st.integers(1, 4),
    ),
    max_size=12,
)


@RELAXED
@given(ENTRIES)
def test_a_day_is_reported_exactly_when_two_facilities_share_it(
    entries: list[tuple[date, int]],
) -> None:
    rows = [(day, facility, f"机构{facility}") for day, facility in entries]
    found = same_day_terminations(rows)
    expected = {
        day: {f for d, f in entries if d == day}
        for day, _f in entries
        if len({f for d, f in entries if d == day}) > 1
    }
    assert [f.day for f in found] == sorted(expected)
    for f in found:
        assert f.facilities == len(expected[f.day])
        assert f.names == tuple(sorted(f"机构{i}" for i in expected[f.day]))
    # The order of the entries does not matter.
    assert same_day_terminations(list(reversed(rows))) == found


class DuplicateTerminationTests(BaseTestCase):
    center: ClassVar[Facility]
    clinic: ClassVar[Facility]
    hospital_b: ClassVar[Facility]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.center = make_facility(by=cls.health_a, area=cls.town_a)
        cls.clinic = make_facility(
            by=cls.health_a, area=cls.town_a, name="甲镇民营医院", kind="clinic"
        )
        cls.hospital_b = make_facility(by=cls.xian, area=cls.town_b, name="乙镇医院")

    def _terminate(
        self, number: str, facility: Facility, day: date
    ) -> TerminationRecord:
        return record_termination(
            by=self.xian,
            facility=facility,
            woman_name="钱芳",
            id_number=number,
            terminated_on=day,
            gestational_weeks=9,
            method="medical",
            operator=make_practitioner(by=self.xian, facility=facility),
            medical_reason="本人要求",
        )

    def _warnings(self, entry: TerminationRecord) -> list[str]:
        page = self.client.get(reverse("providers:termination_detail", args=[entry.pk]))
        assert page.status_code == 200
        return list(page.context["warnings"])

    def test_two_facilities_on_one_day_warn_on_both_entries(self) -> None:
        number = make_id_number()
        day = days_ago(3)
        first = self._terminate(number, self.center, day)
        second = self._terminate(number, self.clinic, day)
        self.login(self.health_a)
        for entry in (first, second):
            (text,) = self._warnings(entry)
            self.assertIn(day.isoformat(), text)
            self.assertIn("2家机构", text)
            self.assertIn("甲镇卫生院、甲镇民营医院", text)
        page = self.client.get(reverse("providers:termination_detail", args=[first.pk]))
        self.assertContains(page, 'data-warning="duplicate_termination"')
        # A warning, not a refusal: both entries stand.
        self.assertEqual(TerminationRecord.objects.count(), 2)

    def test_entries_the_reader_may_not_open_are_not_compared(self) -> None:
        number = make_id_number()
        day = days_ago(3)
        mine = self._terminate(number, self.center, day)
        theirs = self._terminate(number, self.hospital_b, day)
        elsewhere = make_facility(
            by=self.other_xian, area=self.other_county, name="邻县医院"
        )
        self._terminate(number, elsewhere, day)
        # 甲镇's keeper opens only 甲镇's entry: nothing to compare, nothing said.
        self.login(self.health_a)
        self.assertEqual(self._warnings(mine), [])
        # The county sees both of its own, named; the other county's is not counted.
        self.login(self.xian)
        (text,) = self._warnings(theirs)
        self.assertIn("2家机构", text)
        self.assertIn("乙镇医院、甲镇卫生院", text)
        self.assertNotIn("邻县", text)
        # Her entry at the other township stays 404 for this township's reader.
        self.login(self.health_a)
        self.assertEqual(
            self.client.get(
                reverse("providers:termination_detail", args=[theirs.pk])
            ).status_code,
            404,
        )

    def test_another_day_another_woman_or_one_facility_warn_nothing(self) -> None:
        number = make_id_number()
        day = days_ago(5)
        entry = self._terminate(number, self.center, day)
        # Completed at another facility two days later: lawful care, not a duplicate.
        self._terminate(number, self.clinic, day + timedelta(days=2))
        self._terminate(make_id_number(), self.clinic, day)
        self._terminate(number, self.center, day)
        self.login(self.health_a)
        self.assertEqual(self._warnings(entry), [])
