"""Who sees the organisation and the plans (docs/access.md): the township and county
officers of the area write them; the village worker reads them and their own tasks."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from srbgov.accounts.models import Role, User
from srbgov.core.http import require
from srbgov.core.scope import ScopedQuerySet, get_for_user
from srbgov.workplans.models import Member, PlanTask, PlanTaskQuerySet, WorkPlan

READERS = frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER})
WRITERS = frozenset({Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER})


def _role(user: Any) -> str:
    return getattr(user, "role", "") if getattr(user, "is_authenticated", False) else ""


def can_see_plans(user: Any) -> bool:
    return _role(user) in READERS


def can_write_plans(user: Any) -> bool:
    return _role(user) in WRITERS


def plans_for_user(user: User) -> ScopedQuerySet[WorkPlan]:
    """The plans of the user's area (its subtree)."""
    require(can_see_plans, user)
    return WorkPlan.objects.visible_to(user)


def get_plan_for_user(user: User, pk: object) -> WorkPlan:
    return get_for_user(plans_for_user(user), user, pk, log_read=False)


def members_for_user(user: User) -> ScopedQuerySet[Member]:
    require(can_see_plans, user)
    return Member.objects.visible_to(user)


def tasks_for_user(user: User) -> PlanTaskQuerySet:
    require(can_see_plans, user)
    return PlanTask.objects.visible_to(user)


def get_task_for_user(user: User, pk: object) -> PlanTask:
    return get_for_user(tasks_for_user(user), user, pk, log_read=False)


def overdue_tasks_for(user: User) -> PlanTaskQuerySet:
    """The owner's overdue tasks (the home page figure): past their deadline, not done."""
    if not can_see_plans(user):
        return PlanTask.objects.none()
    # The user's own tasks, also those of a plan above their area (a village worker who
    # owns a task of the township's plan): owning a task is the user's own business.
    return PlanTask.objects.filter(owner=user).overdue(on=timezone.localdate())
