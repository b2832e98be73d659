"""Responsibility books, joint meetings, supervision visits (docs/assessment.md §4).

Every write here is keyword-only, atomic and audited. Seed: 湫坡头镇 plan §三 (层层签订
责任书, 联席会议), XX镇 plan §四3 (督查, 限期整改), 炉山镇 summary §二.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.areas.models import Area, AreaLevel
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.files.services import Upload, clean_uploads_first, store_upload
from srbgov.workplans.hooks import indicator_targets
from srbgov.workplans.models import (
    Body,
    BookStatus,
    ItemStatus,
    JointMeeting,
    Member,
    PlanTask,
    ResponsibilityBook,
    SupervisionItem,
    SupervisionVisit,
)
from srbgov.workplans.services.plans import save_new_task

if TYPE_CHECKING:
    from srbgov.accounts.models import User


def _not_in_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("日期不能晚于今天。")})


def _check_unit(unit: Member, area: Area, field: str) -> None:
    if unit.body != Body.DEPARTMENT or unit.area_id != area.pk:
        raise ValidationError({field: _("须是本级领导小组的成员单位。")})


# --- 责任书 ---


@transaction.atomic
def draft_book(
    *,
    by: User,
    issuer: Area,
    year: int,
    party_area: Area | None = None,
    party_unit: Member | None = None,
    title: str = "",
    targets: str = "",
) -> ResponsibilityBook:
    """A book from `issuer` to a township (county issuer), a village (township issuer)
    or one of the issuer's member units, with the year's indicators for the party
    copied as its targets (hooks.indicator_targets). One per party and year."""
    if (party_area is None) == (party_unit is None):
        raise ValidationError(_("请选择一个签订对象：下级区划或成员单位。"))
    if party_area is not None and party_area.parent_id != issuer.pk:
        raise ValidationError({"party_area": _("签订对象须是发出单位的直接下级。")})
    if party_unit is not None:
        _check_unit(party_unit, issuer, "party_unit")
    if issuer.level == AreaLevel.VILLAGE:
        raise ValidationError(_("村不发出责任书。"))
    party_name = party_area.name if party_area is not None else party_unit.name  # type: ignore[union-attr]
    book = ResponsibilityBook(
        issuer=issuer,
        party_area=party_area,
        party_unit=party_unit,
        year=year,
        title=title.strip()
        or _("%(year)s年%(party)s出生人口性别比综合治理目标管理责任书")
        % {"year": year, "party": party_name},
        indicators=(
            indicator_targets(party=party_area, year=year)
            if party_area is not None
            else []
        ),
        targets=targets.strip(),
        created_by=by,
    )
    book.full_clean()
    book.save()
    record(user=by, action=AuditAction.CREATE, obj=book)
    return book


@clean_uploads_first("scan")
@transaction.atomic
def sign_book(
    *,
    by: User,
    book: ResponsibilityBook,
    signed_on: date,
    signer_name: str,
    scan: Upload,
) -> ResponsibilityBook:
    """The book is signed: the date, who signed for the party, and the scan of the
    signed and sealed page (through the one upload pipeline, docs/uploads.md)."""
    book = ResponsibilityBook.objects.select_for_update().get(pk=book.pk)
    if book.status != BookStatus.DRAFT:
        raise ValidationError(_("这份责任书已经签订。"))
    _not_in_future(signed_on, "signed_on")
    if not signer_name.strip():
        raise ValidationError({"signer_name": _("请填写签订人。")})
    book.scan = store_upload(by=by, upload=scan, folder="books", field="scan")
    book.status, book.signed_on = BookStatus.SIGNED, signed_on
    book.signer_name = signer_name.strip()
    book.full_clean()
    book.save()
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=book,
        detail={"status": [BookStatus.DRAFT, BookStatus.SIGNED]},
    )
    return book


# --- 联席会议 ---


@transaction.atomic
def record_meeting(
    *,
    by: User,
    area: Area,
    held_on: date,
    convener: str,
    topics: str,
    decisions: str,
    attendees: Iterable[Member],
    other_attendees: str = "",
) -> JointMeeting:
    """A joint meeting of the leading group and its member departments at `area`."""
    _not_in_future(held_on, "held_on")
    present = list(attendees)
    if not present:
        raise ValidationError({"attendees": _("请选择参会的领导小组成员或成员单位。")})
    if any(member.area_id != area.pk for member in present):
        raise ValidationError({"attendees": _("参会成员须是本级领导小组的成员。")})
    meeting = JointMeeting(
        area=area,
        held_on=held_on,
        convener=convener.strip(),
        topics=topics.strip(),
        decisions=decisions.strip(),
        other_attendees=other_attendees.strip(),
        recorded_by=by,
    )
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(present)
    record(
        user=by,
        action=AuditAction.CREATE,
        obj=meeting,
        detail={"attendees": [m.pk for m in present]},
    )
    return meeting


@transaction.atomic
def add_meeting_task(
    *,
    by: User,
    meeting: JointMeeting,
    department: str,
    description: str,
    owner_name: str,
    due_on: date,
    owner: User | None = None,
) -> PlanTask:
    """A follow-up task decided at the meeting: a plan task without a plan, so that it
    has progress and, once overdue, shows on its owner's home page like any task."""
    task = PlanTask(
        meeting=meeting,
        department=department,
        description=description,
        owner=owner,
        owner_name=owner_name,
        due_on=due_on,
    )
    return save_new_task(by=by, task=task, area=meeting.area)


