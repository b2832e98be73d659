"""Bulletins (简报): drafted from the period's figures, edited, published, and sent as
.docx in the official-document layout of reports/officialdoc.py (docs/care.md §5)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.accounts.models import User
from srbgov.areas.models import Area, AreaLevel
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.care.models import HouseholdKind
from srbgov.care.queries import care_figures
from srbgov.publicity.models import ActivityKind, Bulletin, BulletinStatus
from srbgov.publicity.queries import activity_counts
from srbgov.reports.officialdoc import (
    Block,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
    chinese_date,
    parse_draft,
    render_draft,
)


def draft_text(*, area: Area, start: date, end: date) -> str:
    """The first draft: the period's publicity and training by kind, and the care
    households and payments; the office then edits it. Words are Chinese on purpose:
    the bulletin is a Chinese official document whatever the UI language."""
    counts = activity_counts(area=area, start=start, end=end)
    held = [c for c in counts.values() if c.activities]
    total = sum(c.activities for c in held)
    people = sum(c.participants for c in held)
    care = care_figures(area=area, year=start.year)
    kinds = "、".join(
        f"{HouseholdKind(k).label}{n}户" for k, n in sorted(care.households.items())
    )
    blocks: list[Block] = [
        Heading(1, "宣传教育和业务培训"),
        Paragraph(
            f"{chinese_date(start)}至{chinese_date(end)}，{area.name}共开展宣传、"
            f"培训活动{total}次，参加群众和干部{people}人次。"
        ),
        Table(
            header=["活动类别", "次数", "数量（幅、份、次）", "参加人数"],
            rows=[
                [
                    str(ActivityKind(c.kind).label),
                    str(c.activities),
                    str(c.items),
                    str(c.participants),
                ]
                for c in held
            ],
        ),
        Heading(1, "关爱女孩和利益导向"),
        Paragraph(
            f"现有关爱家庭：{kinds or '无'}。{start.year}年度已发放奖励扶助等资金"
            f"{care.paid_amount}元，共{care.paid_count}笔。"
        ),
        Heading(1, "下一步工作"),
        Paragraph("（请填写）"),
    ]
    return render_draft(blocks)


@transaction.atomic
def draft_bulletin(
    *, by: User, area: Area, number: str, period_start: date, period_end: date
) -> Bulletin:
    if not by.scope.contains(area) or area.level == AreaLevel.VILLAGE:
        raise ValidationError({"area": _("只能为本乡镇或本县起草简报。")})
    if period_end < period_start:
        raise ValidationError({"period_end": _("截止日期不能早于起始日期。")})
    bulletin = Bulletin(
        area=area,
        number=number.strip(),
        title=f"{area.name}综合治理出生人口性别比工作简报",
        period_start=period_start,
        period_end=period_end,
        body=draft_text(area=area, start=period_start, end=period_end),
        drafted_by=by,
    )
    bulletin.full_clean()
    bulletin.save()
    record(user=by, action=AuditAction.CREATE, obj=bulletin)
    return bulletin


@transaction.atomic
def edit_bulletin(
    *, by: User, bulletin: Bulletin, title: str, number: str, body: str
) -> Bulletin:
    if bulletin.status != BulletinStatus.DRAFT:
        raise ValidationError(_("简报已发布，不能再修改。"))
    bulletin.title, bulletin.number, bulletin.body = title.strip(), number.strip(), body
    bulletin.full_clean()
    bulletin.save()
    record(user=by, action=AuditAction.UPDATE, obj=bulletin)
    return bulletin


@transaction.atomic
def publish_bulletin(*, by: User, bulletin: Bulletin) -> Bulletin:
    """发布: from now on every user of the area (its villages too) reads it."""
    if bulletin.status != BulletinStatus.DRAFT:
        raise ValidationError(_("简报已发布。"))
    bulletin.status = BulletinStatus.PUBLISHED
    bulletin.published_by = by
    bulletin.published_at = timezone.now()
    bulletin.save()
    record(user=by, action=AuditAction.UPDATE, obj=bulletin, detail={"published": True})
    return bulletin


def as_document(bulletin: Bulletin) -> OfficialDocument:
    on = bulletin.published_at.date() if bulletin.published_at else timezone.localdate()
    return OfficialDocument(
        issuer=f"{bulletin.area.name}计划生育工作简报",
        number=bulletin.number,
        title=bulletin.title,
        blocks=parse_draft(bulletin.body),
        signatory=f"{bulletin.area.name}计划生育办公室",
        date=on,
    )
