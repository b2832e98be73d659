"""Demo organisation (docs/assessment.md §4): responsibility books signed by every
township with the county and by 湫坡头镇's villages and member units (one village still
unsigned), two joint meetings of 湫坡头镇 with follow-up tasks (one overdue), and three
supervision visits with rectification items (one overdue).

Runs after the assessment demo (it needs the leading group and the indicators).
Deterministic and idempotent: keyed by areas, units and dates fixed against the anchor.
The scans are small generated PNG pages stored through the one upload pipeline.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from srbgov.accounts.models import Role, User
from srbgov.areas.models import Area
from srbgov.workplans import services
from srbgov.workplans.models import (
    Body,
    JointMeeting,
    Member,
    PlanTask,
    ResponsibilityBook,
    SupervisionItem,
    SupervisionVisit,
)

MEETINGS = [
    (
        (4, 8),
        "一季度“两非”线索排查和孕情清理",
        "派出所牵头核查举报线索；计生办四月底前完成有孕情无生育对象清理。",
        [
            ("派出所", "核查一季度举报的两条“两非”线索", 20, True),
            ("计生办", "清理有孕情而没有生育的对象并逐户登记", 30, True),
        ],
    ),
    (
        (7, 15),
        "半年工作推进和B超管理",
        "卫生院八月底前完成B超室警示标志和登记核查；各村补齐随访记录。",
        [
            ("卫生院", "B超室、妇产科张贴禁止“两非”警示标志并自查登记", 45, True),
            ("计生办", "汇总各村随访记录缺项并督促补齐", 60, False),
        ],
    ),
]

VISITS = [
    # (month, day), village index, findings, items (description, days to deadline, closed)
    (
        (6, 10),
        0,
        "孕情台账整洁；两户随访记录责任人签字不全。",
        [("补齐两户随访记录的责任人签字", 20, True)],
    ),
    (
        (9, 20),
        1,
        "月报告单按时上报；三户孕妇本月未随访，宣传栏未更新。",
        [("对三户孕妇补做随访并记录", 20, False), ("更新村宣传栏内容", 30, True)],
    ),
]


def scan_page(title: str) -> SimpleUploadedFile:
    """A legible stand-in for the scan of a signed page (no fonts needed)."""
    image = Image.new("L", (620, 877), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 580, 837), outline=0, width=3)
    for line in range(8):
        draw.line((80, 140 + 70 * line, 540, 140 + 70 * line), fill=120, width=2)
    draw.ellipse((400, 680, 540, 820), outline=0, width=4)  # the seal
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(f"{title}.png", out.getvalue(), content_type="image/png")


def load(*, townships: list[Area], anchor: date) -> None:
    county = townships[0].parent if townships else None
    xian = User.objects.filter(username="xian").first()
    township = townships[0] if townships else None
    officer = (
        User.objects.filter(area=township, role=Role.TOWNSHIP_OFFICER)
        .order_by("id")
        .first()
    )
    if county is None or xian is None or township is None or officer is None:
        return
    year = anchor.year
    for i, town in enumerate(townships):
        _book(xian, county, year, date(year, 2, 20) + timedelta(days=i), area=town)
    villages = list(Area.objects.filter(parent=township).order_by("code"))
    for i, village in enumerate(villages):
        # The last village has a drafted book not yet signed: the list shows it.
        signed_on = None if i == len(villages) - 1 else date(year, 3, 5 + i % 20)
        _book(officer, township, year, signed_on, area=village)
    units = Member.objects.filter(area=township, body=Body.DEPARTMENT).order_by("id")
    for i, unit in enumerate(units):
        _book(officer, township, year, date(year, 3, 2 + i), unit=unit)
    _meetings(township, officer, year)
    _visits(township, officer, villages, year)


def _book(
    by: User,
    issuer: Area,
    year: int,
    signed_on: date | None,
    *,
    area: Area | None = None,
    unit: Member | None = None,
) -> None:
    found = ResponsibilityBook.objects.filter(
        issuer=issuer, year=year, party_area=area, party_unit=unit
    ).exists()
    if found:
        return
    book = services.draft_book(
        by=by, issuer=issuer, year=year, party_area=area, party_unit=unit
    )
    if signed_on is not None:
        services.sign_book(
            by=by,
            book=book,
            signed_on=signed_on,
            signer_name=f"{book.party_name}负责人",
            scan=scan_page(book.title),
        )


def _meetings(township: Area, officer: User, year: int) -> None:
    members = list(Member.objects.filter(area=township).exclude(body=Body.OFFICE))
    for (month, day), topics, decisions, tasks in MEETINGS:
        held_on = date(year, month, day)
        if JointMeeting.objects.filter(area=township, held_on=held_on).exists():
            continue
        meeting = services.record_meeting(
            by=officer,
            area=township,
            held_on=held_on,
            convener="镇长",
            topics=topics,
            decisions=decisions,
            attendees=members,
            other_attendees="各村计生专干",
        )
        for department, description, days, done in tasks:
            due = held_on + timedelta(days=days)
            task = services.add_meeting_task(
                by=officer,
                meeting=meeting,
                department=department,
                description=description,
                owner=officer if department == "计生办" else None,
                owner_name=f"{township.name}{department}",
                due_on=due,
            )
            if done:  # finished on its deadline, not on the day the demo loads
                PlanTask.objects.filter(pk=task.pk).update(progress=100, done_on=due)


def _visits(township: Area, officer: User, villages: list[Area], year: int) -> None:
    for (month, day), index, findings, items in VISITS:
        visited_on = date(year, month, day)
        village = villages[index % len(villages)]
        if SupervisionVisit.objects.filter(
            area=township, visited_area=village, visited_on=visited_on
        ).exists():
            continue
        visit = services.record_supervision(
            by=officer,
            area=township,
            visited_area=village,
            visited_on=visited_on,
            team="镇计生办、镇卫生院",
            findings=findings,
            items=[(text, visited_on + timedelta(days=d)) for text, d, _c in items],
        )
        for item, (_text, days, closed) in zip(
            visit.items.order_by("id"), items, strict=True
        ):
            if closed:
                done_on = visited_on + timedelta(days=days - 3)
                SupervisionItem.objects.filter(pk=item.pk).update(
                    status="closed",
                    measures="已按期整改",
                    reported_on=done_on,
                    review_note="经复查，整改到位",
                    closed_on=done_on,
                )
    unit = Member.objects.filter(area=township, body=Body.DEPARTMENT, name="卫生院")
    visited_on = date(year, 8, 28)
    if (
        unit.exists()
        and not SupervisionVisit.objects.filter(
            area=township, visited_unit__in=unit, visited_on=visited_on
        ).exists()
    ):
        services.record_supervision(
            by=officer,
            area=township,
            visited_unit=unit.get(),
            visited_on=visited_on,
            team="镇纪委、镇计生办",
            findings="B超室警示标志已张贴，B超检查登记完整。",
        )
