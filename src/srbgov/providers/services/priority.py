"""Priority villages and units (重点村、重点单位, issue 17 item 6): designation, renewal
and ending by the township officer, each audited; and the typed reads the pages and
the assessment scorecards share (docs/registers.md §7).

Seed: 湫坡头镇 plan §四(一)2–3. A designation marks where the township works more
closely; it never scores or ranks women or couples (docs/design.md §2).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.areas.models import Area, AreaLevel
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.providers.models import (
    Facility,
    FacilityQuerySet,
    PriorityDesignation,
    PriorityQuerySet,
)

if TYPE_CHECKING:
    from srbgov.accounts.models import User


def _township_of(area: Area) -> Area | None:
    """The township an area lies in (itself for a township), if any."""
    for candidate in [area, *area.ancestors()]:
        if candidate.level == AreaLevel.TOWNSHIP:
            return candidate
    return None


def _check_review(designated_on: date, review_on: date) -> None:
    if designated_on > timezone.localdate():
        raise ValidationError({"designated_on": [_("确定日期不能晚于今天。")]})
    if review_on <= designated_on:
        raise ValidationError({"review_on": [_("复核日期必须晚于确定日期。")]})


@transaction.atomic
def designate_priority(
    *,
    by: User,
    reason: str,
    designated_on: date,
    review_on: date,
    village: Area | None = None,
    facility: Facility | None = None,
) -> PriorityDesignation:
    """Designate one village or one facility of the officer's township."""
    if (village is None) == (facility is None):
        raise ValidationError(_("请选择一个重点村或一个重点单位。"))
    subject_area = village if village is not None else facility.area  # type: ignore[union-attr]
    if village is not None and village.level != AreaLevel.VILLAGE:
        raise ValidationError({"village": [_("请选择村。")]})
    township = _township_of(subject_area)
    if township is None or not by.scope.contains(subject_area):
        raise ValidationError(_("只能确定本乡镇的村或单位。"))
    if not reason.strip():
        raise ValidationError({"reason": [_("请填写确定理由。")]})
    _check_review(designated_on, review_on)
    entry = PriorityDesignation(
        township=township,
        village=village,
        facility=facility,
        reason=reason.strip(),
        designated_on=designated_on,
        review_on=review_on,
        designated_by=by,
    )
    entry.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # The partial unique constraint: one designation in force per subject.
        raise ValidationError(_("该村或单位已是重点村/重点单位。")) from None
    record(
        user=by,
        action=AuditAction.CREATE,
        obj=entry,
        detail={"review_on": review_on.isoformat(), "village": entry.is_village},
    )
    return entry


@transaction.atomic
def renew_priority(
    *, by: User, designation: PriorityDesignation, review_on: date, note: str = ""
) -> PriorityDesignation:
    """After a review the designation stays, with the next review date."""
    entry = PriorityDesignation.objects.select_for_update().get(pk=designation.pk)
    if entry.ended_on is not None:
        raise ValidationError(_("已撤销的重点村/重点单位不能复核延续。"))
    if review_on <= timezone.localdate():
        raise ValidationError({"review_on": [_("下次复核日期必须晚于今天。")]})
    before = entry.review_on
    entry.review_on = review_on
    entry.full_clean()
    entry.save(update_fields=["review_on"])
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=entry,
        detail={
            "renewed": True,
            "review_on": [before.isoformat(), review_on.isoformat()],
            "note": note.strip(),
        },
    )
    return entry


@transaction.atomic
def end_priority(
    *, by: User, designation: PriorityDesignation, ended_on: date, reason: str
) -> PriorityDesignation:
    """End a designation (the work is done); the record stays, with its reason."""
    entry = PriorityDesignation.objects.select_for_update().get(pk=designation.pk)
    if entry.ended_on is not None:
        raise ValidationError(_("该重点村/重点单位已撤销。"))
    if not reason.strip():
        raise ValidationError({"reason": [_("请填写撤销理由。")]})
    if ended_on > timezone.localdate() or ended_on < entry.designated_on:
        raise ValidationError({"ended_on": [_("撤销日期应在确定日期之后、今天之前。")]})
    entry.ended_on = ended_on
    entry.end_reason = reason.strip()
    entry.full_clean()
    entry.save(update_fields=["ended_on", "end_reason"])
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=entry,
        detail={"ended_on": ended_on.isoformat(), "reason": entry.end_reason},
    )
    return entry


def _in(area: Area) -> PriorityQuerySet:
    return PriorityDesignation.objects.in_area(area)


def priority_village_ids(*, area: Area, on: date) -> set[int]:
    """Ids of the villages in `area` that are priority villages on `on` (the
    assessment scorecard and the village list mark them). One query."""
    return set(
        _in(area)
        .active_on(on)
        .filter(village__isnull=False)
        .values_list("village_id", flat=True)
    )


def priority_facility_ids(*, area: Area, on: date) -> set[int]:
    """Ids of the facilities in `area` that are priority units on `on`. One query."""
    return set(
        _in(area)
        .active_on(on)
        .filter(facility__isnull=False)
        .values_list("facility_id", flat=True)
    )


def overdue_reviews(*, area: Area, today: date) -> PriorityQuerySet:
    """Designations in force whose review date has passed: the township's to-do."""
    return _in(area).filter(ended_on__isnull=True, review_on__lt=today)


def with_priority_mark(facilities: FacilityQuerySet, *, on: date) -> FacilityQuerySet:
    """The facilities, each with `is_priority` (a priority unit on `on`): one
    subquery, so the facility list and its sheet mark them without a query a row."""
    designations = PriorityDesignation.objects.active_on(on).filter(
        facility=OuterRef("pk")
    )
    return facilities.annotate(is_priority=Exists(designations))