# --- 督查 ---


@transaction.atomic
def record_supervision(
    *,
    by: User,
    area: Area,
    visited_on: date,
    team: str,
    findings: str,
    visited_area: Area | None = None,
    visited_unit: Member | None = None,
    items: Iterable[tuple[str, date]] = (),
) -> SupervisionVisit:
    """A supervision visit by `area`'s team to a unit below it (a village, a township
    for the county) or one of its member units, with the problems to put right."""
    if (visited_area is None) == (visited_unit is None):
        raise ValidationError(_("请选择一个被督查对象：下级区划或成员单位。"))
    if visited_area is not None and (
        visited_area == area or not area.contains(visited_area)
    ):
        raise ValidationError({"visited_area": _("被督查对象须在本辖区内。")})
    if visited_unit is not None:
        _check_unit(visited_unit, area, "visited_unit")
    _not_in_future(visited_on, "visited_on")
    visit = SupervisionVisit(
        area=area,
        visited_area=visited_area,
        visited_unit=visited_unit,
        visited_on=visited_on,
        team=team.strip(),
        findings=findings.strip(),
        recorded_by=by,
    )
    visit.full_clean()
    visit.save()
    record(user=by, action=AuditAction.CREATE, obj=visit)
    for description, deadline in items:
        add_supervision_item(
            by=by, visit=visit, description=description, deadline=deadline
        )
    return visit


@transaction.atomic
def add_supervision_item(
    *, by: User, visit: SupervisionVisit, description: str, deadline: date
) -> SupervisionItem:
    if deadline < visit.visited_on:
        raise ValidationError({"deadline": _("整改期限不能早于督查日期。")})
    item = SupervisionItem(
        visit=visit, description=description.strip(), deadline=deadline
    )
    item.full_clean()
    item.save()
    record(user=by, action=AuditAction.CREATE, obj=item)
    return item


@transaction.atomic
def report_item(*, by: User, item: SupervisionItem, measures: str) -> SupervisionItem:
    """The visited unit reports what it did (open → reported); the township reviews."""
    item = SupervisionItem.objects.select_for_update().get(pk=item.pk)
    if item.status != ItemStatus.OPEN:
        raise ValidationError(_("这项整改已报告或已完成。"))
    if not measures.strip():
        raise ValidationError({"measures": _("请填写整改措施和结果。")})
    item.status, item.measures = ItemStatus.REPORTED, measures.strip()
    item.reported_on = timezone.localdate()
    item.full_clean()
    item.save()
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=item,
        detail={"status": [ItemStatus.OPEN, ItemStatus.REPORTED]},
    )
    return item


@transaction.atomic
def review_item(
    *, by: User, item: SupervisionItem, accept: bool, note: str = ""
) -> SupervisionItem:
    """The township's review of a reported item: closed, or back to open with the
    reason (a comment is required to send it back)."""
    item = SupervisionItem.objects.select_for_update().get(pk=item.pk)
    if item.status != ItemStatus.REPORTED:
        raise ValidationError(_("只有已报告整改情况的事项可以审核。"))
    if not accept and not note.strip():
        raise ValidationError({"note": _("退回时请写明原因。")})
    after = ItemStatus.CLOSED if accept else ItemStatus.OPEN
    item.status, item.review_note = after, note.strip()
    item.closed_on = timezone.localdate() if accept else None
    item.full_clean()
    item.save()
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=item,
        detail={"status": [ItemStatus.REPORTED, after], "note": item.review_note},
    )
    return item
