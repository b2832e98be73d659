"""Every write of indicators, vetoes and rectification tasks. Keyword-only, atomic, audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.areas.models import Area, AreaLevel
from srbgov.assessment.indicators import REGISTRY
from srbgov.assessment.models import (
    Indicator,
    Rectification,
    RectificationStatus,
    VetoEvent,
)
from srbgov.assessment.scorecard import Scorecard, default_indicators
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record

if TYPE_CHECKING:
    from srbgov.accounts.models import User


@transaction.atomic
def adopt_default_indicators(
    *, by: User, county: Area, year: int, level: str
) -> list[Indicator]:
    """Save the seed's indicators for a year, so that the county officer can edit them."""
    if Indicator.objects.filter(county=county, year=year, level=level).exists():
        raise ValidationError(_("该年度该级别的考核指标已经存在。"))
    saved = []
    for indicator in default_indicators(county=county, year=year, level=level):
        indicator.updated_by = by
        indicator.full_clean()
        indicator.save()
        saved.append(indicator)
    record(
        user=by,
        action=AuditAction.CREATE,
        object_type="assessment.indicator",
        object_repr=f"{county.name} {year} {level}",
        detail={"kinds": [i.kind for i in saved]},
    )
    return saved


@transaction.atomic
def save_indicator(
    *,
    by: User,
    county: Area,
    year: int,
    level: str,
    kind: str,
    name: str,
    target: Decimal,
    weight: int,
    rule: str,
    position: int = 0,
    indicator: Indicator | None = None,
) -> Indicator:
    if kind not in REGISTRY:
        raise ValidationError({"kind": _("没有这种计算方法。")})
    if level not in REGISTRY[kind].levels:
        raise ValidationError({"kind": _("该计算方法不适用于这一级考核对象。")})
    if target < 0:
        raise ValidationError({"target": _("目标值不能为负数。")})
    created = indicator is None
    item = indicator or Indicator(county=county)
    before = (
        {"target": str(item.target), "weight": item.weight, "rule": item.rule}
        if not created
        else {}
    )
    item.year, item.level, item.kind, item.name = year, level, kind, name
    item.target, item.weight, item.rule, item.position = target, weight, rule, position
    item.updated_by, item.updated_at = by, timezone.now()
    item.full_clean()
    item.save()
    record(
        user=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=item,
        detail={
            "before": before,
            "target": str(target),
            "weight": weight,
            "rule": rule,
        },
    )
    return item


@transaction.atomic
def record_veto(
    *,
    by: User,
    village: Area,
    kind: str,
    confirmed_on: date,
    description: str,
    case_number: str = "",
) -> VetoEvent:
    if village.level != AreaLevel.VILLAGE:
        raise ValidationError({"village": _("一票否决事项须记到村。")})
    if confirmed_on > timezone.localdate():
        raise ValidationError({"confirmed_on": _("查实日期不能晚于今天。")})
    veto = VetoEvent(
        village=village,
        kind=kind,
        confirmed_on=confirmed_on,
        description=description,
        case_number=case_number,
        recorded_by=by,
    )
    veto.full_clean()
    veto.save()
    record(user=by, action=AuditAction.CREATE, obj=veto, detail={"kind": kind})
    return veto


@transaction.atomic
def open_rectifications(
    *, by: User, scorecard: Scorecard, deadline: date
) -> list[Rectification]:
    """A rectification task for every weak unit of the scorecard that has none for the
    period yet (idempotent: a second call opens nothing)."""
    if deadline <= timezone.localdate():
        raise ValidationError({"deadline": _("整改期限须晚于今天。")})
    existing = set(
        Rectification.objects.in_area(scorecard.area)
        .filter(year=scorecard.period.year, month=scorecard.period.month)
        .values_list("area_id", flat=True)
    )
    opened = []
    for row in scorecard.weak_rows:
        if row.unit.pk in existing:
            continue
        task = Rectification(
            area=row.unit,
            year=scorecard.period.year,
            month=scorecard.period.month,
            reason="\n".join(row.shortfalls()),
            deadline=deadline,
            created_by=by,
        )
        task.full_clean()
        task.save()
        record(
            user=by,
            action=AuditAction.CREATE,
            obj=task,
            detail={"deadline": str(deadline)},
        )
        opened.append(task)
    return opened


@transaction.atomic
def explain_rectification(
    *, by: User, task: Rectification, explanation: str, measures: str
) -> Rectification:
    if task.status not in (RectificationStatus.OPEN, RectificationStatus.RETURNED):
        raise ValidationError(_("该整改任务已提交或已通过，不能再修改。"))
    if not explanation.strip() or not measures.strip():
        raise ValidationError(_("请写明原因和整改措施。"))
    task.explanation, task.measures = explanation.strip(), measures.strip()
    task.status = RectificationStatus.SUBMITTED
    task.submitted_at = timezone.now()
    task.full_clean()
    task.save()
    record(user=by, action=AuditAction.UPDATE, obj=task, detail={"status": task.status})
    return task


@transaction.atomic
def review_rectification(
    *, by: User, task: Rectification, accept: bool, comment: str
) -> Rectification:
    if task.status != RectificationStatus.SUBMITTED:
        raise ValidationError(_("只有待审核的整改说明可以审核。"))
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("退回时请写明意见。")})
    task.status = (
        RectificationStatus.ACCEPTED if accept else RectificationStatus.RETURNED
    )
    task.review_comment = comment.strip()
    task.reviewed_by, task.reviewed_at = by, timezone.now()
    task.full_clean()
    task.save()
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=task,
        detail={"status": task.status, "comment": task.review_comment},
    )
    return task
