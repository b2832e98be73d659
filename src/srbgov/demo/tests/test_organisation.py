"""The demo's organisation part (srbgov/demo/organisation.py): books with one village
unsigned, two meetings with tasks, supervision with one overdue item; loads once."""

from __future__ import annotations

from datetime import date

import time_machine

from srbgov.demo import assessment, organisation
from srbgov.files.models import StoredFile
from srbgov.testing import TemporaryMediaTestCase
from srbgov.workplans import queries
from srbgov.workplans.models import (
    BookStatus,
    JointMeeting,
    PlanTask,
    ResponsibilityBook,
    SupervisionItem,
    SupervisionVisit,
)

ANCHOR = date(2026, 11, 1)


@time_machine.travel(date(2026, 11, 20), tick=False)
class OrganisationDemoTests(TemporaryMediaTestCase):
    def load(self) -> None:
        assessment.load(townships=[self.town_a], anchor=ANCHOR)
        organisation.load(townships=[self.town_a, self.town_b], anchor=ANCHOR)

    def counts(self) -> list[int]:
        return [
            m.objects.count()
            for m in (ResponsibilityBook, JointMeeting, PlanTask, SupervisionVisit)
        ] + [SupervisionItem.objects.count(), StoredFile.objects.count()]

    def test_it_loads_once_with_a_missing_book_and_an_overdue_item(self) -> None:
        self.load()
        signed = ResponsibilityBook.objects.filter(status=BookStatus.SIGNED)
        # both townships with the county, 一村 and the three member units with 甲镇
        assert {b.party_name for b in signed} == {
            "甲镇",
            "乙镇",
            "一村",
            "计生办",
            "卫生院",
            "派出所",
        }
        assert all(b.scan_id for b in signed)
        missing = queries.missing_books(scope=self.town_a, year=2026)
        assert [(m.party, m.draft is not None) for m in missing] == [("二村", True)]
        assert JointMeeting.objects.count() == 2
        meeting_tasks = PlanTask.objects.filter(meeting__isnull=False)
        assert meeting_tasks.count() == 4
        overdue_tasks = meeting_tasks.overdue(on=ANCHOR)
        assert [t.description for t in overdue_tasks] == [
            "汇总各村随访记录缺项并督促补齐"
        ]
        overdue = SupervisionItem.objects.overdue(on=ANCHOR)
        assert [i.description for i in overdue] == ["对三户孕妇补做随访并记录"]
        assert SupervisionVisit.objects.filter(visited_unit__isnull=False).count() == 1
        before = self.counts()
        self.load()
        assert self.counts() == before
