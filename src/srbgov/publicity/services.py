"""Recording publicity and training activities (docs/care.md §4)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.accounts.models import User
from srbgov.areas.models import Area
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.files.services import Upload, clean_staff_upload, store_upload
from srbgov.publicity.models import (
    Activity,
    ActivityKind,
    ActivityPhoto,
    PublicityPlan,
)


def record_activity(
    *,
    by: User,
    area: Area,
    kind: str,
    held_on: date,
    place: str,
    items: int = 0,
    participants: int = 0,
    plan: PublicityPlan | None = None,
    note: str = "",
    photos: Sequence[Upload] = (),
) -> Activity:
    """One activity with its photos. Photos are cleaned (metadata stripped) before
    the transaction opens, as the upload pipeline asks."""
    cleaned = [clean_staff_upload(p, field="photos") for p in photos]
    return _save(
        by=by,
        area=area,
        kind=kind,
        held_on=held_on,
        place=place,
        items=items,
        participants=participants,
        plan=plan,
        note=note,
        photos=cleaned,
    )


@transaction.atomic
def _save(*, by: User, photos: Sequence[Upload], **fields: object) -> Activity:
    area = fields["area"]
    if not isinstance(area, Area) or not by.scope.contains(area):
        raise ValidationError({"area": _("只能登记本辖区的活动。")})
    held_on = fields["held_on"]
    if isinstance(held_on, date) and held_on > timezone.localdate():
        raise ValidationError({"held_on": _("活动日期不能晚于今天。")})
    plan = fields.get("plan")
    if isinstance(plan, PublicityPlan) and not plan.area.contains(area):
        raise ValidationError({"plan": _("该计划不属于活动所在的乡镇。")})
    activity = Activity(recorded_by=by, **fields)
    activity.full_clean()
    activity.save()
    for photo in photos:
        stored = store_upload(by=by, upload=photo, folder="publicity", field="photos")
        ActivityPhoto.objects.create(activity=activity, file=stored)
    record(
        user=by,
        action=AuditAction.CREATE,
        obj=activity,
        detail={"photos": len(photos)},
    )
    return activity


@transaction.atomic
def save_plan(
    *, by: User, area: Area, year: int, name: str, targets: dict[str, int]
) -> PublicityPlan:
    if not by.scope.contains(area):
        raise ValidationError({"area": _("只能制定本辖区的计划。")})
    if set(targets) - set(ActivityKind.values) or any(v < 0 for v in targets.values()):
        raise ValidationError({"targets": _("计划目标的类别或次数不正确。")})
    plan, _created = PublicityPlan.objects.update_or_create(
        area=area, year=year, name=name, defaults={"targets": targets}
    )
    record(user=by, action=AuditAction.UPDATE, obj=plan, detail={"targets": targets})
    return plan
