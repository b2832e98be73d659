"""Responsibility books, joint meetings, supervision visits (docs/assessment.md §4): each
workflow with real inputs, the pages, the sheets, and 404 for every outsider."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook

from srbgov.assessment.indicators import Period
from srbgov.assessment.models import Indicator, Level
from srbgov.assessment.organisation import count_supervision_closed
from srbgov.assessment.scorecard import build_scorecard
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.core.home import figures_for
from srbgov.files.tests.samples import marks_in, png_with_text
from srbgov.testing import TemporaryMediaTestCase, covers_scope
from srbgov.workplans import access, queries, services
from srbgov.workplans.models import (
    Body,
    BookStatus,
    ItemStatus,
    JointMeeting,
    Member,
    ResponsibilityBook,
    SupervisionVisit,
)

TODAY = date(2026, 5, 10)


def scan() -> SimpleUploadedFile:
    return SimpleUploadedFile("责任书.png", png_with_text(), content_type="image/png")


@time_machine.travel(TODAY, tick=False)
class ResponsibilityBookTests(TemporaryMediaTestCase):
    hospital: ClassVar[Member]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.hospital = services.add_member(
            by=cls.zhen_a,
            area=cls.town_a,
            body=Body.DEPARTMENT,
            name="甲镇卫生院",
            duties="B超、终止妊娠登记",
        )

    def draft(self, party: object = None) -> ResponsibilityBook:
        return services.draft_book(
            by=self.zhen_a,
            issuer=self.town_a,
            year=2026,
            party_area=party or self.village_a,  # type: ignore[arg-type]
        )

    def test_a_village_book_copies_the_year_indicators_as_targets(self) -> None:
        Indicator.objects.create(
            county=self.county,
            year=2026,
            level=Level.VILLAGE,
            kind="on_time_registration",
            name="孕情登记及时率",
            target=Decimal(90),
            weight=50,
        )
        book = self.draft()
        assert book.title == "2026年一村出生人口性别比综合治理目标管理责任书"
        assert book.indicators == [
            {"key": "on_time_registration", "name": "孕情登记及时率", "target": "≥90%"}
        ]
        # A township's book gets the township level's (default) indicators.
        town_book = services.draft_book(
            by=self.xian, issuer=self.county, year=2026, party_area=self.town_a
        )
        assert "campaigns_held" in [t["key"] for t in town_book.indicators]
        unit_book = services.draft_book(
            by=self.zhen_a, issuer=self.town_a, year=2026, party_unit=self.hospital
        )
        assert unit_book.indicators == [] and unit_book.party_name == "甲镇卫生院"

    def test_one_book_per_party_and_year_and_only_to_the_level_below(self) -> None:
        self.draft()
        with self.assertRaises(ValidationError):
            self.draft()
        with self.assertRaises(ValidationError):  # 三村 is 乙镇's, not 甲镇's
            self.draft(self.village_c)
        with self.assertRaises(ValidationError):  # a county skips no level
            services.draft_book(
                by=self.xian, issuer=self.county, year=2026, party_area=self.village_a
            )
        other_unit = Member.objects.create(
            area=self.town_b, body=Body.DEPARTMENT, name="乙镇派出所"
        )
        with self.assertRaises(ValidationError):
            services.draft_book(
                by=self.zhen_a, issuer=self.town_a, year=2026, party_unit=other_unit
            )
        assert services.draft_book(
            by=self.zhen_a, issuer=self.town_a, year=2027, party_area=self.village_a
        )

    def test_signing_stores_the_cleaned_scan_and_the_missing_list_shrinks(self) -> None:
        missing = queries.missing_books(scope=self.town_a, year=2026)
        assert [(m.party, m.kind) for m in missing] == [
            ("一村", "village"),
            ("二村", "village"),
            ("甲镇卫生院", "unit"),
        ]
        book = self.draft()
        self.login(self.zhen_a)
        response = self.client.post(
            reverse("workplans:book_sign", args=[book.pk]),
            {
                "signed_on": "2026-03-01",
                "signer_name": "一村村委会主任",
                "scan": scan(),
            },
        )
        assert response.status_code == 302
        book.refresh_from_db()
        assert book.status == BookStatus.SIGNED and book.signed_on == date(2026, 3, 1)
        assert book.scan is not None
        stored = (Path(self.media) / book.scan.path).read_bytes()
        assert marks_in(stored) == []  # the PNG's author text chunk is gone
        download = self.client.get(reverse("workplans:book_scan", args=[book.pk]))
        assert download["Content-Disposition"].startswith("attachment")
        assert download.content == stored
        assert [
            m.party for m in queries.missing_books(scope=self.town_a, year=2026)
        ] == [
            "二村",
            "甲镇卫生院",
        ]
        # The county sees its own township parties and every township's parties.
        county_missing = queries.missing_books(scope=self.county, year=2026)
        assert {m.party for m in county_missing} == {
            "甲镇",
            "乙镇",
            "二村",
            "三村",
            "甲镇卫生院",
        }
        page = self.client.get(reverse("workplans:book_list"), {"year": 2026})
        assert (
            "二村" in page.content.decode()
            and page.context["missing"][0].party == "二村"
        )
        assert AuditEntry.objects.filter(
            action=AuditAction.UPDATE, object_type="workplans.responsibilitybook"
        ).exists()

    def test_a_book_is_not_signed_twice_nor_in_the_future_nor_without_a_scan(
        self,
    ) -> None:
        book = self.draft()
        with self.assertRaises(ValidationError):
            services.sign_book(
                by=self.zhen_a,
                book=book,
                signed_on=TODAY + timedelta(days=1),
                signer_name="x",
                scan=scan(),
            )
        self.login(self.zhen_a)
        self.client.post(
            reverse("workplans:book_sign", args=[book.pk]),
            {"signed_on": "2026-03-01", "signer_name": "主任"},
        )
        book.refresh_from_db()
        assert book.status == BookStatus.DRAFT
        services.sign_book(
            by=self.zhen_a, book=book, signed_on=TODAY, signer_name="x", scan=scan()
        )
        with self.assertRaises(ValidationError):
            services.sign_book(
                by=self.zhen_a, book=book, signed_on=TODAY, signer_name="y", scan=scan()
            )

    def test_the_sheet_is_the_page_table(self) -> None:
        self.draft()
        self.login(self.zhen_a)
        response = self.client.get(reverse("workplans:book_export"), {"year": 2026})
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:4] == ("年度", "标题", "发出单位", "签订对象")
        assert rows[1][3] == "一村" and rows[1][4] == "待签订"

    @covers_scope(
        "workplans:book_list",
        "workplans:book_export",
        "workplans:book_create",
        "workplans:book_detail",
        "workplans:book_sign",
        "workplans:book_scan",
    )
    def test_outsiders_get_404(self) -> None:
        book = self.draft()
        services.sign_book(
            by=self.zhen_a, book=book, signed_on=TODAY, signer_name="x", scan=scan()
        )
        for user in (self.cun_b, self.zhen_b, self.other_xian):
            self.login(user)
            for name in ("book_detail", "book_scan"):
                url = reverse(f"workplans:{name}", args=[book.pk])
                assert self.client.get(url).status_code == 404, (user, name)
        for user in (self.zhen_b, self.other_xian):
            self.login(user)
            url = reverse("workplans:book_sign", args=[book.pk])
            assert self.client.post(url).status_code == 404
        self.login(self.police_a)
        for name in ("book_list", "book_export", "book_create"):
            assert self.client.get(reverse(f"workplans:{name}")).status_code == 404
        # The village sees its own book but does not sign it.
        self.login(self.cun_a)
        assert (
            self.client.get(
                reverse("workplans:book_detail", args=[book.pk])
            ).status_code
            == 200
        )
        assert self.client.get(reverse("workplans:book_create")).status_code == 404


@time_machine.travel(TODAY, tick=False)
class JointMeetingTests(TemporaryMediaTestCase):
    head: ClassVar[Member]
    police: ClassVar[Member]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.head = services.add_member(
            by=cls.zhen_a,
            area=cls.town_a,
            body=Body.LEADING_GROUP,
            name="王镇长",
            position="组长",
        )
        cls.police = services.add_member(
            by=cls.zhen_a, area=cls.town_a, body=Body.DEPARTMENT, name="甲镇派出所"
        )

    def meeting(self) -> JointMeeting:
        return services.record_meeting(
            by=self.zhen_a,
            area=self.town_a,
            held_on=date(2026, 4, 2),
            convener="王镇长",
            topics="一季度“两非”线索排查",
            decisions="派出所牵头核查三条线索",
            attendees=[self.head, self.police],
        )

    def test_the_page_records_a_meeting_and_its_tasks_reach_the_owner_home(
        self,
    ) -> None:
        self.login(self.zhen_a)
        response = self.client.post(
            reverse("workplans:meeting_create"),
            {
                "held_on": "2026-04-02",
                "convener": "王镇长",
                "attendees": [self.head.pk, self.police.pk],
                "topics": "一季度“两非”线索排查",
                "decisions": "派出所牵头核查",
            },
        )
        meeting = JointMeeting.objects.get()
        assert response.url == reverse("workplans:meeting_detail", args=[meeting.pk])  # type: ignore[attr-defined]
        assert set(meeting.attendees.all()) == {self.head, self.police}
        self.client.post(
            reverse("workplans:meeting_task_add", args=[meeting.pk]),
            {
                "department": "一村",
                "description": "走访核实线索",
                "owner": self.cun_a.pk,
                "owner_name": "一村计生专干",
                "due_on": "2026-05-01",
            },
        )
        task = meeting.tasks.get()
        assert task.plan is None and task.source_title == str(meeting)
        assert list(access.overdue_tasks_for(self.cun_a)) == [task]
        figures = {key: value for key, value, _url, _label in figures_for(self.cun_a)}
        assert figures["workplans_overdue_tasks"] == 1
        self.client.post(
            reverse("workplans:task_progress", args=[task.pk]),
            {"progress": 100, "note": "已核实"},
        )
        task.refresh_from_db()
        assert task.done_on == TODAY and not access.overdue_tasks_for(self.cun_a)
        page = self.client.get(reverse("workplans:meeting_list"), {"year": 2026})
        assert page.context["table"].rows[0][4].text == "2"  # attendees
        assert page.context["table"].rows[0][5].text == "1"  # tasks

    def test_attendees_are_members_of_the_meeting_level(self) -> None:
        stranger = Member.objects.create(
            area=self.town_b, body=Body.DEPARTMENT, name="乙镇卫生院"
        )
        with self.assertRaises(ValidationError):
            services.record_meeting(
                by=self.zhen_a,
                area=self.town_a,
                held_on=TODAY,
                convener="x",
                topics="x",
                decisions="x",
                attendees=[stranger],
            )
        with self.assertRaises(ValidationError):
            services.add_meeting_task(
                by=self.zhen_a,
                meeting=self.meeting(),
                department="x",
                description="x",
                owner_name="x",
                owner=self.zhen_b,
                due_on=TODAY,
            )

    @covers_scope(
        "workplans:meeting_list",
        "workplans:meeting_export",
        "workplans:meeting_create",
        "workplans:meeting_detail",
        "workplans:meeting_task_add",
    )
    def test_outsiders_get_404(self) -> None:
        meeting = self.meeting()
        for user in (self.cun_a, self.zhen_b, self.other_xian):
            self.login(user)
            url = reverse("workplans:meeting_detail", args=[meeting.pk])
            assert self.client.get(url).status_code == 404
        for user in (self.zhen_b, self.other_xian):
            self.login(user)
            url = reverse("workplans:meeting_task_add", args=[meeting.pk])
            assert self.client.post(url).status_code == 404
        self.login(self.police_a)
        for name in ("meeting_list", "meeting_export", "meeting_create"):
            assert self.client.get(reverse(f"workplans:{name}")).status_code == 404
        self.login(self.xian)
        assert (
            self.client.get(
                reverse("workplans:meeting_detail", args=[meeting.pk])
            ).status_code
            == 200
        )


@time_machine.travel(TODAY, tick=False)
class SupervisionTests(TemporaryMediaTestCase):
    def visit(self, village: object = None, **kwargs: object) -> SupervisionVisit:
        return services.record_supervision(
            by=self.zhen_a,
            area=self.town_a,
            visited_area=village or self.village_a,  # type: ignore[arg-type]
            visited_on=date(2026, 3, 15),
            team="镇计生办、镇卫生院",
            findings="孕情台账有两户未按月随访",
            items=[
                ("补齐两户随访记录", date(2026, 4, 15)),
                ("责任人签字不全", date(2026, 6, 1)),
            ],
            **kwargs,  # type: ignore[arg-type]
        )

    def test_the_village_reports_and_the_township_returns_then_closes(self) -> None:
        visit = self.visit()
        first, second = visit.items.order_by("deadline")
        self.login(self.cun_a)
        self.client.post(
            reverse("workplans:item_report", args=[first.pk]),
            {"measures": "已补齐两户随访记录"},
        )
        first.refresh_from_db()
        assert first.status == ItemStatus.REPORTED
        # The village cannot review its own rectification.
        assert (
            self.client.post(
                reverse("workplans:item_review", args=[first.pk]), {"accept": "yes"}
            ).status_code
            == 404
        )
        self.login(self.zhen_a)
        self.client.post(
            reverse("workplans:item_review", args=[first.pk]), {"accept": "no"}
        )
        first.refresh_from_db()
        assert first.status == ItemStatus.REPORTED  # a return needs its reason
        self.client.post(
            reverse("workplans:item_review", args=[first.pk]),
            {"accept": "no", "note": "缺少随访签字"},
        )
        first.refresh_from_db()
        assert first.status == ItemStatus.OPEN and first.review_note == "缺少随访签字"
        services.report_item(by=self.cun_a, item=first, measures="补签")
        services.review_item(by=self.zhen_a, item=first, accept=True)
        first.refresh_from_db()
        assert first.status == ItemStatus.CLOSED and first.closed_on == TODAY
        assert second.status == ItemStatus.OPEN

    def test_overdue_items_are_listed_and_on_the_home_page(self) -> None:
        visit = self.visit()
        overdue = visit.items.get(deadline=date(2026, 4, 15))
        assert list(access.overdue_items_for(self.zhen_a)) == [overdue]
        assert list(access.overdue_items_for(self.cun_a)) == [overdue]
        assert list(access.overdue_items_for(self.cun_b)) == []
        figures = {key: value for key, value, _url, _label in figures_for(self.zhen_a)}
        assert figures["workplans_overdue_supervision"] == 1
        self.login(self.zhen_a)
        page = self.client.get(
            reverse("workplans:supervision_list"), {"year": "2026", "status": "overdue"}
        )
        assert [r[2].text for r in page.context["table"].rows] == ["补齐两户随访记录"]
        sheet = load_workbook(
            io.BytesIO(
                self.client.get(
                    reverse("workplans:supervision_export"), {"year": 2026}
                ).content
            )
        ).active
        assert sheet is not None
        assert sheet.max_row == 3  # header and both items

    def test_the_indicator_counts_closed_items_per_village_with_drill_down(
        self,
    ) -> None:
        visit = self.visit()
        self.visit(self.village_b)
        first = visit.items.get(deadline=date(2026, 4, 15))
        services.report_item(by=self.cun_a, item=first, measures="已补齐")
        services.review_item(by=self.zhen_a, item=first, accept=True)
        tallies = count_supervision_closed(self.town_a, Period.of(2026))
        assert {k: (t.numerator, t.denominator) for k, t in tallies.items()} == {
            self.village_a.pk: (1, 2),
            self.village_b.pk: (0, 2),
        }
        Indicator.objects.create(
            county=self.county,
            year=2026,
            level=Level.TOWNSHIP,
            kind="supervision_closed",
            name="督查发现问题整改完成率",
            target=Decimal(100),
            weight=100,
        )
        card = build_scorecard(
            area=self.county, level=Level.TOWNSHIP, period=Period.of(2026)
        )
        by_town = {row.unit.pk: row.cells[0].figure for row in card.rows}
        assert (
            by_town[self.town_a.pk].numerator,
            by_town[self.town_a.pk].denominator,
        ) == (1, 4)
        assert by_town[self.town_a.pk].met is False
        assert (
            by_town[self.town_b.pk].met is None
        )  # no visits: the indicator does not apply
        self.login(self.zhen_a)
        response = self.client.get(
            reverse("assessment:indicator_records"),
            {
                "area": str(self.village_a.pk),
                "kind": "supervision_closed",
                "year": "2026",
            },
        )
        assert response.status_code == 200
        text = response.content.decode()
        assert "补齐两户随访记录" in text and "责任人签字不全" in text

    def test_a_visit_goes_to_a_unit_below_with_deadlines_after_it(self) -> None:
        with self.assertRaises(ValidationError):
            self.visit(self.village_c)
        with self.assertRaises(ValidationError):
            services.record_supervision(
                by=self.zhen_a,
                area=self.town_a,
                visited_area=self.village_a,
                visited_on=date(2026, 3, 15),
                team="x",
                findings="x",
                items=[("x", date(2026, 3, 1))],
            )
        assert not SupervisionVisit.objects.exists()  # nothing half-written
        unit = services.add_member(
            by=self.zhen_a, area=self.town_a, body=Body.DEPARTMENT, name="甲镇卫生院"
        )
        unit_visit = services.record_supervision(
            by=self.zhen_a,
            area=self.town_a,
            visited_unit=unit,
            visited_on=date(2026, 3, 15),
            team="x",
            findings="B超室未张贴禁止“两非”标志",
        )
        assert unit_visit.visited_name == "甲镇卫生院"

    @covers_scope(
        "workplans:supervision_list",
        "workplans:supervision_export",
        "workplans:supervision_create",
        "workplans:supervision_detail",
        "workplans:supervision_item_add",
        "workplans:item_report",
        "workplans:item_review",
    )
    def test_outsiders_get_404(self) -> None:
        visit = self.visit()
        item = visit.items.first()
        assert item is not None
        for user in (self.cun_b, self.zhen_b, self.other_xian):
            self.login(user)
            url = reverse("workplans:supervision_detail", args=[visit.pk])
            assert self.client.get(url).status_code == 404
            url = reverse("workplans:item_report", args=[item.pk])
            assert self.client.post(url, {"measures": "x"}).status_code == 404
        for user in (self.zhen_b, self.other_xian):
            self.login(user)
            for name, pk in (
                ("supervision_item_add", visit.pk),
                ("item_review", item.pk),
            ):
                url = reverse(f"workplans:{name}", args=[pk])
                assert self.client.post(url).status_code == 404
        self.login(self.police_a)
        for name in ("supervision_list", "supervision_export", "supervision_create"):
            assert self.client.get(reverse(f"workplans:{name}")).status_code == 404
        item.refresh_from_db()
        assert item.status == ItemStatus.OPEN


@time_machine.travel(TODAY, tick=False)
class YearSummaryTests(TemporaryMediaTestCase):
    def test_the_year_summary_docx_carries_books_meetings_and_supervision(
        self,
    ) -> None:
        unit = services.add_member(
            by=self.zhen_a, area=self.town_a, body=Body.DEPARTMENT, name="甲镇派出所"
        )
        book = services.draft_book(
            by=self.zhen_a, issuer=self.town_a, year=2026, party_area=self.village_a
        )
        services.sign_book(
            by=self.zhen_a, book=book, signed_on=TODAY, signer_name="x", scan=scan()
        )
        meeting = services.record_meeting(
            by=self.zhen_a,
            area=self.town_a,
            held_on=date(2026, 4, 2),
            convener="镇长",
            topics="线索排查",
            decisions="派出所核查",
            attendees=[unit],
        )
        for due in (date(2026, 4, 20), date(2026, 6, 1)):
            services.add_meeting_task(
                by=self.zhen_a,
                meeting=meeting,
                department="派出所",
                description="核查线索",
                owner_name="所长",
                due_on=due,
            )
        visit = services.record_supervision(
            by=self.zhen_a,
            area=self.town_a,
            visited_area=self.village_b,
            visited_on=date(2026, 3, 1),
            team="计生办",
            findings="x",
            items=[("a", date(2026, 4, 1)), ("b", date(2026, 4, 2)), ("c", TODAY)],
        )
        first = visit.items.order_by("id").first()
        assert first is not None
        services.report_item(by=self.cun_b, item=first, measures="done")
        services.review_item(by=self.zhen_a, item=first, accept=True)
        # One signed (一村), two missing (二村, 派出所); one meeting, 2 tasks, none done;
        # one visit, 3 items, 1 closed, 1 overdue ("b"; "c" is due today).
        expected = (
            "层层签订目标管理责任书1份，尚有2个单位未签订；召开联席会议1次，交办任务2项，"
            "已完成0项；开展督查1次，发现问题3个，已整改完成1个，逾期未整改1个。"
        )
        self.login(self.zhen_a)
        url = reverse("assessment:document_draft", args=["year-summary"])
        form = self.client.get(url, {"year": 2026}).context["form"]
        assert expected in form.initial["body"]
        data = {k: form.initial[k] for k in ("issuer", "title", "signatory", "body")}
        data.update(number="", addressee="", date="2026-11-20", docx="1")
        response = self.client.post(url + "?year=2026", data)
        doc = Document(io.BytesIO(response.content))
        texts = [p.text for p in doc.paragraphs]
        assert "（一）目标责任、联席会议和督查" in texts
        body = next(p for p in doc.paragraphs if p.text == expected)
        r_pr = body.runs[0]._element.rPr
        assert r_pr is not None
        fonts = r_pr.find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
        assert body.runs[0].font.size == Pt(16)
