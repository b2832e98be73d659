"""Members, work plans and their tasks. Keyword-only, atomic, audited."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.areas.models import Area
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.workplans.models import Member, PlanTask, WorkPlan

if TYPE_CHECKING:
    from srbgov.accounts.models import User


@transaction.atomic
def add_member(
    *, by: User, area: Area, body: str, name: str, position: str = "", duties: str = ""
) -> Member:
    member = Member(area=area, body=body, name=name, position=position, duties=duties)
    member.full_clean()
    member.save()
    record(user=by, action=AuditAction.CREATE, obj=member)
    return member


@transaction.atomic
def create_plan(
    *,
    by: User,
    area: Area,
    title: str,
    year: int,
    goals: str,
    mobilise_starts_on: date,
    mobilise_ends_on: date,
    implement_starts_on: date,
    implement_ends_on: date,
    review_starts_on: date,
    review_ends_on: date,
    report_due_on: date,
) -> WorkPlan:
    dates = [
        mobilise_starts_on,
        mobilise_ends_on,
        implement_starts_on,
        implement_ends_on,
        review_starts_on,
        review_ends_on,
    ]
    if dates != sorted(dates):
        raise ValidationError(
            _("三个阶段的日期须依次排列：动员部署、组织实施、总结验收。")
        )
    plan = WorkPlan(
        area=area,
        title=title,
        year=year,
        goals=goals,
        mobilise_starts_on=mobilise_starts_on,
        mobilise_ends_on=mobilise_ends_on,
        implement_starts_on=implement_starts_on,
        implement_ends_on=implement_ends_on,
        review_starts_on=review_starts_on,
        review_ends_on=review_ends_on,
        report_due_on=report_due_on,
        created_by=by,
    )
    plan.full_clean()
    plan.save()
    record(user=by, action=AuditAction.CREATE, obj=plan)
    return plan


@transaction.atomic
def add_task(
    *,
    by: User,
    plan: WorkPlan,
    phase: str,
    department: str,
    description: str,
    owner_name: str,
    due_on: date,
    owner: User | None = None,
) -> PlanTask:
    task = PlanTask(
        plan=plan,
        phase=phase,
        department=department,
        description=description,
        owner=owner,
        owner_name=owner_name,
        due_on=due_on,
    )
    return save_new_task(by=by, task=task, area=plan.area)


def save_new_task(*, by: User, task: PlanTask, area: Area) -> PlanTask:
    """Check the owner and save a new task of a plan or a meeting (the caller's
    transaction); the owner must be an account inside the plan's or meeting's area."""
    if task.owner is not None and not area.contains(task.owner.scope):
        raise ValidationError({"owner": _("责任人须是本方案区划内的账号。")})
    task.full_clean()
    task.save()
    record(user=by, action=AuditAction.CREATE, obj=task)
    return task


@transaction.atomic
def report_progress(*, by: User, task: PlanTask, progress: int, note: str) -> PlanTask:
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("进度须在0到100之间。")})
    before = task.progress
    task.progress, task.progress_note = progress, note.strip()
    task.done_on = timezone.localdate() if progress == 100 else None
    task.full_clean()
    task.save()
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=task,
        detail={"progress": [before, progress]},
    )
    return task
